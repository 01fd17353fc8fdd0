"""reviews by article (notifications issue): a notification about an FBS order or a sale names its article
with the product name WB gives with the article's latest review.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_reviews_cabinet_id_nm_id_created_at", "reviews", ["cabinet_id", "nm_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_reviews_cabinet_id_nm_id_created_at", table_name="reviews")
