"""orders: the statistics side is joined from stat_orders at read time, not copied

Copying seven statistics fields onto every FBS order doubled the writes of each statistics page (an
UPDATE of orders, with its indexes, per page). They are read with `orders LEFT JOIN stat_orders ON
(cabinet_id, srid = rid)` instead; stat_orders' primary key serves the join.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("is_cancel", sa.Boolean()),
    ("cancel_date", sa.DateTime(timezone=True)),
    ("finished_price", sa.Numeric(precision=14, scale=2)),
    ("price_with_disc", sa.Numeric(precision=14, scale=2)),
    ("warehouse_name", sa.Text()),
    ("region_name", sa.Text()),
    ("stats_last_change_date", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    for name, _ in _COLUMNS:
        op.drop_column("orders", name)


def downgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("orders", sa.Column(name, type_, nullable=True))
    op.execute(
        "UPDATE orders AS o SET is_cancel = s.is_cancel, cancel_date = s.cancel_date,"
        " finished_price = s.finished_price, price_with_disc = s.price_with_disc,"
        " warehouse_name = s.warehouse_name, region_name = s.region_name,"
        " stats_last_change_date = s.last_change_date"
        " FROM stat_orders AS s WHERE s.cabinet_id = o.cabinet_id AND s.srid = o.rid"
    )
