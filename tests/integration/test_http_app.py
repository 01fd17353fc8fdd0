"""The HTTP app as bootstrap builds it, on the real Postgres and Redis: probes, errors, request ids."""

import base64
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.net import free_port
from bootstrap.settings import Settings, load_settings
from domain.errors import InvalidValue

Client = Callable[[web.Application], Awaitable[TestClient]]
SECRET_IN_ERROR = "do-not-echo-this-secret-value"


def settings_for(database_url: str, redis_url: str) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "API_SECRET_KEY": "CnWvwoDwwGKh",
            "JWT_SECRET": "j" * 32,
            "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
            # Never the real WB from a test: a loopback port nothing listens on (a WB call is "unavailable").
            "WB_BASE_URL": f"http://127.0.0.1:{free_port()}",
        }
    )


async def boom(request: web.Request) -> web.Response:
    raise RuntimeError(f"database exploded with {SECRET_IN_ERROR}")


async def invalid(request: web.Request) -> web.Response:
    raise InvalidValue("unit_cost", "must not be negative")


@pytest.fixture
async def client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    app = create_app(build_container(settings_for(database_url, redis_url)))
    app.router.add_get("/test/boom", boom)  # test-only routes
    app.router.add_get("/test/invalid", invalid)
    return await aiohttp_client(app)


async def test_health_is_ok(client: TestClient) -> None:
    response = await client.get("/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_ready_when_postgres_and_redis_are(client: TestClient) -> None:
    response = await client.get("/ready")
    body = await response.json()
    assert response.status == 200, body
    assert body["status"] == "ready"
    assert body["checks"] == {"postgres": "ok", "redis": "ok"}
    assert "heartbeat" in body["info"]["worker"]  # informational: no worker runs here


async def test_ready_is_503_naming_redis_when_it_is_down(aiohttp_client: Client, database_url: str) -> None:
    settings = settings_for(database_url, f"redis://127.0.0.1:{free_port()}/0")
    client = await aiohttp_client(create_app(build_container(settings)))
    response = await client.get("/ready")
    body = await response.json()
    assert response.status == 503
    assert body["status"] == "not_ready"
    assert body["checks"]["postgres"] == "ok"
    assert body["checks"]["redis"].startswith("unreachable")
    assert (await client.get("/health")).status == 200  # alive, just not ready


async def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status == 404
    assert response.content_type == "application/json"
    assert await response.json() == {"error": {"code": "not_found", "message": "Not Found", "details": None}}


async def test_wrong_method_is_a_json_405_with_allow(client: TestClient) -> None:
    response = await client.post("/health")
    assert response.status == 405
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


async def test_exception_in_a_handler_is_a_generic_json_500(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.get("/test/boom", headers={"X-Request-Id": "trace-500"})
    assert response.status == 500
    body = await response.json()
    assert body == {
        "error": {
            "code": "internal_error",
            "message": "internal server error (request id trace-500)",
            "details": None,
        }
    }
    assert SECRET_IN_ERROR not in await response.text()
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error in GET /test/boom"]
    assert logged and logged[0].exc_info is not None  # with its traceback, for the operator


async def test_invalid_value_is_a_400_naming_the_field(client: TestClient) -> None:
    response = await client.get("/test/invalid")
    assert response.status == 400
    assert await response.json() == {
        "error": {
            "code": "invalid_value",
            "message": "unit_cost: must not be negative",
            "details": [{"field": "unit_cost", "reason": "must not be negative"}],
        }
    }


async def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = await client.get("/health", headers={"X-Request-Id": "abc-123.x"})
    assert echoed.headers["X-Request-Id"] == "abc-123.x"
    generated = await client.get("/health", headers={"X-Request-Id": "bad id\twith spaces"})
    assert generated.headers["X-Request-Id"] not in ("", "bad id\twith spaces")
    assert len(generated.headers["X-Request-Id"]) == 32
    missing = await client.get("/no/such/route")
    assert missing.headers["X-Request-Id"]
