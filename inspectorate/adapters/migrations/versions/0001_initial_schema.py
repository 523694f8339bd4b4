"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 20:31:55.133113
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auditevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=True),
        sa.Column("to_state", sa.String(length=40), nullable=True),
        sa.Column("why", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditevent_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_auditevent_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("family", sa.String(length=100), nullable=True),
        sa.Column("in_wales", sa.Boolean(), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "kind", name="uq_body_name_kind"),
    )
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_body_name"), ["name"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body_kind", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("fieldwork_start", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["inspection.id"],
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "programme_id", "body_id", "fieldwork_start", name="uq_inspection_programme_body_start"
        ),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspection_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspection_status"), ["status"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "kind", name="uq_milestone_kind"),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_milestone_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("milestone_due_on", sa.Date(), nullable=False),
        sa.Column("recipients", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_path", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("milestone_id", "kind", "remind_on", name="uq_reminder_once"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_milestone_id"), ["milestone_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_milestone_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_due_on"))

    op.drop_table("milestone")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_status"))
        batch_op.drop_index(batch_op.f("ix_inspection_programme_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_body_id"))

    op.drop_table("inspection")
    op.drop_table("programme")
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_name"))

    op.drop_table("body")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditevent_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_auditevent_entity_id"))

    op.drop_table("auditevent")
