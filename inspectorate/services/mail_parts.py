"""The parts of a reminder's mails recorded as sent, one per kind of reader.

A reminder for two kinds of reader is two mails; its message path lists where each went,
'audience=location; ...', so a delivery interrupted between them never sends the first again.
"""

from __future__ import annotations

PATH_LENGTH = 500  # Reminder.message_path


def parts_path(done: dict[str, str]) -> str:
    """The message path of the parts sent so far (audience to where it went)."""
    return "; ".join(f"{audience}={where}" for audience, where in done.items())[:PATH_LENGTH]


def parts_done(message_path: str | None) -> dict[str, str]:
    """The parts an interrupted delivery recorded as sent ('audience=location; ...')."""
    done: dict[str, str] = {}
    for part in (message_path or "").split("; "):
        audience, sep, where = part.partition("=")
        if sep and audience.isalpha():
            done[audience] = where
    return done
