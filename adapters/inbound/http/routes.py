"""Every route of the HTTP API, in one place."""

from aiohttp import web

from adapters.inbound.http import health
from adapters.inbound.http.cabinet_health import cabinet_health


def add_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.liveness)
    app.router.add_get("/ready", health.readiness)
    app.router.add_get("/api/v1/wb/cabinets/{cabinet_id}/health", cabinet_health)
