"""Route tables: handlers get validated models, bad inputs are a 400 naming each location, guards run
first, and a handler cannot answer with something its route does not declare."""

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import Field

from adapters.inbound.http.app_keys import API_SECRET_KEY
from adapters.inbound.http.binding import add_tables
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.middleware import error_middleware, request_id_middleware
from adapters.inbound.http.routing import Reply, Returns, Route, RouteTable
from adapters.inbound.http.schemas import CamelSchema, Schema

Client = Callable[[web.Application], Awaitable[TestClient]]
SECRET = {"X-API-SECRET-KEY": "s3cret"}


class ItemPath(Schema):
    item_id: int


class ItemQuery(Schema):
    since: date = Field(alias="from")
    limit: int = Field(default=100, ge=1, le=1000)
    nm_id: list[int] = Field(default_factory=list)


class ItemBody(CamelSchema):
    unit_cost: float = Field(ge=0)
    name: str


class ItemOut(CamelSchema):
    item_id: int
    since: date
    limit: int
    nm_ids: list[int]
    unit_cost: float


async def put_item(request: web.Request, path: ItemPath, query: ItemQuery, body: ItemBody) -> ItemOut:
    return ItemOut(
        item_id=path.item_id,
        since=query.since,
        limit=query.limit,
        nm_ids=query.nm_id,
        unit_cost=body.unit_cost,
    )


async def undeclared(request: web.Request) -> Reply:
    return Reply(ItemPath(item_id=1), status=201)


TABLE = RouteTable(
    name="test",
    prefix="/t",
    routes=(
        Route("PUT", "/items/{item_id}", put_item, summary="Put", tags=("t",), path_params=ItemPath,
              query=ItemQuery, body=ItemBody, responses={200: Returns("ok", ItemOut)}, guard=BOT_SECRET),
        Route("GET", "/undeclared", undeclared, summary="Lies", tags=("t",),
              responses={200: Returns("ok", ItemPath)}),
    ),
)  # fmt: skip


@pytest.fixture
async def client(aiohttp_client: Client) -> TestClient:
    app = web.Application(middlewares=[request_id_middleware(lambda _: lambda: None), error_middleware])
    app[API_SECRET_KEY] = "s3cret"
    add_tables(app, [TABLE])
    return await aiohttp_client(app)


async def test_handler_gets_validated_models_and_answers_in_camel_case(client: TestClient) -> None:
    response = await client.put(
        "/t/items/7?from=2026-01-24&nm_id=1&nm_id=2", json={"unitCost": 12.5, "name": "Cap"}, headers=SECRET
    )
    assert response.status == 200, await response.text()
    assert await response.json() == {
        "itemId": 7, "since": "2026-01-24", "limit": 100, "nmIds": [1, 2], "unitCost": 12.5
    }  # fmt: skip


async def test_every_bad_input_is_named_by_its_location(client: TestClient) -> None:
    response = await client.put("/t/items/x?from=2026-01-24&limit=0", json={"unitCost": -1}, headers=SECRET)
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid_request"
    fields = {d["field"]: d["reason"] for d in error["details"]}
    assert set(fields) == {"path.item_id", "query.limit", "body.unitCost", "body.name"}
    assert "greater than or equal to 1" in fields["query.limit"]
    assert fields["body.name"] == "Field required"


async def test_missing_required_query_parameter_is_named_by_its_wire_name(client: TestClient) -> None:
    response = await client.put("/t/items/1", json={"unitCost": 1, "name": "n"}, headers=SECRET)
    assert [d["field"] for d in (await response.json())["error"]["details"]] == ["query.from"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [("{not json", "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
     ("", "a JSON body is required"),
     ("[1, 2]", "Input should be a valid dictionary or instance of ItemBody")],
)  # fmt: skip
async def test_a_body_that_is_not_the_json_object_expected_is_a_400(
    client: TestClient, data: str, reason: str
) -> None:
    response = await client.put("/t/items/1?from=2026-01-01", data=data, headers=SECRET)
    assert response.status == 400
    assert (await response.json())["error"]["details"] == [{"field": "body", "reason": reason}]


async def test_the_guard_refuses_before_inputs_are_looked_at(client: TestClient) -> None:
    for headers in ({}, {"X-API-SECRET-KEY": "s3cre"}, {"X-API-SECRET-KEY": "s3cret-and-more"}):
        response = await client.put("/t/items/x", data="junk", headers=headers)
        assert response.status == 401
        assert await response.json() == {
            "error": {"code": "unauthorized", "message": "missing or wrong X-API-SECRET-KEY", "details": None}
        }


async def test_an_undeclared_answer_is_a_500_not_a_silent_lie(client: TestClient) -> None:
    response = await client.get("/t/undeclared")
    assert response.status == 500


def test_a_handler_that_disagrees_with_its_route_fails_when_declared() -> None:
    with pytest.raises(TypeError, match="takes"):
        Route("GET", "/items/{item_id}", undeclared, summary="s", tags=(), path_params=ItemPath, responses={})
    with pytest.raises(TypeError, match="placeholders"):
        Route("GET", "/items/{other}", undeclared, summary="s", tags=(), responses={})


def test_a_handler_input_annotated_with_another_model_fails_when_declared() -> None:
    async def wrong(request: web.Request, path: ItemQuery) -> ItemOut:
        raise AssertionError

    with pytest.raises(TypeError, match="must be annotated ItemPath"):
        Route("GET", "/items/{item_id}", wrong, summary="s", tags=(), path_params=ItemPath, responses={})
