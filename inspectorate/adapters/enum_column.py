"""A string column that reads and writes one of the domain's StrEnums.

Stored as plain VARCHAR (the schema is unchanged), checked on the way in — a misspelt
status is refused before it reaches the record — and read back as the enum member.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class EnumText(TypeDecorator[StrEnum]):
    """VARCHAR(length) holding a member of `enum` by its value."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Return the member's value, refusing anything that is not a member."""
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        """Return the stored value as its member."""
        return None if value is None else self.enum(value)

    @property
    def python_type(self) -> type[StrEnum]:
        """The enum the column holds."""
        return self.enum
