"""follow ups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:25:00.122649
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trigger_rule", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("covers", sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f("ix_inspection_parent_id"), ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_parent_id"))
        batch_op.drop_column("covers")
        batch_op.drop_column("trigger_rule")
