"""COGS versions with validity windows, WB finance-report rows and paid storage (weekly per-SKU economics)."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from adapters.outbound.postgres.tables._base import (
    FINANCE,
    JSONB,
    MONEY,
    TIMESTAMP,
    cabinet_fk,
    metadata,
    now_default,
    synced_at,
)

cogs_versions = sa.Table(
    "cogs_versions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    cabinet_fk(),
    sa.Column("nm_id", sa.BigInteger, nullable=False),
    sa.Column("unit_cost", MONEY, nullable=False),
    sa.Column("currency", sa.CHAR(3), nullable=False, server_default=sa.text("'RUB'")),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),  # inclusive last day; NULL = open-ended
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.Column("deleted_at", TIMESTAMP),  # soft delete: history keeps deleted versions
    sa.CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
    sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_window"),
    sa.Index("ix_cogs_versions_cabinet_id_nm_id_valid_from", "cabinet_id", "nm_id", "valid_from"),
)

# No two live versions of one SKU overlap. The migration creates this with btree_gist when the server has
# it, else an equivalent constraint over single-point ranges (see versions/0001_initial.py).
cogs_versions.append_constraint(
    pg.ExcludeConstraint(
        (cogs_versions.c.cabinet_id, "="),
        (cogs_versions.c.nm_id, "="),
        (sa.func.daterange(cogs_versions.c.valid_from, cogs_versions.c.valid_to, "[]"), "&&"),
        using="gist",
        where=sa.text("deleted_at IS NULL"),
        name="ex_cogs_versions_no_overlap",
    )
)

finance_report_rows = sa.Table(
    "finance_report_rows",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("rrd_id", sa.BigInteger, primary_key=True),
    sa.Column("report_id", sa.BigInteger, nullable=False),
    sa.Column("report_type", sa.SmallInteger),
    sa.Column("date_from", sa.Date, nullable=False),
    sa.Column("date_to", sa.Date, nullable=False),
    sa.Column("create_date", sa.Date),
    sa.Column("currency", sa.Text),
    sa.Column("nm_id", sa.BigInteger),  # NULL for costs WB does not attribute to a SKU
    sa.Column("vendor_code", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("tech_size", sa.Text),
    sa.Column("barcode", sa.Text),
    sa.Column("doc_type_name", sa.Text),
    sa.Column("seller_oper_name", sa.Text),
    sa.Column("bonus_type_name", sa.Text),
    sa.Column("quantity", sa.Integer),
    sa.Column("delivery_amount", sa.Integer),
    sa.Column("return_amount", sa.Integer),
    *(
        sa.Column(name, FINANCE)
        for name in (
            "retail_price",
            "retail_amount",
            "retail_price_with_disc",
            "for_pay",
            "delivery_service",
            "sales_commission",
            "acquiring_fee",
            "vw",
            "vw_nds",
            "penalty",
            "additional_payment",
            "rebill_logistic_cost",
            "paid_storage",
            "deduction",
            "paid_acceptance",
        )
    ),
    sa.Column("order_id", sa.BigInteger),
    sa.Column("srid", sa.Text),
    sa.Column("order_uid", sa.Text),
    sa.Column("is_b2b", sa.Boolean),
    sa.Column("order_dt", TIMESTAMP),
    sa.Column("sale_dt", TIMESTAMP),
    sa.Column("rr_date", sa.Date),
    sa.Column("extra", JSONB),  # the fields not modelled above, as WB sent them
    synced_at(),
    sa.Index("ix_finance_report_rows_cabinet_id_date_from", "cabinet_id", "date_from"),
    sa.Index("ix_finance_report_rows_cabinet_id_nm_id_date_from", "cabinet_id", "nm_id", "date_from"),
    sa.Index("ix_finance_report_rows_cabinet_id_report_id", "cabinet_id", "report_id"),
)

paid_storage = sa.Table(
    "paid_storage",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("date", sa.Date, primary_key=True),
    sa.Column("office_id", sa.BigInteger, primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    sa.Column("chrt_id", sa.BigInteger, primary_key=True),
    sa.Column("barcode", sa.Text, primary_key=True),  # '' when WB sends none
    sa.Column("warehouse_name", sa.Text),
    sa.Column("vendor_code", sa.Text),
    sa.Column("calc_type", sa.Text),
    sa.Column("volume", FINANCE),
    sa.Column("warehouse_price", FINANCE, nullable=False),
    sa.Column("warehouse_coef", FINANCE),
    sa.Column("log_warehouse_coef", FINANCE),
    sa.Column("barcodes_count", sa.Integer),
    sa.Column("original_date", sa.Date),
    synced_at(),
    sa.Index("ix_paid_storage_cabinet_id_nm_id_date", "cabinet_id", "nm_id", "date"),
)

# The weekly report's money per article (decision 0022): what `GET /v1/analytics/weekly/by-sku` would
# otherwise sum over every line of the week per request. Refreshed for the weeks a page of report rows
# touches, in the page's transaction (`refresh_finance_weeks`). nm_id 0 = lines without an article.
finance_week_skus = sa.Table(
    "finance_week_skus",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("date_from", sa.Date, primary_key=True),
    sa.Column("date_to", sa.Date, primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    sa.Column("units", sa.BigInteger, nullable=False),
    *(
        sa.Column(name, sa.Numeric(20, 4), nullable=False)
        for name in ("gross", "net", "logistics", "storage", "penalties", "other")
    ),
)

# The weekly report's units to cost per article and cost day (decision 0022), refreshed with
# finance_week_skus: by-sku joins these few rows to the COGS versions instead of every line of the week.
finance_week_units = sa.Table(
    "finance_week_units",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("date_from", sa.Date, primary_key=True),
    sa.Column("date_to", sa.Date, primary_key=True),
    sa.Column("nm_id", sa.BigInteger, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("units", sa.BigInteger, nullable=False),
)
