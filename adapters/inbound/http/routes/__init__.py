"""Every route of the HTTP API: one table per face, mounted together, described by one document."""

import json
from collections.abc import Sequence

from aiohttp import web

from adapters.inbound.http.app_keys import OPENAPI_DOCUMENT
from adapters.inbound.http.binding import add_tables
from adapters.inbound.http.docs import add_docs_assets
from adapters.inbound.http.openapi import build_document
from adapters.inbound.http.routes import bot, dashboard, system
from adapters.inbound.http.routing import RouteTable

ROUTE_TABLES: tuple[RouteTable, ...] = (system.TABLE, bot.TABLE, dashboard.TABLE)


def add_routes(app: web.Application, tables: Sequence[RouteTable] = ROUTE_TABLES) -> None:
    """Mounts the tables and the docs' static files, and renders the OpenAPI document of the tables."""
    add_tables(app, tables)
    add_docs_assets(app)
    app[OPENAPI_DOCUMENT] = json.dumps(build_document(tables), ensure_ascii=False).encode()
