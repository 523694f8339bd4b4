"""draft comments: the body's comments on its draft

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draftcomment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("draftcomment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draftcomment_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("draftcomment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draftcomment_inspection_id"))
    op.drop_table("draftcomment")
