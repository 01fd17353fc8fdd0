"""The simulator's aiohttp application: every WB host's paths on one port (paths do not collide), plus the
control API under /__sim/ and the bot sink (a fake Telegram bot wb-pulse delivers notifications to)."""

from aiohttp import web

from simulator import (
    bot_sink,
    control,
    routes_analytics,
    routes_claims,
    routes_common,
    routes_fbs,
    routes_feedbacks,
    routes_finance,
    routes_paid_storage,
    routes_stats,
)
from simulator.keys import KeyRegistry
from simulator.pipeline import SIM, SimState, wb_endpoint

# (method, path, rate-limit group, required category bit position or None, handler)
WB_ROUTES = [
    ("GET", "/ping", "ping", None, routes_common.ping),
    ("GET", "/api/v1/seller-info", "seller_info", None, routes_common.seller_info),
    ("GET", "/api/v3/orders/new", "fbs", 4, routes_fbs.orders_new),
    ("GET", "/api/v3/orders", "fbs", 4, routes_fbs.orders),
    ("POST", "/api/v3/orders/status", "fbs", 4, routes_fbs.orders_status),
    ("GET", "/api/v1/supplier/orders", "stats_orders", 5, routes_stats.supplier_orders),
    ("GET", "/api/v1/supplier/sales", "stats_sales", 5, routes_stats.supplier_sales),
    ("POST", "/api/analytics/v1/stocks-report/wb-warehouses", "stocks", 2, routes_analytics.wb_warehouses),
    ("GET", "/api/v1/feedbacks", "feedbacks", 7, routes_feedbacks.feedbacks),
    ("GET", "/api/v1/feedbacks/archive", "feedbacks", 7, routes_feedbacks.feedbacks_archive),
    ("GET", "/api/v1/claims", "claims", 11, routes_claims.claims),
    ("POST", "/api/finance/v1/sales-reports/detailed", "finance", 13, routes_finance.sales_reports_detailed),
    ("GET", "/api/v1/paid_storage", "paid_storage_create", 2, routes_paid_storage.create),
    (
        "GET",
        "/api/v1/paid_storage/tasks/{task_id}/status",
        "paid_storage_status",
        2,
        routes_paid_storage.status,
    ),
    (
        "GET",
        "/api/v1/paid_storage/tasks/{task_id}/download",
        "paid_storage_download",
        2,
        routes_paid_storage.download,
    ),
]


def create_app(*, secret: str | None = None) -> web.Application:
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app[SIM] = SimState(keys=KeyRegistry(secret))
    for method, path, group, category, fn in WB_ROUTES:
        app.router.add_route(method, path, wb_endpoint(group, category, fn))
    control.add_routes(app)
    bot_sink.add_routes(app)
    return app
