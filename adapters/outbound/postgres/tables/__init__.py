"""The whole schema as SQLAlchemy Core tables: the single source the Alembic migrations are checked by."""

from adapters.outbound.postgres.tables._base import metadata
from adapters.outbound.postgres.tables.auth import login_codes, refresh_tokens
from adapters.outbound.postgres.tables.feedback import claims, reviews
from adapters.outbound.postgres.tables.finance import (
    cogs_versions,
    finance_report_rows,
    finance_week_skus,
    finance_week_units,
    paid_storage,
)
from adapters.outbound.postgres.tables.identity import cabinets, memberships, users
from adapters.outbound.postgres.tables.notifications import (
    delivery_attempts,
    events,
    notification_settings,
    notifications,
)
from adapters.outbound.postgres.tables.orders import order_status_history, orders, stat_orders
from adapters.outbound.postgres.tables.rollups import (
    order_rollup_days,
    order_rollup_hours,
    order_rollup_sku_days,
)
from adapters.outbound.postgres.tables.sales import sales, stock_alert_levels, stocks
from adapters.outbound.postgres.tables.sync import sync_cursors

__all__ = [
    "cabinets",
    "claims",
    "cogs_versions",
    "delivery_attempts",
    "events",
    "finance_report_rows",
    "finance_week_skus",
    "finance_week_units",
    "login_codes",
    "memberships",
    "metadata",
    "notification_settings",
    "notifications",
    "order_rollup_days",
    "order_rollup_hours",
    "order_rollup_sku_days",
    "order_status_history",
    "orders",
    "paid_storage",
    "refresh_tokens",
    "reviews",
    "sales",
    "stat_orders",
    "stock_alert_levels",
    "stocks",
    "sync_cursors",
    "users",
]
