"""The aiohttp application factory. Handlers get the use-case registry through a typed AppKey, never the
container."""

import functools
from collections.abc import AsyncIterator

from aiohttp import web

from adapters.inbound.http.app_keys import API_SECRET_KEY, USE_CASES
from adapters.inbound.http.middleware import error_middleware, request_id_middleware
from adapters.inbound.http.routes import add_routes
from bootstrap.container import Container, init_resources, shutdown_resources, use_case_registry
from bootstrap.logging import bind_request_id


def create_app(container: Container) -> web.Application:
    """The app; its cleanup context starts the container's resources and shuts them down."""
    app = web.Application(middlewares=[request_id_middleware(bind_request_id), error_middleware])
    add_routes(app)
    app.cleanup_ctx.append(functools.partial(_container_lifetime, container))
    return app


async def _container_lifetime(container: Container, app: web.Application) -> AsyncIterator[None]:
    try:
        await init_resources(container)
        app[USE_CASES] = use_case_registry(container)
        app[API_SECRET_KEY] = container.settings().api_secret_key.reveal()
        yield
    finally:
        await shutdown_resources(container)
