"""orders in roubles with the buyer's currency beside them; review versions (sync-truth issue, part A)

`orders.price`/`sale_price` hold roubles (FBS `convertedPrice`, and `salePrice` at the order's own rate);
`buyer_price`/`buyer_sale_price` keep what the buyer was charged in `currency_code` (docs/metrics.md).
`reviews.parent_review_id`/`child_review_id` link the versions of an edited review (WB
`parentFeedbackId`/`childFeedbackId`; docs/decisions/0007-money-reviews-stock.md).

Rows stored before this migration were read as if every order were in roubles; they keep their values
(the next sync's FBS listing rewrites the orders it still lists, and the currency defaults to 643).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.add_column("orders", sa.Column("buyer_price", MONEY))
    op.add_column("orders", sa.Column("buyer_sale_price", MONEY))
    op.add_column("reviews", sa.Column("parent_review_id", sa.Text))
    op.add_column("reviews", sa.Column("child_review_id", sa.Text))


def downgrade() -> None:
    op.drop_column("reviews", "child_review_id")
    op.drop_column("reviews", "parent_review_id")
    op.drop_column("orders", "buyer_sale_price")
    op.drop_column("orders", "buyer_price")
