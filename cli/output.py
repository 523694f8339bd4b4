"""Printing for people and for programs: the console, JSON, and one-line failures."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console
from rich.markup import escape


def _width() -> int | None:
    """Tables need more than 80 columns; a pipe or CI log gets 120."""
    return None if sys.stdout.isatty() else 120


console = Console(width=_width())


def console_for_this_terminal() -> None:
    """Size and colour the shared console for whatever standard output now is."""
    # The warm runner imported this module with no terminal, then hands its fork the user's.
    console.__init__(width=_width())  # type: ignore[misc]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 stage', '2 stages'; `nouns` for an irregular plural ('1 body', '2 bodies')."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def print_json(data: Any) -> None:
    """Print `data` as indented JSON on standard output."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def fail(message: str) -> NoReturn:
    """Print `message` as one error line on standard error and exit with code 2."""
    # Escaped: a message quoting the user's input ("[outcomes.x]") must print as written.
    Console(stderr=True, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False
    )
    sys.exit(2)
