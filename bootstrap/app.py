"""The aiohttp application factory. Handlers get the use-case registry through a typed AppKey, never the
container."""

import functools
from collections.abc import AsyncIterator
from datetime import date

from aiohttp import web

from adapters.inbound.http.app_keys import API_SECRET_KEY, USE_CASES
from adapters.inbound.http.middleware import error_middleware, request_id_middleware
from adapters.inbound.http.page import PageConfig, add_page
from adapters.inbound.http.routes import add_routes
from bootstrap.container import Container, init_resources, shutdown_resources, use_case_registry
from bootstrap.logging import bind_request_id
from bootstrap.settings import Settings
from domain.moscow_time import moscow_day


def create_app(container: Container) -> web.Application:
    """The app; its cleanup context starts the container's resources and shuts them down."""
    app = web.Application(middlewares=[request_id_middleware(bind_request_id), error_middleware])
    add_routes(app)
    settings = container.settings()
    # The page's "today" is the server's (the demo's clock runs ahead of the browser's).
    today = functools.partial(_moscow_today, container)
    add_page(app, PageConfig(_widget_bot(settings), today))
    app.cleanup_ctx.append(functools.partial(_container_lifetime, container))
    return app


def _widget_bot(settings: Settings) -> str | None:
    """The login widget needs both the bot's username (to show it) and its token (to check what it sends)."""
    return settings.telegram_bot_username if settings.telegram_bot_token is not None else None


async def _moscow_today(container: Container) -> date:
    clock = await container.gateways.clock()  # the gateways are async providers
    return moscow_day(clock.now())


async def _container_lifetime(container: Container, app: web.Application) -> AsyncIterator[None]:
    try:
        await init_resources(container)
        app[USE_CASES] = use_case_registry(container)
        app[API_SECRET_KEY] = container.settings().api_secret_key.reveal()
        yield
    finally:
        await shutdown_resources(container)
