"""A mail's bytes: composed directly, they are exactly what the stdlib's generator writes."""

from __future__ import annotations

import dataclasses
import email
import random
import re
from email import policy

import pendulum
import pytest

from inspectorate.adapters import mail
from inspectorate.adapters.mail import Attachment, Message

WORDS = ["", "Reminder:", "scoring", "draft", "report", "Tîm", "Ŵyr", "—", "(due)", "a\\b", 'q"t']
NAMES = ["Inspectorate", "HMI Probation", "Prif Ŵyr", "O'Neil, Jo", "chief officer of a trust"]
BODIES = ["Dear X,\n\nDue on Friday.\n", "line\r\nline\rline", "Mae’r adroddiad\n", "", "x" * 300]
FILES = [
    ("letter.pdf", "application/pdf"),
    ("announcement-letter-durham-tees-valley-en.pdf", "application/pdf"),
    ('odd "name" \\ here.html', "text/html"),
    ("a-much-longer-file-name-for-an-attachment-that-will-not-fit-on-one-line.pdf", "text/plain"),
    ("adroddiad-drafft-cy.pdf", "application/octet-stream"),
]


def random_message(chooser: random.Random) -> Message:
    """A message of the kinds delivery sends, and some it could."""

    def address() -> str:
        box = f"{chooser.choice(['team', 'pm', 'chief-officer'])}@x{chooser.randint(1, 9)}.invalid"
        return f"{chooser.choice(NAMES)} <{box}>" if chooser.random() < 0.5 else box

    words = chooser.randint(1, 14)
    subject = " ".join(chooser.choice(WORDS) for _ in range(words))
    files = chooser.sample(FILES, chooser.randint(0, 3))
    return Message(
        key=f"2014-01-0{chooser.randint(1, 9)}-i{chooser.randint(1, 999)}-scoring-lead_5-r3",
        sender=address(),
        to=tuple(address() for _ in range(chooser.randint(1, 4))),
        subject=subject,
        body=chooser.choice(BODIES) * chooser.randint(1, 3),
        date=pendulum.datetime(2014, 1, chooser.randint(1, 28), 6, tz="Europe/London"),
        attachments=tuple(
            Attachment(name, kind, chooser.randbytes(chooser.randint(0, 400)))
            for name, kind in files
        ),
    )


def stdlib_bytes(message: Message, boundary: str) -> bytes:
    """What the standard library's generator writes for the message, with this boundary."""
    generated = message.as_email()
    if message.attachments:
        generated.set_boundary(boundary)
    return bytes(generated)


def small_message(subject: str, body: str = "text", *attachments: Attachment) -> Message:
    """A one-reader mail with this subject, body and attachments."""
    return Message(
        key="k-1",
        sender="a@b.invalid",
        to=("c@d.invalid",),
        subject=subject,
        body=body,
        date=pendulum.datetime(2014, 1, 6, 6),
        attachments=attachments,
    )


@pytest.mark.parametrize("seed", range(40))
def test_composed_bytes_are_exactly_the_stdlib_generators(seed: int) -> None:
    chooser = random.Random(seed)
    composed = 0
    for _ in range(25):
        message = random_message(chooser)
        boundary = mail._new_boundary()
        direct = mail._compose_bytes(message, boundary)
        if direct is None:  # one only the stdlib writes (a long subject or file name)
            assert message.as_bytes() == bytes(message.as_email()) or message.attachments
            continue
        composed += 1
        assert direct == stdlib_bytes(message, boundary)
    assert composed > 0


def test_a_body_holding_the_boundary_gets_another_as_the_stdlib_gives() -> None:
    boundary = mail._new_boundary()
    message = small_message(
        "Boundaries",
        f"--{boundary}\n--{boundary}.0--\n",
        Attachment("letter.pdf", "application/pdf", b"%PDF"),
    )
    direct = mail._compose_bytes(message, boundary)
    assert direct is not None and f'boundary="{boundary}.1"'.encode() in direct
    assert direct == stdlib_bytes(message, f"{boundary}.1")
    parsed = email.message_from_bytes(direct, policy=policy.default)
    (part,) = list(parsed.iter_attachments())
    assert part.get_content() == b"%PDF"


def test_a_header_with_a_line_break_is_refused_on_the_direct_path_too() -> None:
    message = small_message("Scoring\nBcc: someone@else.invalid")
    with pytest.raises(ValueError, match="linefeed"):
        message.as_bytes()


@pytest.mark.parametrize(
    "attachment",
    [Attachment("", "application/pdf", b"x"), Attachment("letter.pdf", "pdf", b"x")],
    ids=["no-file-name", "type-without-subtype"],
)
def test_an_attachment_the_stdlib_writes_its_own_way_goes_through_it(
    attachment: Attachment,
) -> None:
    message = small_message("Odd", "text", attachment)
    assert mail._compose_bytes(message, mail._new_boundary()) is None

    def unbounded(raw: bytes) -> bytes:  # each path draws its own random boundary
        return re.sub(rb"={15}\d+==", b"BOUNDARY", raw)

    assert unbounded(message.as_bytes()) == unbounded(bytes(message.as_email()))


def test_the_same_instant_in_two_zones_is_dated_in_each_ones_own_offset() -> None:
    london = pendulum.datetime(2014, 6, 2, 6, tz="Europe/London")
    utc = london.in_timezone("UTC")  # equal to `london`, and hashed alike
    for moment, written in ((london, b"+0100"), (utc, b"+0000"), (london, b"+0100")):
        message = dataclasses.replace(small_message("Dated"), date=moment)
        direct = mail._compose_bytes(message, mail._new_boundary())
        assert direct is not None and direct == stdlib_bytes(message, "")
        assert b"Date: Mon, 02 Jun 2014 " + (b"06" if written == b"+0100" else b"05") in direct
        assert written in direct.split(b"Date: ")[1].split(b"\n")[0]
