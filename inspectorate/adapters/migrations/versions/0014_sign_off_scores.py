"""sign-off scores: a sign-off is of the scores as they stood, as well as the team's text

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 23:30:00

Scoring again after the lead inspector signed off the draft changed what the draft says
(its percentages, and so the findings the team's text was written against) while the
sign-off still held, so the draft went to the body unsigned in substance. A sign-off now
keeps the digest of the stored scores beside the text's; a sign-off given before this
revision has none and is judged on the text alone, as it was given.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signoff") as batch:
        batch.add_column(sa.Column("scores_sha256", sa.String(length=64), nullable=True))
        batch.drop_constraint("uq_sign_off", type_="unique")
        batch.create_unique_constraint(
            "uq_sign_off", ["inspection_id", "stage", "text_sha256", "scores_sha256"]
        )


def downgrade() -> None:
    with op.batch_alter_table("signoff") as batch:
        batch.drop_constraint("uq_sign_off", type_="unique")
        batch.create_unique_constraint("uq_sign_off", ["inspection_id", "stage", "text_sha256"])
        batch.drop_column("scores_sha256")
