"""Property-based run of the bot API (schemathesis over our own `/openapi.json`): whatever the bot sends
that the document allows, and much that it does not, the server answers without a 500 and with a response
the document describes (status, content type, body schema).

The real app runs in a thread of its own on a fresh migrated database, with a WB simulator beside it, so a
connect or a validation reaches a WB that answers (and rejects the generated keys)."""

import asyncio
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings

from adapters.inbound.http.openapi import build_document
from adapters.inbound.http.routes import ROUTE_TABLES
from adapters.outbound.postgres.migrations import upgrade_to_head
from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.net import free_port
from bootstrap.settings import load_settings
from simulator.app import create_app as create_simulator
from tests.integration.conftest import with_database
from tests.integration.sync_harness import settings_env

SECRET = "test-secret-key"  # settings_env's API_SECRET_KEY
# Every bot route (the system routes have their own tests; the dashboard face has none yet).
schema = schemathesis.openapi.from_dict(build_document(ROUTE_TABLES)).exclude(tag="system")
# What is checked is what the issue asks: no 5xx, and status, content type, headers and body as documented.
# Not checked: acceptance of document-valid data ("exactly one of telegram_id and user_id" cannot be said in
# OpenAPI's query parameters, so neither or both is valid to the document and rightly a 400), and rejection
# of unknown query parameters (ignored, as HTTP APIs do).
NOT_CHECKED = [schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection]


class _Served:
    """aiohttp apps on free loopback ports, in a thread with its own event loop, until `stop()`."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runners: list[web.AppRunner] = []

    def serve(self, app: web.Application) -> str:
        port = free_port()
        asyncio.run_coroutine_threadsafe(self._start(app, port), self.loop).result(60)
        return f"http://127.0.0.1:{port}"

    async def _start(self, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.runners.append(runner)

    def stop(self) -> None:
        async def cleanup() -> None:
            for runner in reversed(self.runners):
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(cleanup(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def served(pg_server_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    dbname = f"wbpulse_fuzz_{secrets.token_hex(4)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    url = with_database(pg_server_url, dbname)
    upgrade_to_head(url)
    servers = _Served()
    try:
        wb = servers.serve(create_simulator())
        env = settings_env(url, redis_url, wb, Path(tmp_path_factory.mktemp("fuzz")))
        yield servers.serve(create_app(build_container(load_settings(env))))
    finally:
        servers.stop()
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@schema.parametrize()
# Derandomized so that CI runs the same examples every time; change the seed by hand to explore further
# (a random run found the NUL-in-a-name and the over-long telegram_id 500s fixed with it).
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_bot_api_never_answers_500_nor_outside_its_document(case: Any, served: str) -> None:
    response = case.call(base_url=served, headers={"X-API-SECRET-KEY": SECRET})
    excluded = list(NOT_CHECKED)
    if response.status_code == 400 and response.text.startswith("Got more than"):
        # A request line or header over aiohttp's limit is refused by its HTTP parser, in plain text, before
        # any handler or middleware of ours runs (only generated junk gets there; no secret is echoed).
        excluded.append(schemathesis.checks.content_type_conformance)
    case.validate_response(response, excluded_checks=excluded)
