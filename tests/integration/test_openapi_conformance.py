"""Every route of every table, called on the real app (real container, Postgres and Redis), answers with
a body that matches the schema the served OpenAPI document declares for its path, method and status:
successes and errors alike. A route added to a table without a case here fails this module."""

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # ships no stubs
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.inbound.http.routes import ROUTE_TABLES
from adapters.inbound.http.routing import openapi_path
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.sync import SourceState
from bootstrap.app import create_app
from bootstrap.container import build_container
from domain.identity import Cabinet
from domain.wb_token import WbCategory
from tests.integration.test_http_app import Client, settings_for

DOCUMENT_URI = "urn:wb-pulse:openapi"
BOT = {"X-API-SECRET-KEY": "CnWvwoDwwGKh"}
NOW = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
ROUTES = [(r.method, openapi_path(t.full_path(r))) for t in ROUTE_TABLES for r in t.routes]


@attrs.frozen
class Call:
    url: str
    status: int
    headers: dict[str, str] = attrs.field(factory=dict)


def cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    """How each route is exercised: its success, and each error it declares."""
    health = f"/api/v1/wb/cabinets/{cabinet_id}/health"
    return {
        ("GET", "/health"): [Call("/health", 200)],
        ("GET", "/ready"): [Call("/ready", 200)],
        ("GET", "/openapi.json"): [Call("/openapi.json", 200)],
        ("GET", "/docs"): [Call("/docs", 200)],
        ("GET", "/api/v1/wb/cabinets/{cabinet_id}/health"): [
            Call(health, 200, BOT),
            Call(health, 401),
            Call(health, 401, {"X-API-SECRET-KEY": "not-the-secret"}),
            Call(f"/api/v1/wb/cabinets/{uuid.uuid4()}/health", 404, BOT),
            Call("/api/v1/wb/cabinets/not-a-uuid/health", 400, BOT),
        ],
    }


async def stored_cabinet(engine: AsyncEngine) -> uuid.UUID:
    """A cabinet with one source synced and one failing, so dates and errors appear in its health."""
    cabinet = Cabinet(
        id=uuid.uuid4(),
        name="Shop",
        key_fingerprint=secrets.token_hex(32),
        seller_id="s-" + secrets.token_hex(4),
        token_expires_at=NOW + timedelta(days=180),
        categories=frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS}),
        read_only=True,
        created_at=NOW,
    )
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        await uow.cabinets.add(cabinet, b"ciphertext")
        await uow.source_states.save(
            SourceState(cabinet.id, "stat_orders", last_success_at=NOW, rows_taken=3)
        )
        failed = SourceState(cabinet.id, "stocks", last_error="429", last_error_at=NOW, backoff_until=NOW)
        await uow.source_states.save(failed)
        await uow.commit()
    return cabinet.id


@pytest.fixture
async def client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    app: web.Application = create_app(build_container(settings_for(database_url, redis_url)))
    return await aiohttp_client(app)


def test_every_route_has_cases_and_every_case_a_route() -> None:
    assert set(cases(uuid.uuid4())) == set(ROUTES)


@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_route_answers_as_the_document_declares(
    client: TestClient, pg_engine: AsyncEngine, method: str, template: str
) -> None:
    calls = cases(await stored_cabinet(pg_engine)).get((method, template))
    assert calls, f"{method} {template} is in a route table but not exercised here: add its cases"
    document = await (await client.get("/openapi.json")).json()
    for call in calls:
        response = await client.request(method, call.url, headers=call.headers)
        assert response.status == call.status, (call, await response.text())
        await assert_matches_document(document, template, method, response)


async def assert_matches_document(
    document: dict[str, Any], template: str, method: str, response: ClientResponse
) -> None:
    responses = document["paths"][template][method.lower()]["responses"]
    status = str(response.status)
    assert status in responses or response.status >= 400, f"{status} is not declared"
    key = status if status in responses else "default"
    assert response.content_type in responses[key]["content"], f"{response.content_type} is not declared"
    where = ("paths", template, method.lower(), "responses", key, "content", response.content_type, "schema")
    body = await response.json() if response.content_type == "application/json" else await response.text()
    validator(document, "#/" + "/".join(escape(part) for part in where)).validate(body)


def validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A 2020-12 validator of the schema at `pointer`, resolving `$ref`s against the whole document."""
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
    schema = {"$ref": DOCUMENT_URI + pointer}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")
