"""The record: bodies, programmes, inspections, milestones, reminders and the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from inspectorate.adapters.columns import partial_index, tz_column
from inspectorate.adapters.enum_column import EnumText
from inspectorate.domain.access import AccountRole
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.lifecycle import Status


class Body(SQLModel, table=True):
    """An inspected body: a probation area, a probation trust or a youth offending team."""

    __table_args__ = (UniqueConstraint("name", "kind", name="uq_body_name_kind"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=200)
    kind: str = Field(max_length=10)
    region: str = Field(max_length=100)
    family: str | None = Field(default=None, max_length=100)
    in_wales: bool = False
    contact_email: str | None = Field(default=None, max_length=200)
    # The dates the body existed (probation trusts: April 2010 to May 2014); None = open.
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class Programme(SQLModel, table=True):
    """An inspection programme (its milestones live in config/programmes/<code>.toml)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str = Field(max_length=200)
    body_kind: str = Field(max_length=10)


class Inspection(SQLModel, table=True):
    """One inspection of one body in one programme (or a follow-up of another)."""

    __table_args__ = (
        UniqueConstraint(
            "programme_id", "body_id", "fieldwork_start", name="uq_inspection_programme_body_start"
        ),
        # The date rules read a programme's inspections in the weeks around a fieldwork start.
        Index("ix_inspection_programme_start", "programme_id", "fieldwork_start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    body_id: int = Field(foreign_key="body.id", index=True)
    kind: str = Field(default="inspection", max_length=20)
    status: Status = Field(sa_type=EnumText(Status, 30), index=True)
    parent_id: int | None = Field(default=None, foreign_key="inspection.id", index=True)
    trigger_rule: str | None = Field(default=None, max_length=200)
    covers: str | None = Field(default=None, max_length=500)
    fieldwork_start: dt.date
    created_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=tz_column(nullable=False))


class Milestone(SQLModel, table=True):
    """A dated step of an inspection; done_at is set when it has happened."""

    __table_args__ = (
        UniqueConstraint("inspection_id", "kind", name="uq_milestone_kind"),
        # The sweep reads open milestones by due date: done ones (most of them) are left out.
        partial_index("ix_milestone_open_due_on", "due_on", where="done_at IS NULL"),
        Index("ix_milestone_done_due", "done_at", "due_on"),  # open on a past day (as_of.py)
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    kind: str = Field(max_length=40)
    due_on: dt.date = Field(index=True)
    done_at: dt.datetime | None = Field(default=None, sa_column=tz_column())


class Reminder(SQLModel, table=True):
    """A message about a milestone: lead-time reminder, escalation or notice.

    The unique key (milestone, kind, remind_on) is what makes the sweep idempotent: a second
    sweep, or one after a crash, cannot claim the same reminder twice.
    """

    __table_args__ = (
        UniqueConstraint("milestone_id", "kind", "remind_on", name="uq_reminder_once"),
        # Delivery reads only the reminders not yet sent or withheld.
        partial_index("ix_reminder_unsent", "id", where="sent_at IS NULL AND withheld_at IS NULL"),
    )
    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True)
    kind: str = Field(max_length=30)
    remind_on: dt.date
    milestone_due_on: dt.date
    recipients: str = Field(max_length=1000)
    created_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    sent_at: dt.datetime | None = Field(default=None, sa_column=tz_column())
    lease_until: dt.datetime | None = Field(default=None, sa_column=tz_column())
    message_path: str | None = Field(default=None, max_length=500)
    # Set instead of sent_at when the reminder was for a day already past (a back-fill).
    withheld_at: dt.datetime | None = Field(default=None, sa_column=tz_column())


class AuditEvent(SQLModel, table=True):
    """One recorded change of state: who, when, what, from, to and why."""

    __table_args__ = (Index("ix_as_of", "inspection_id", "entity", "at", "id", "to_state"),)
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    actor: str = Field(max_length=100)
    entity: str = Field(max_length=30)
    entity_id: int = Field(index=True)
    inspection_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str | None = Field(default=None, max_length=40)
    why: str = Field(default="", max_length=2000)


class SampledCase(SQLModel, table=True):
    """A case selected for an inspection's sample, and who reads it."""

    __table_args__ = (UniqueConstraint("inspection_id", "case_id", name="uq_sampled_case"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    case_id: str = Field(max_length=60)
    case_type: str = Field(max_length=60)
    start_date: dt.date
    rosh: str = Field(max_length=20)
    gender: str = Field(max_length=40)
    ethnicity: str = Field(max_length=60)
    age_band: str = Field(max_length=20)
    principal_offence: str = Field(max_length=100)
    allocated_to: str = Field(max_length=20)


class Judgement(SQLModel, table=True):
    """One fieldwork judgement: a question about a case, and whether the work was sufficient."""

    __table_args__ = (
        UniqueConstraint("inspection_id", "case_id", "question_id", name="uq_judgement"),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    case_id: str = Field(max_length=60)
    question_id: str = Field(max_length=20)
    judgement: str = Field(max_length=20)
    assessor: str = Field(default="", max_length=100)


class Score(SQLModel, table=True):
    """A stored score: a question, criterion or headline percentage, or a descriptive rating."""

    __table_args__ = (
        UniqueConstraint("inspection_id", "level", "key", name="uq_score"),
        # The programme aggregate reads every published inspection's headlines from it alone.
        Index("ix_score_level_values", "inspection_id", "level", "key", "score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    level: str = Field(max_length=20)
    key: str = Field(max_length=60)
    sufficient: int | None = None
    applicable: int | None = None
    score: float | None = None
    rating: str | None = Field(default=None, max_length=40)


class ReportVersion(SQLModel, table=True):
    """A rendered report, kept with its content hash; the same content is stored once."""

    __table_args__ = (
        UniqueConstraint(
            "inspection_id", "kind", "lang", "format", "sha256", name="uq_report_version"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    kind: DocumentKind = Field(sa_type=EnumText(DocumentKind, 20))
    lang: str = Field(max_length=5)
    format: str = Field(max_length=5)
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=500)
    created_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    # False while embargoed; publication lifts the embargo on the published versions only.
    public: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class ReportText(SQLModel, table=True):
    """The inspection team's own words for a report (TOML): foreword, strengths, and so on."""

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: dt.datetime = Field(sa_column=tz_column(nullable=False))


class Distribution(SQLModel, table=True):
    """One recipient of a published report, recorded once."""

    __table_args__ = (UniqueConstraint("inspection_id", "recipient", name="uq_distribution"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    recipient: str = Field(max_length=100)
    sent_at: dt.datetime = Field(sa_column=tz_column(nullable=False))


class DraftComment(SQLModel, table=True):
    """The body's comments on its draft report, as received."""

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    author: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    received_at: dt.datetime = Field(sa_column=tz_column(nullable=False))


class User(SQLModel, table=True):
    """Someone who signs in to the dashboard, with one role (and a body, for a body)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=80)
    role: AccountRole = Field(sa_type=EnumText(AccountRole, 20))
    body_id: int | None = Field(default=None, foreign_key="body.id")
    password_hash: str = Field(max_length=200)
    created_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    # Set while the account is disabled: it cannot sign in, and its sessions are gone.
    disabled_at: dt.datetime | None = Field(default=None, sa_column=tz_column())
    last_login_at: dt.datetime | None = Field(default=None, sa_column=tz_column())


class Assignment(SQLModel, table=True):
    """An inspector on an inspection's team."""

    __table_args__ = (UniqueConstraint("inspection_id", "user_id", name="uq_assignment"),)
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a token whose hash is kept here."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    csrf: str = Field(max_length=64)
    # Indexed: expired sessions are deleted whenever a session is opened or found expired.
    expires_at: dt.datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )


class LoginThrottle(SQLModel, table=True):
    """Wrong passwords lately for one account name or one client address, and any lockout.

    Keyed by the name as typed (known or not, so refusals never tell them apart) or by the
    address; the rules are in `domain/login_throttle.py`.
    """

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_login_throttle"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    key: str = Field(max_length=100)
    failures: int = 0
    last_failure_at: dt.datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    locked_until: dt.datetime | None = Field(default=None, sa_column=tz_column())


class SignOff(SQLModel, table=True):
    """A named person's sign-off of the draft or the publication, on the team's text and the
    scores as they were.

    Changing either afterwards needs a new sign-off: a digest no longer matches.
    """

    __table_args__ = (
        UniqueConstraint(
            "inspection_id", "stage", "text_sha256", "scores_sha256", name="uq_sign_off"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    stage: str = Field(max_length=20)
    signed_by: str = Field(max_length=80)
    role: str = Field(max_length=20)
    text_sha256: str = Field(max_length=64)
    # The stored scores as signed off (None: given before scores were part of a sign-off).
    scores_sha256: str | None = Field(default=None, max_length=64)
    signed_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    why: str = Field(default="", max_length=2000)


class OwedEffect(SQLModel, table=True):
    """Something a stage owes (its documents, a run waiting for comments), written with it.

    The sweep finishes every row not yet done, so a crash between the stage and its effects
    loses nothing; each effect is idempotent, so finishing it twice repeats nothing.
    """

    __table_args__ = (
        UniqueConstraint("inspection_id", "stage", "effect", name="uq_owed_effect"),
        # Every sweep reads the effects still owed: a few among all those ever done.
        partial_index("ix_owedeffect_owed", "id", where="done_at IS NULL"),
    )
    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    stage: str = Field(max_length=20)
    effect: str = Field(max_length=30)
    owed_at: dt.datetime = Field(sa_column=tz_column(nullable=False))
    done_at: dt.datetime | None = Field(default=None, sa_column=tz_column())
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
