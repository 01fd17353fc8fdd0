"""FBS orders with their statuses and history, and the statistics API's view of orders (keyed by srid)."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import (
    JSONB,
    MONEY,
    PERCENT,
    TIMESTAMP,
    cabinet_fk,
    metadata,
    now_default,
    place_columns,
    product_columns,
    sticker_columns,
    synced_at,
)

orders = sa.Table(
    "orders",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("order_id", sa.BigInteger, primary_key=True),
    sa.Column("order_uid", sa.Text),
    sa.Column("rid", sa.Text),  # = statistics srid
    sa.Column("nm_id", sa.BigInteger),
    sa.Column("chrt_id", sa.BigInteger),
    sa.Column("vendor_code", sa.Text),
    sa.Column("product_name", sa.Text),
    # Roubles (docs/metrics.md); what the buyer was charged, in the buyer's currency, beside them.
    sa.Column("price", MONEY),
    sa.Column("sale_price", MONEY),
    sa.Column("currency_code", sa.SmallInteger),  # ISO 4217 numeric of buyer_price / buyer_sale_price
    sa.Column("buyer_price", MONEY),
    sa.Column("buyer_sale_price", MONEY),
    sa.Column("supplier_status", sa.Text),
    sa.Column("wb_status", sa.Text),
    # Set by the sync from the domain's status rules: final orders are no longer polled for status.
    sa.Column("is_final", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("warehouse_id", sa.BigInteger),
    sa.Column("office_id", sa.BigInteger),
    sa.Column("supply_id", sa.Text),
    sa.Column("delivery_type", sa.Text),
    sa.Column("is_b2b", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_zero_order", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("cargo_type", sa.Text),
    sa.Column("address", JSONB),
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("status_updated_at", TIMESTAMP),
    synced_at(),
    # The statistics side of an order (cancel flag, finished price, region...) is not copied here: it is
    # joined from stat_orders by rid = srid when read (migration 0002), so a statistics change is one write.
    sa.Index("ix_orders_cabinet_id_created_at", "cabinet_id", "created_at"),
    sa.Index("ix_orders_cabinet_id_rid", "cabinet_id", "rid"),
    sa.Index("ix_orders_cabinet_id_nm_id_created_at", "cabinet_id", "nm_id", "created_at"),
    sa.Index("ix_orders_cabinet_id_supplier_status", "cabinet_id", "supplier_status"),
    sa.Index(
        "ix_orders_open_cabinet_id_created_at",
        "cabinet_id",
        "created_at",
        postgresql_where=sa.text("NOT is_final"),
    ),
)

order_status_history = sa.Table(
    "order_status_history",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("cabinet_id", sa.Uuid, nullable=False),
    sa.Column("order_id", sa.BigInteger, nullable=False),
    sa.Column("supplier_status", sa.Text),
    sa.Column("wb_status", sa.Text),
    sa.Column("prev_supplier_status", sa.Text),
    sa.Column("prev_wb_status", sa.Text),
    sa.Column("changed_at", TIMESTAMP, nullable=False),
    sa.Column("recorded_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.ForeignKeyConstraint(
        ["cabinet_id", "order_id"],
        ["orders.cabinet_id", "orders.order_id"],
        ondelete="CASCADE",
        name="fk_order_status_history_order_orders",
    ),
    # Recording the same change twice (a re-run sync) is a no-op: insert … ON CONFLICT DO NOTHING.
    sa.UniqueConstraint(
        "cabinet_id",
        "order_id",
        "changed_at",
        "supplier_status",
        "wb_status",
        name="uq_order_status_history_change",
        postgresql_nulls_not_distinct=True,
    ),
    sa.Index(
        "ix_order_status_history_cabinet_id_order_id_changed_at", "cabinet_id", "order_id", "changed_at"
    ),
)

stat_orders = sa.Table(
    "stat_orders",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("srid", sa.Text, primary_key=True),
    sa.Column("date", TIMESTAMP, nullable=False),
    sa.Column("last_change_date", TIMESTAMP, nullable=False),
    *product_columns(),
    *place_columns(),
    sa.Column("total_price", MONEY),
    sa.Column("discount_percent", PERCENT),
    sa.Column("spp", PERCENT),
    sa.Column("finished_price", MONEY),
    sa.Column("price_with_disc", MONEY),
    sa.Column("is_cancel", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("cancel_date", TIMESTAMP),  # WB's "0001-01-01T00:00:00" is stored as NULL
    *sticker_columns(),
    synced_at(),
    sa.Index("ix_stat_orders_cabinet_id_date", "cabinet_id", "date"),
    sa.Index("ix_stat_orders_cabinet_id_last_change_date", "cabinet_id", "last_change_date"),
    sa.Index("ix_stat_orders_cabinet_id_nm_id_date", "cabinet_id", "nm_id", "date"),
)
