"""Statistics sales and returns (keyed by saleID, never by srid), stocks per size and warehouse, and each
nm_id's critical-stock level."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import (
    MONEY,
    PERCENT,
    TIMESTAMP,
    cabinet_fk,
    metadata,
    place_columns,
    product_columns,
    sticker_columns,
    synced_at,
)

sales = sa.Table(
    "sales",
    metadata,
    cabinet_fk(primary_key=True),
    # 'S…' sale, 'R…' return. A sale and its return share one srid, so srid is not a key here.
    sa.Column("sale_id", sa.Text, primary_key=True),
    sa.Column("srid", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    *product_columns(),
    sa.Column("date", TIMESTAMP, nullable=False),
    sa.Column("last_change_date", TIMESTAMP, nullable=False),
    # Signed as WB sends them (returns may be negative).
    sa.Column("total_price", MONEY),
    sa.Column("discount_percent", PERCENT),
    sa.Column("spp", PERCENT),
    sa.Column("for_pay", MONEY),
    sa.Column("finished_price", MONEY),
    sa.Column("price_with_disc", MONEY),
    sa.Column("payment_sale_amount", MONEY),
    sa.Column("is_cancel", sa.Boolean),
    sa.Column("cancel_date", TIMESTAMP),
    *place_columns(),
    *sticker_columns(),
    synced_at(),
    sa.CheckConstraint("kind IN ('sale', 'return', 'other')", name="kind"),
    sa.Index("ix_sales_cabinet_id_date", "cabinet_id", "date"),
    sa.Index("ix_sales_cabinet_id_srid", "cabinet_id", "srid"),
    sa.Index("ix_sales_cabinet_id_nm_id_date", "cabinet_id", "nm_id", "date"),
    sa.Index("ix_sales_cabinet_id_last_change_date", "cabinet_id", "last_change_date"),
)

stocks = sa.Table(
    "stocks",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    # 0 stands for "not given": the older stocks report has neither size nor warehouse ids.
    sa.Column("chrt_id", sa.BigInteger, primary_key=True),
    sa.Column("warehouse_id", sa.BigInteger, primary_key=True),
    sa.Column("warehouse_name", sa.Text),
    sa.Column("region_name", sa.Text),
    sa.Column("quantity", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("in_way_to_client", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("in_way_from_client", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("updated_at", TIMESTAMP, nullable=False),
)

# Each nm_id's critical-stock level after the last snapshot (domain.stocks.alert_level; NULL: not critical
# at any horizon): what tells a fall, the only change that is news, from a stock that stays critical.
stock_alert_levels = sa.Table(
    "stock_alert_levels",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    sa.Column("level", sa.SmallInteger),
    sa.Column("updated_at", TIMESTAMP, nullable=False),
    sa.CheckConstraint("level >= 0", name="level"),
)
