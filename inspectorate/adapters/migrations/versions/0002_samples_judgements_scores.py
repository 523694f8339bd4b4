"""samples judgements scores

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:09:34.540247
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=60), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("judgement", sa.String(length=20), nullable=False),
        sa.Column("assessor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "case_id", "question_id", name="uq_judgement"),
    )
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judgement_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "sampledcase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=60), nullable=False),
        sa.Column("case_type", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("rosh", sa.String(length=20), nullable=False),
        sa.Column("gender", sa.String(length=40), nullable=False),
        sa.Column("ethnicity", sa.String(length=60), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("principal_offence", sa.String(length=100), nullable=False),
        sa.Column("allocated_to", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "case_id", name="uq_sampled_case"),
    )
    with op.batch_alter_table("sampledcase", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sampledcase_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("sufficient", sa.Integer(), nullable=True),
        sa.Column("applicable", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rating", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id", "level", "key", name="uq_score"),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_inspection_id"), ["inspection_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_inspection_id"))

    op.drop_table("score")
    with op.batch_alter_table("sampledcase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sampledcase_inspection_id"))

    op.drop_table("sampledcase")
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgement_inspection_id"))

    op.drop_table("judgement")
