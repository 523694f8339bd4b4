"""publication: embargo flag, the team's report text, distribution

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reportversion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "reporttext",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id"),
    )
    op.create_table(
        "distribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "recipient", name="uq_distribution"),
    )
    with op.batch_alter_table("distribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_distribution_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("distribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distribution_inspection_id"))
    op.drop_table("distribution")
    op.drop_table("reporttext")
    with op.batch_alter_table("reportversion", schema=None) as batch_op:
        batch_op.drop_column("public")
