"""Benchmark: mails handed to an SMTP server over one kept connection, against one each.

A delivery keeps one connection (and login) for all its mails (`notify.connection_kept`),
checked with a NOOP before each reuse. This sends BENCH_MAILS (300) reminder-sized mails to
a local aiosmtpd server on loopback both ways, alternating, twice, and prints milliseconds a
mail and the ratio, the connection-per-mail way measured in the same run as the baseline.
Plain SMTP on loopback: a real relay adds a TLS handshake and a login to every connection,
and the network's round trips, so the ratio here is the least it saves.

Figures, 2026-11-29 (2 cores, idle), as printed (a new connection every 100 mails, the NOOP
before each reuse):
    300 mails to a local SMTP server, twice each way
      a connection a mail (baseline): 17.15 and 17.06 ms a mail
      one kept connection:            0.97 and 0.92 ms a mail
      18x fewer (the slower kept run against the faster baseline)
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from inspectorate.adapters.mail import Message  # noqa: E402
from inspectorate.adapters.notify import SmtpMailer, connection_kept  # noqa: E402
from inspectorate.adapters.settings import Settings  # noqa: E402

MAILS = int(os.environ.get("BENCH_MAILS", "300"))


class Counting:
    """An aiosmtpd handler that counts the mails it takes."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mails() -> list[Message]:
    """Reminder-sized mails, each with its own key."""
    return [
        Message(
            key=f"2014-01-06-i{n}-scoring-lead-r{n}",
            sender="HMI Probation <a@b.invalid>",
            to=("team@x.invalid", "pm@x.invalid"),
            subject="Reminder: scoring is due on Friday 10 January 2014",
            body="Scoring is due on Friday.\n" * 20,
            date=pendulum.datetime(2014, 1, 6, 6),
        )
        for n in range(MAILS)
    ]


def ms_a_mail(mailer: SmtpMailer, messages: list[Message], *, kept: bool) -> float:
    """Milliseconds a mail to send `messages`, over one kept connection or one each."""
    began = time.perf_counter()
    if kept:
        with connection_kept(mailer):
            for message in messages:
                mailer.send(message)
    else:
        for message in messages:
            mailer.send(message)
    return (time.perf_counter() - began) / len(messages) * 1000


def main() -> None:
    """Send the mails both ways, twice, and print the figures and the ratio."""
    handler, port = Counting(), _free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        mailer = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))
        messages = mails()
        each, kept = [], []
        for _ in range(2):
            each.append(ms_a_mail(mailer, messages, kept=False))
            kept.append(ms_a_mail(mailer, messages, kept=True))
    finally:
        server.stop()
    assert handler.received == 4 * MAILS, handler.received
    print(f"{MAILS} mails to a local SMTP server, twice each way")
    print(f"  a connection a mail (baseline): {each[0]:.2f} and {each[1]:.2f} ms a mail")
    print(f"  one kept connection:            {kept[0]:.2f} and {kept[1]:.2f} ms a mail")
    print(f"  {min(each) / max(kept):.0f}x fewer (the slower kept run against the faster baseline)")


if __name__ == "__main__":
    main()
