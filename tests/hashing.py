"""A counting, cheap password hasher for the account tests (the real one costs 64 MiB)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from inspectorate.services import sign_in


class CountingHasher(PasswordHasher):
    """A cheap argon2 hasher that counts the passwords it checks."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # type: ignore[override]
        """Count, then check as argon2 does."""
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    """Sign-in (and new accounts) use a counting hasher for the test."""
    counting = CountingHasher()
    monkeypatch.setattr(sign_in, "_HASHER", counting)
    monkeypatch.setattr(sign_in, "_DUMMY", counting.hash("not a real password"))
    return counting
