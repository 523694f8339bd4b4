"""report versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:59:04.831365
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reportversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("format", sa.String(length=5), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "inspection_id", "kind", "lang", "format", "sha256", name="uq_report_version"
        ),
    )
    with op.batch_alter_table("reportversion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reportversion_inspection_id"), ["inspection_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reportversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reportversion_inspection_id"))

    op.drop_table("reportversion")
