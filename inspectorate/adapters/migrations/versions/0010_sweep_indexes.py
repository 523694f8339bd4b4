"""sweep indexes: open milestones by due date, unsent reminders, owed effects, date rules

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, columns, rows kept): partial indexes hold only the rows the sweep reads.
PARTIAL = (
    ("ix_milestone_open_due_on", "milestone", ["due_on"], "done_at IS NULL"),
    ("ix_reminder_unsent", "reminder", ["id"], "sent_at IS NULL AND withheld_at IS NULL"),
    ("ix_owedeffect_owed", "owedeffect", ["id"], "done_at IS NULL"),
)


def upgrade() -> None:
    for name, table, columns, where in PARTIAL:
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    op.create_index(
        "ix_inspection_programme_start",
        "inspection",
        ["programme_id", "fieldwork_start"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_inspection_programme_start", table_name="inspection")
    for name, table, _columns, _where in reversed(PARTIAL):
        op.drop_index(name, table_name=table)
