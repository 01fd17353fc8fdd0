"""The OpenAPI document is valid OpenAPI 3.1 and lists every route of every table, as declared."""

import json
from importlib import metadata
from typing import Any

import pytest
from aiohttp import web
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from adapters.inbound.http.app_keys import OPENAPI_DOCUMENT
from adapters.inbound.http.openapi import build_document
from adapters.inbound.http.routes import ROUTE_TABLES, add_routes
from adapters.inbound.http.routing import openapi_path

Json = dict[str, Any]


@pytest.fixture(scope="module")
def document() -> Json:
    app = web.Application()
    add_routes(app)
    document: Json = json.loads(app[OPENAPI_DOCUMENT])
    return document


def operations(document: Json) -> dict[tuple[str, str], Json]:
    return {(path, method): op for path, item in document["paths"].items() for method, op in item.items()}


def test_document_is_valid_openapi_3_1(document: Json) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["info"]["title"] == "wb-pulse"
    assert document["info"]["version"] == metadata.version("wb-pulse")


def test_every_route_of_every_table_is_listed_once_and_nothing_else(document: Json) -> None:
    declared = {
        (openapi_path(table.full_path(route)), route.method.lower())
        for table in ROUTE_TABLES
        for route in table.routes
    }
    assert set(operations(document)) == declared
    assert {("/health", "get"), ("/ready", "get"), ("/openapi.json", "get"), ("/docs", "get")} <= declared
    ids = [op["operationId"] for op in operations(document).values()]
    assert len(ids) == len(set(ids))


def test_the_three_faces_are_mounted_with_their_prefixes() -> None:
    # The bot's paths are absolute: the seed mixes `/users/`, `/wb/cabinets/` and `/api/v1/bot/...`.
    assert [(t.name, t.prefix) for t in ROUTE_TABLES] == [
        ("system", ""),
        ("bot", ""),
        ("dashboard", "/v1"),
    ]


def test_bot_routes_require_the_api_key_scheme_and_others_do_not(document: Json) -> None:
    schemes = document["components"]["securitySchemes"]
    assert {k: schemes["botSecret"][k] for k in ("type", "in", "name")} == {
        "type": "apiKey", "in": "header", "name": "X-API-SECRET-KEY"
    }  # fmt: skip
    for (path, _), op in operations(document).items():
        if path.startswith(("/api/v1/", "/users/", "/wb/")):  # the bot's paths are the seed's
            assert op["security"] == [{"botSecret": []}]
            assert "401" in op["responses"]
        elif path.startswith("/v1/") and not path.startswith("/v1/auth/"):
            assert_dashboard_security(schemes, path, op)
        else:
            assert "security" not in op


def assert_dashboard_security(schemes: Json, path: str, op: Json) -> None:
    """/v1/me and the user's own notifications need the bearer token; every data route the token and
    X-Cabinet-Id, and says it may refuse with 400 (no or bad header), 401 and 403 (seed 002 §2)."""
    assert {k: schemes["bearer"][k] for k in ("type", "scheme", "bearerFormat")} == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT"
    }  # fmt: skip
    assert "401" in op["responses"]
    if path == "/v1/me" or path.startswith("/v1/notifications/"):
        assert op["security"] == [{"bearer": []}]
    else:
        assert {k: schemes["cabinetId"][k] for k in ("type", "in", "name")} == {
            "type": "apiKey", "in": "header", "name": "X-Cabinet-Id"
        }  # fmt: skip
        assert op["security"] == [{"bearer": [], "cabinetId": []}]
        assert {"400", "403"} <= set(op["responses"])


def test_every_error_response_is_the_error_schema(document: Json) -> None:
    error = document["components"]["schemas"]["Error"]
    info = document["components"]["schemas"]["ErrorInfo"]
    assert error["required"] == ["error"]
    assert info["required"] == ["code", "message", "details"]
    ref = {"$ref": "#/components/schemas/Error"}
    for (path, method), op in operations(document).items():
        for status, response in op["responses"].items():
            if status == "default" or (int(status) >= 400 and (path, status) != ("/ready", "503")):
                assert response["content"]["application/json"]["schema"] == ref, (path, method, status)


def test_two_models_with_one_name_fail_the_build() -> None:
    from adapters.inbound.http.routing import Returns, Route, RouteTable
    from adapters.inbound.http.schemas import Schema

    def model(field: str) -> type[Schema]:
        return type("Same", (Schema,), {"__annotations__": {field: int}})

    async def a(request: web.Request) -> Schema:
        raise AssertionError

    async def b(request: web.Request) -> Schema:
        raise AssertionError

    table = RouteTable("t", "", (
        Route("GET", "/a", a, summary="a", tags=(), responses={200: Returns("a", model("x"))}),
        Route("GET", "/b", b, summary="b", tags=(), responses={200: Returns("b", model("y"))}),
    ))  # fmt: skip
    with pytest.raises(ValueError, match="'Same'"):
        build_document([table])
