"""Order rollups by Moscow day, hour and article (decision 0015): what the dashboard's analytics read
instead of the orders tables. Kept current in the sync's own transactions (`PostgresRollupRepository`),
rebuilt by `wbpulse rollups rebuild`. `delivery` is 'fbs' (rows of `orders`) or 'fbw' (statistics
orders from WB's warehouses): every view is a sum over it."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import MONEY, cabinet_fk, metadata

_DELIVERY = "delivery IN ('fbs', 'fbw')"


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False, server_default=sa.text("0"))


order_rollup_days = sa.Table(
    "order_rollup_days",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("delivery", sa.Text, primary_key=True),
    _count("orders"),
    _count("cancelled"),
    _count("b2b"),
    sa.Column("revenue", MONEY, nullable=False, server_default=sa.text("0")),
    _count("returns"),
    # Orders by supplier status now (FBW: cancel once cancelled, else unknown); they add up to `orders`.
    _count("status_new"),
    _count("status_confirm"),
    _count("status_complete"),
    _count("status_cancel"),
    _count("status_cancel_carrier"),
    _count("status_unknown"),
    sa.CheckConstraint(_DELIVERY, name="delivery"),
)

order_rollup_hours = sa.Table(
    "order_rollup_hours",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("hour", sa.SmallInteger, primary_key=True),
    sa.Column("delivery", sa.Text, primary_key=True),
    _count("orders"),
    sa.CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
    sa.CheckConstraint(_DELIVERY, name="delivery"),
)

order_rollup_sku_days = sa.Table(
    "order_rollup_sku_days",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    sa.Column("delivery", sa.Text, primary_key=True),
    _count("orders"),
    _count("cancelled"),
    sa.Column("revenue", MONEY, nullable=False, server_default=sa.text("0")),
    sa.CheckConstraint(_DELIVERY, name="delivery"),
)
