"""The dashboard face (seed 002): the seller's dashboard API under /v1.

Sign-in (`/v1/auth/*`) needs no token; `/v1/me` and `/v1/notifications/*` (the user's own) need the access
token (`dashboard_guards.BEARER`); every data route (`/v1/cabinet` too) needs it and `X-Cabinet-Id`
(`dashboard_guards.CABINET`) and reads the cabinet from `cabinet_of(request)` only. Each area's routes live in
`adapters/inbound/http/dashboard/`.
"""

from adapters.inbound.http.dashboard import (
    analytics,
    analytics_sku,
    auth,
    cabinet,
    cogs,
    me,
    notifications,
    orders,
    weekly,
)
from adapters.inbound.http.routing import RouteTable

TAGS = ("dashboard",)

TABLE = RouteTable(
    name="dashboard",
    prefix="/v1",
    routes=(
        *auth.ROUTES,
        *me.ROUTES,
        *notifications.ROUTES,
        *cabinet.ROUTES,
        *orders.ROUTES,
        *analytics.ROUTES,
        *analytics_sku.ROUTES,
        *cogs.ROUTES,
        *weekly.ROUTES,
    ),
)
