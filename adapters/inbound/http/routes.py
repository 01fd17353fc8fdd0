"""Every route of the HTTP API, in one place."""

from aiohttp import web

from adapters.inbound.http import health


def add_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.liveness)
    app.router.add_get("/ready", health.readiness)
