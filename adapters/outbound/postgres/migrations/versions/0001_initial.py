"""Initial schema: identity, WB data (orders, statistics, sales, stocks, reviews, claims, finance),
COGS versions, notification settings, sync cursors and the notification outbox.

Generated with autogenerate from adapters/outbound/postgres/tables and checked by hand; the COGS no-overlap
exclusion constraint is written out below because it depends on what the server offers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

COGS_NO_OVERLAP = "ex_cogs_versions_no_overlap"
# No two live (not soft-deleted) versions of one SKU in one cabinet cover the same day;
# valid_to is an inclusive last day and NULL means open-ended.
_COGS_NO_OVERLAP_BTREE_GIST = f"""
    ALTER TABLE cogs_versions ADD CONSTRAINT {COGS_NO_OVERLAP} EXCLUDE USING gist (
        cabinet_id WITH =,
        nm_id WITH =,
        daterange(valid_from, valid_to, '[]') WITH &&
    ) WHERE (deleted_at IS NULL)
"""
# The same guarantee without btree_gist (the embedded pgserver build lacks contrib): GiST's built-in
# range_ops support `=` on ranges, so equality on cabinet and SKU becomes equality of one-point ranges.
_UUID_POINT_RANGE = "wbpulse_uuid_range"
_COGS_NO_OVERLAP_FALLBACK = (
    # Idempotent: the type may already exist when the constraint alone is rebuilt.
    f"""
    DO $$ BEGIN
        IF to_regtype('{_UUID_POINT_RANGE}') IS NULL THEN
            CREATE TYPE {_UUID_POINT_RANGE} AS RANGE (subtype = uuid);
        END IF;
    END $$
    """,
    f"""
    ALTER TABLE cogs_versions ADD CONSTRAINT {COGS_NO_OVERLAP} EXCLUDE USING gist (
        {_UUID_POINT_RANGE}(cabinet_id, cabinet_id, '[]') WITH =,
        int8range(nm_id, nm_id, '[]') WITH =,
        daterange(valid_from, valid_to, '[]') WITH &&
    ) WHERE (deleted_at IS NULL)
    """,
)
_TABLES_IN_CREATION_ORDER = (
    "cabinets",
    "users",
    "claims",
    "cogs_versions",
    "events",
    "finance_report_rows",
    "memberships",
    "notification_settings",
    "orders",
    "paid_storage",
    "reviews",
    "sales",
    "stat_orders",
    "stocks",
    "sync_cursors",
    "notifications",
    "order_status_history",
    "delivery_attempts",
)


def _btree_gist_ready(bind: sa.Connection) -> bool:
    """Create btree_gist if the server has it and we may; False (and the reason in the log) if not."""
    query = sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'")
    if bind.execute(query).scalar() is None:
        log.warning("btree_gist is not available on this server: using the built-in range fallback")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
    except sa.exc.DBAPIError as exc:
        log.warning(
            "cannot create btree_gist (%s): using the built-in range fallback", type(exc.orig).__name__
        )
        return False
    return True


def add_cogs_no_overlap_fallback(bind: sa.Connection) -> None:
    for statement in _COGS_NO_OVERLAP_FALLBACK:
        bind.execute(sa.text(statement))


def _add_cogs_no_overlap(bind: sa.Connection) -> None:
    if _btree_gist_ready(bind):
        bind.execute(sa.text(_COGS_NO_OVERLAP_BTREE_GIST))
    else:
        add_cogs_no_overlap_fallback(bind)


def upgrade() -> None:
    op.create_table(
        "cabinets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key_fingerprint", sa.Text(), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False),
        sa.Column("seller_id", sa.Text(), nullable=False),
        sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("categories", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("read_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'active'"), nullable=False),
        sa.Column("invalid_reason", sa.Text(), nullable=True),
        sa.Column("data_version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('active', 'invalid')", name=op.f("ck_cabinets_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cabinets")),
        sa.UniqueConstraint("key_fingerprint", name=op.f("uq_cabinets_key_fingerprint")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.Text(), nullable=True),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_users_telegram_id")),
    )
    op.create_table(
        "claims",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("srid", sa.Text(), nullable=True),
        sa.Column("claim_type", sa.SmallInteger(), nullable=True),
        sa.Column("status", sa.SmallInteger(), nullable=True),
        sa.Column("status_ex", sa.SmallInteger(), nullable=True),
        sa.Column("user_comment", sa.Text(), nullable=True),
        sa.Column("wb_comment", sa.Text(), nullable=True),
        sa.Column("product_name", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_archive", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency_code", sa.Text(), nullable=True),
        sa.Column("actions", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_claims_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "claim_id", name=op.f("pk_claims")),
    )
    op.create_index("ix_claims_cabinet_id_created_at", "claims", ["cabinet_id", "created_at"], unique=False)
    op.create_index("ix_claims_cabinet_id_srid", "claims", ["cabinet_id", "srid"], unique=False)
    op.create_table(
        "cogs_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), server_default=sa.text("'RUB'"), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_cogs_versions_unit_cost_non_negative")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_cogs_versions_valid_window")
        ),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_cogs_versions_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cogs_versions")),
    )
    op.create_index(
        "ix_cogs_versions_cabinet_id_nm_id_valid_from",
        "cogs_versions",
        ["cabinet_id", "nm_id", "valid_from"],
        unique=False,
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sa.Text(), nullable=False),
        sa.Column(
            "payload",
            postgresql.JSONB(none_as_null=True, astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("fanned_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_events_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_events_dedupe_key")),
    )
    op.create_index("ix_events_cabinet_id_occurred_at", "events", ["cabinet_id", "occurred_at"], unique=False)
    op.create_index(
        "ix_events_pending_created_at",
        "events",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("fanned_out_at IS NULL"),
    )
    op.create_table(
        "finance_report_rows",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("rrd_id", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("report_type", sa.SmallInteger(), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("create_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("vendor_code", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("tech_size", sa.Text(), nullable=True),
        sa.Column("barcode", sa.Text(), nullable=True),
        sa.Column("doc_type_name", sa.Text(), nullable=True),
        sa.Column("seller_oper_name", sa.Text(), nullable=True),
        sa.Column("bonus_type_name", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("delivery_amount", sa.Integer(), nullable=True),
        sa.Column("return_amount", sa.Integer(), nullable=True),
        sa.Column("retail_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("retail_amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("retail_price_with_disc", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("for_pay", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("delivery_service", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("sales_commission", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("acquiring_fee", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("vw", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("vw_nds", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("penalty", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("additional_payment", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("rebill_logistic_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("paid_storage", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("deduction", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("paid_acceptance", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("srid", sa.Text(), nullable=True),
        sa.Column("order_uid", sa.Text(), nullable=True),
        sa.Column("is_b2b", sa.Boolean(), nullable=True),
        sa.Column("order_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sale_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rr_date", sa.Date(), nullable=True),
        sa.Column("extra", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_finance_report_rows_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "rrd_id", name=op.f("pk_finance_report_rows")),
    )
    op.create_index(
        "ix_finance_report_rows_cabinet_id_date_from",
        "finance_report_rows",
        ["cabinet_id", "date_from"],
        unique=False,
    )
    op.create_index(
        "ix_finance_report_rows_cabinet_id_nm_id_date_from",
        "finance_report_rows",
        ["cabinet_id", "nm_id", "date_from"],
        unique=False,
    )
    op.create_index(
        "ix_finance_report_rows_cabinet_id_report_id",
        "finance_report_rows",
        ["cabinet_id", "report_id"],
        unique=False,
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'member')", name=op.f("ck_memberships_role")),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_memberships_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "cabinet_id", name=op.f("pk_memberships")),
    )
    op.create_index("ix_memberships_cabinet_id", "memberships", ["cabinet_id"], unique=False)
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("notifications_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("new_orders_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("order_buyouts_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "order_cancellations_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column("order_returns_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("negative_reviews_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("critical_stocks_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("review_rating_threshold", sa.SmallInteger(), server_default=sa.text("3"), nullable=False),
        sa.Column("stock_analysis_days", sa.SmallInteger(), server_default=sa.text("3"), nullable=False),
        sa.Column("grouping_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("max_group_size", sa.SmallInteger(), server_default=sa.text("5"), nullable=False),
        sa.Column("group_timeout", sa.Integer(), server_default=sa.text("300"), nullable=False),
        sa.Column(
            "excluded_stock_nm_ids",
            postgresql.ARRAY(sa.BigInteger()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "group_timeout BETWEEN 1 AND 300", name=op.f("ck_notification_settings_group_timeout")
        ),
        sa.CheckConstraint(
            "max_group_size BETWEEN 1 AND 50", name=op.f("ck_notification_settings_max_group_size")
        ),
        sa.CheckConstraint(
            "review_rating_threshold BETWEEN 0 AND 5",
            name=op.f("ck_notification_settings_review_rating_threshold"),
        ),
        sa.CheckConstraint(
            "stock_analysis_days IN (1, 3, 7, 10, 14)",
            name=op.f("ck_notification_settings_stock_analysis_days"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "orders",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_uid", sa.Text(), nullable=True),
        sa.Column("rid", sa.Text(), nullable=True),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("chrt_id", sa.BigInteger(), nullable=True),
        sa.Column("vendor_code", sa.Text(), nullable=True),
        sa.Column("product_name", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("sale_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency_code", sa.SmallInteger(), nullable=True),
        sa.Column("supplier_status", sa.Text(), nullable=True),
        sa.Column("wb_status", sa.Text(), nullable=True),
        sa.Column("is_final", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("warehouse_id", sa.BigInteger(), nullable=True),
        sa.Column("office_id", sa.BigInteger(), nullable=True),
        sa.Column("supply_id", sa.Text(), nullable=True),
        sa.Column("delivery_type", sa.Text(), nullable=True),
        sa.Column("is_b2b", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_zero_order", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("cargo_type", sa.Text(), nullable=True),
        sa.Column("address", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("is_cancel", sa.Boolean(), nullable=True),
        sa.Column("cancel_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("price_with_disc", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("warehouse_name", sa.Text(), nullable=True),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("stats_last_change_date", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_orders_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "order_id", name=op.f("pk_orders")),
    )
    op.create_index("ix_orders_cabinet_id_created_at", "orders", ["cabinet_id", "created_at"], unique=False)
    op.create_index(
        "ix_orders_cabinet_id_nm_id_created_at", "orders", ["cabinet_id", "nm_id", "created_at"], unique=False
    )
    op.create_index("ix_orders_cabinet_id_rid", "orders", ["cabinet_id", "rid"], unique=False)
    op.create_index(
        "ix_orders_cabinet_id_supplier_status", "orders", ["cabinet_id", "supplier_status"], unique=False
    )
    op.create_index(
        "ix_orders_open_cabinet_id_created_at",
        "orders",
        ["cabinet_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("NOT is_final"),
    )
    op.create_table(
        "paid_storage",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("office_id", sa.BigInteger(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("chrt_id", sa.BigInteger(), nullable=False),
        sa.Column("barcode", sa.Text(), nullable=False),
        sa.Column("warehouse_name", sa.Text(), nullable=True),
        sa.Column("vendor_code", sa.Text(), nullable=True),
        sa.Column("calc_type", sa.Text(), nullable=True),
        sa.Column("volume", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("warehouse_price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("warehouse_coef", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("log_warehouse_coef", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("barcodes_count", sa.Integer(), nullable=True),
        sa.Column("original_date", sa.Date(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_paid_storage_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cabinet_id", "date", "office_id", "nm_id", "chrt_id", "barcode", name=op.f("pk_paid_storage")
        ),
    )
    op.create_index(
        "ix_paid_storage_cabinet_id_nm_id_date", "paid_storage", ["cabinet_id", "nm_id", "date"], unique=False
    )
    op.create_table(
        "reviews",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Text(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("pros", sa.Text(), nullable=True),
        sa.Column("cons", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_answered", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("product_name", sa.Text(), nullable=True),
        sa.Column("supplier_article", sa.Text(), nullable=True),
        sa.Column("user_name", sa.Text(), nullable=True),
        sa.Column("order_status", sa.Text(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating")),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_reviews_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "review_id", name=op.f("pk_reviews")),
    )
    op.create_index("ix_reviews_cabinet_id_created_at", "reviews", ["cabinet_id", "created_at"], unique=False)
    op.create_table(
        "sales",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("sale_id", sa.Text(), nullable=False),
        sa.Column("srid", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("supplier_article", sa.Text(), nullable=True),
        sa.Column("barcode", sa.Text(), nullable=True),
        sa.Column("tech_size", sa.Text(), nullable=True),
        sa.Column("brand", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_change_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("discount_percent", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("spp", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("for_pay", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("finished_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("price_with_disc", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("payment_sale_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("is_cancel", sa.Boolean(), nullable=True),
        sa.Column("cancel_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warehouse_name", sa.Text(), nullable=True),
        sa.Column("warehouse_type", sa.Text(), nullable=True),
        sa.Column("country_name", sa.Text(), nullable=True),
        sa.Column("oblast_okrug_name", sa.Text(), nullable=True),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("income_id", sa.BigInteger(), nullable=True),
        sa.Column("is_supply", sa.Boolean(), nullable=True),
        sa.Column("is_realization", sa.Boolean(), nullable=True),
        sa.Column("sticker", sa.Text(), nullable=True),
        sa.Column("g_number", sa.Text(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('sale', 'return', 'other')", name=op.f("ck_sales_kind")),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_sales_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "sale_id", name=op.f("pk_sales")),
    )
    op.create_index("ix_sales_cabinet_id_date", "sales", ["cabinet_id", "date"], unique=False)
    op.create_index(
        "ix_sales_cabinet_id_last_change_date", "sales", ["cabinet_id", "last_change_date"], unique=False
    )
    op.create_index("ix_sales_cabinet_id_nm_id_date", "sales", ["cabinet_id", "nm_id", "date"], unique=False)
    op.create_index("ix_sales_cabinet_id_srid", "sales", ["cabinet_id", "srid"], unique=False)
    op.create_table(
        "stat_orders",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("srid", sa.Text(), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_change_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=True),
        sa.Column("supplier_article", sa.Text(), nullable=True),
        sa.Column("barcode", sa.Text(), nullable=True),
        sa.Column("tech_size", sa.Text(), nullable=True),
        sa.Column("brand", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("warehouse_name", sa.Text(), nullable=True),
        sa.Column("warehouse_type", sa.Text(), nullable=True),
        sa.Column("country_name", sa.Text(), nullable=True),
        sa.Column("oblast_okrug_name", sa.Text(), nullable=True),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("income_id", sa.BigInteger(), nullable=True),
        sa.Column("is_supply", sa.Boolean(), nullable=True),
        sa.Column("is_realization", sa.Boolean(), nullable=True),
        sa.Column("total_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("discount_percent", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("spp", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("finished_price", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("price_with_disc", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("is_cancel", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("cancel_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sticker", sa.Text(), nullable=True),
        sa.Column("g_number", sa.Text(), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_stat_orders_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "srid", name=op.f("pk_stat_orders")),
    )
    op.create_index("ix_stat_orders_cabinet_id_date", "stat_orders", ["cabinet_id", "date"], unique=False)
    op.create_index(
        "ix_stat_orders_cabinet_id_last_change_date",
        "stat_orders",
        ["cabinet_id", "last_change_date"],
        unique=False,
    )
    op.create_index(
        "ix_stat_orders_cabinet_id_nm_id_date", "stat_orders", ["cabinet_id", "nm_id", "date"], unique=False
    )
    op.create_table(
        "stocks",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("chrt_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse_name", sa.Text(), nullable=True),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("in_way_to_client", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("in_way_from_client", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f("fk_stocks_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "nm_id", "chrt_id", "warehouse_id", name=op.f("pk_stocks")),
    )
    op.create_table(
        "sync_cursors",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("cursor", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_taken", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("backoff_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_sync_cursors_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "source", name=op.f("pk_sync_cursors")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f("ck_notifications_status")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_notifications_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_notifications_event_id_user_id")),
    )
    op.create_index(
        "ix_notifications_due_next_attempt_at",
        "notifications",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_notifications_user_id", "notifications", ["user_id"], unique=False)
    op.create_table(
        "order_status_history",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("supplier_status", sa.Text(), nullable=True),
        sa.Column("wb_status", sa.Text(), nullable=True),
        sa.Column("prev_supplier_status", sa.Text(), nullable=True),
        sa.Column("prev_wb_status", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id", "order_id"],
            ["orders.cabinet_id", "orders.order_id"],
            name="fk_order_status_history_order_orders",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_status_history")),
        sa.UniqueConstraint(
            "cabinet_id",
            "order_id",
            "changed_at",
            "supplier_status",
            "wb_status",
            name="uq_order_status_history_change",
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index(
        "ix_order_status_history_cabinet_id_order_id_changed_at",
        "order_status_history",
        ["cabinet_id", "order_id", "changed_at"],
        unique=False,
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column(
            "attempted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("http_status", sa.SmallInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_delivery_attempts_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
    )
    op.create_index(
        "ix_delivery_attempts_notification_id", "delivery_attempts", ["notification_id"], unique=False
    )
    _add_cogs_no_overlap(op.get_bind())


def downgrade() -> None:
    # Indexes and constraints go with their tables. btree_gist stays: other objects may use it.
    for name in reversed(_TABLES_IN_CREATION_ORDER):
        op.drop_table(name)
    op.execute(f"DROP TYPE IF EXISTS {_UUID_POINT_RANGE}")
