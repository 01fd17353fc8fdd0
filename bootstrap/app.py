"""The aiohttp application factory. Handlers get what they need through AppKeys, never the container."""

import functools
from collections.abc import AsyncIterator

from aiohttp import web

from adapters.inbound.http.app_keys import API_SECRET_KEY, CABINET_DATA_HEALTH, HEALTH_CHECKS, READY_INFO
from adapters.inbound.http.middleware import error_middleware, request_id_middleware
from adapters.inbound.http.routes import add_routes
from bootstrap.container import Container, init_resources, resolve, shutdown_resources
from bootstrap.logging import bind_request_id
from bootstrap.worker import heartbeat_info


def create_app(container: Container) -> web.Application:
    """The app; its cleanup context starts the container's resources and shuts them down."""
    app = web.Application(middlewares=[request_id_middleware(bind_request_id), error_middleware])
    add_routes(app)
    app.cleanup_ctx.append(functools.partial(_container_lifetime, container))
    return app


async def _container_lifetime(container: Container, app: web.Application) -> AsyncIterator[None]:
    try:
        await init_resources(container)
        app[HEALTH_CHECKS] = await resolve(container.health_checks)
        app[API_SECRET_KEY] = container.settings().api_secret_key.reveal()
        app[CABINET_DATA_HEALTH] = lambda: resolve(container.cabinet_data_health)
        app[READY_INFO] = [heartbeat_info(await resolve(container.worker_heartbeat), container.clock())]
        yield
    finally:
        await shutdown_resources(container)
