"""as-of indexes: an inspection's status on a day, milestones done after a day

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 17:00:00

The dashboard's timeline and deadlines show the record as it stood on a day. An
inspection's status then is its last status-changing audit event before the day's end
(the later written of two at one moment): (inspection_id, entity, at, id, to_state) finds
it in the index alone, in its order, without reading the trail or sorting. A milestone
open then and done since is found by (done_at, due_on).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_as_of", "auditevent", ["inspection_id", "entity", "at", "id", "to_state"]),
    ("ix_milestone_done_due", "milestone", ["done_at", "due_on"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
