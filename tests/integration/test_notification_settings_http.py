"""The bot's notification settings routes (issue 9, point 4) over HTTP on the real app, Postgres and Redis:
an update is what the next read shows, the Redis cache key follows every change, a bad input is a 400
naming the field, an unknown user a 404, and the stock ignore list is added to, listed and removed from."""

import asyncio
import json
import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from adapters.inbound.http.bot.notification_settings_schemas import NotificationSettingsChanges
from bootstrap.app import create_app
from bootstrap.container import build_container
from domain.notifications import NotificationSettings
from tests.integration.test_http_app import Client, settings_for
from tests.integration.test_openapi_conformance import client  # noqa: F401 - fixture

BOT = {"X-API-SECRET-KEY": "CnWvwoDwwGKh"}
SETTINGS = "/api/v1/notifications/settings"
IGNORE_LIST = f"{SETTINGS}/stock-ignore-list"
DEFAULTS = {
    **attrs.asdict(NotificationSettings(), filter=lambda a, _: a.name != "excluded_stock_nm_ids"),
    "stock_ignore_list": [],
}


@attrs.frozen
class Seller:
    telegram_id: int
    user_id: int

    @property
    def cache_key(self) -> str:
        return f"notifications:settings:{self.user_id}"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    raw = Redis.from_url(redis_url)
    yield raw
    await raw.aclose()


async def new_seller(app: TestClient, redis: Redis | None = None) -> Seller:
    telegram_id = secrets.randbelow(10**12) + 10**12
    resp = await app.post("/users/", json={"telegram_id": telegram_id}, headers=BOT)
    assert resp.status == 201, await resp.text()
    seller = Seller(telegram_id, (await resp.json())["id"])
    if redis is not None:
        # Every test database numbers its users from 1 and they all share this Redis: a value cached for
        # this id by an earlier session (or the fuzz test's database) would be read as this user's.
        await redis.delete(seller.cache_key)
    return seller


async def call(
    app: TestClient, method: str, path: str, expected: int, body: object = None, **query: Any
) -> Any:
    resp = await app.request(method, path, params=query, json=body, headers=BOT)
    assert resp.status == expected, await resp.text()
    return await resp.json()


def fields_of(answer: dict[str, Any]) -> list[str]:
    return [d["field"] for d in answer["error"]["details"]]


async def test_an_update_is_what_the_next_get_shows_and_the_cache_key_follows_it(
    client: TestClient,  # noqa: F811 - fixture
    redis: Redis,
) -> None:
    seller = await new_seller(client, redis)
    first = await call(client, "GET", SETTINGS, 200, telegram_id=seller.telegram_id)
    assert first == {"success": True, "data": DEFAULTS}
    assert json.loads(await redis.get(seller.cache_key))["max_group_size"] == 5
    assert 0 < await redis.ttl(seller.cache_key) <= 3600

    assert first["data"]["missing_cogs_enabled"] is True  # ours, beyond the seed's fields: on by default
    changes = {
        "grouping_enabled": False,
        "max_group_size": 10,
        "stock_analysis_days": 14,
        "missing_cogs_enabled": False,
    }
    updated = await call(client, "POST", SETTINGS, 200, changes, telegram_id=seller.telegram_id)
    assert not await redis.exists(seller.cache_key)

    assert updated["data"] == DEFAULTS | changes
    assert (await call(client, "GET", SETTINGS, 200, telegram_id=seller.telegram_id)) == updated
    assert json.loads(await redis.get(seller.cache_key))["max_group_size"] == 10


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sound_enabled": True}, "body.sound_enabled"),  # an unknown field
        ({"excluded_stock_nm_ids": [1]}, "body.excluded_stock_nm_ids"),  # the ignore list has its routes
        ({"notifications_enabled": 1}, "body.notifications_enabled"),  # a wrong type, strictly
        ({"max_group_size": True}, "body.max_group_size"),
        ({"group_timeout": 60.0}, "body.group_timeout"),
        ({"grouping_enabled": None}, "body.grouping_enabled"),
        ({"missing_cogs_enabled": "false"}, "body.missing_cogs_enabled"),
        ({"review_rating_threshold": 6}, "body.review_rating_threshold"),  # out of range
        ({"group_timeout": 301}, "body.group_timeout"),
        ({"max_group_size": 0}, "body.max_group_size"),
        ({"stock_analysis_days": 5}, "body.stock_analysis_days"),
        ({"new_orders_enabled": False, "max_group_size": 51}, "body.max_group_size"),
        ({}, "body"),  # nothing to update
        ([], "body"),
    ],
)
async def test_a_bad_update_is_a_400_naming_the_field_and_changes_nothing(
    client: TestClient,  # noqa: F811 - fixture
    redis: Redis,
    body: object,
    field: str,
) -> None:
    seller = await new_seller(client, redis)
    answer = await call(client, "POST", SETTINGS, 400, body, telegram_id=seller.telegram_id)
    assert fields_of(answer) == [field], answer
    assert (await call(client, "GET", SETTINGS, 200, telegram_id=seller.telegram_id))["data"] == DEFAULTS


async def test_an_unknown_telegram_id_is_a_404_on_every_route(
    client: TestClient,  # noqa: F811 - fixture
) -> None:
    unknown = secrets.randbelow(10**12) + 10**13
    calls: list[tuple[str, str, object, dict[str, Any]]] = [
        ("GET", SETTINGS, None, {}),
        ("POST", SETTINGS, {"grouping_enabled": False}, {}),
        ("GET", IGNORE_LIST, None, {}),
        ("POST", IGNORE_LIST, {"nm_ids": [1]}, {}),
        ("DELETE", IGNORE_LIST, None, {"nm_id": "1"}),
    ]
    for method, path, body, query in calls:
        answer = await call(client, method, path, 404, body, telegram_id=unknown, **query)
        assert answer["error"]["code"] == "not_found", (method, path)


async def test_the_ignore_list_is_added_to_listed_and_removed_from(
    client: TestClient,  # noqa: F811 - fixture
    redis: Redis,
) -> None:
    seller = await new_seller(client, redis)
    tg = seller.telegram_id
    assert await call(client, "GET", IGNORE_LIST, 200, telegram_id=tg) == {
        "success": True,
        "data": {"nm_ids": []},
    }
    await call(client, "GET", SETTINGS, 200, telegram_id=tg)  # cached

    added = await call(client, "POST", IGNORE_LIST, 200, {"nm_ids": [300, 100, 200, 100]}, telegram_id=tg)
    assert added["data"]["nm_ids"] == [100, 200, 300]
    assert not await redis.exists(seller.cache_key)
    assert (await call(client, "GET", SETTINGS, 200, telegram_id=tg))["data"]["stock_ignore_list"] == [
        100,
        200,
        300,
    ]

    removed = await call(client, "DELETE", IGNORE_LIST + "?nm_id=100&nm_id=999", 200, telegram_id=tg)
    assert removed["data"]["nm_ids"] == [200, 300]
    assert not await redis.exists(seller.cache_key)
    assert (await call(client, "GET", IGNORE_LIST, 200, telegram_id=tg))["data"]["nm_ids"] == [200, 300]
    assert (await call(client, "GET", SETTINGS, 200, telegram_id=tg))["data"]["stock_ignore_list"] == [
        200,
        300,
    ]


@pytest.mark.parametrize(
    ("method", "body", "query", "field"),
    [
        ("POST", {"nm_ids": []}, "", "body.nm_ids"),
        ("POST", {"nm_ids": [5, 0]}, "", "body.nm_ids.1"),
        ("POST", {"nm_ids": ["5"]}, "", "body.nm_ids.0"),
        ("POST", {"nm_ids": [5], "all": True}, "", "body.all"),
        ("DELETE", None, "", "query.nm_id"),
        ("DELETE", None, "&nm_id=-3", "query.nm_id.0"),
    ],
)
async def test_a_bad_article_id_is_a_400_naming_it(
    client: TestClient,  # noqa: F811 - fixture
    method: str,
    body: object,
    query: str,
    field: str,
) -> None:
    seller = await new_seller(client)
    answer = await call(client, method, f"{IGNORE_LIST}?telegram_id={seller.telegram_id}{query}", 400, body)
    assert field in fields_of(answer), answer


async def test_the_ignore_list_stops_at_a_thousand_articles_and_adds_none_past_it(
    client: TestClient,  # noqa: F811 - fixture
) -> None:
    seller = await new_seller(client)
    tg = seller.telegram_id
    await call(client, "POST", IGNORE_LIST, 200, {"nm_ids": list(range(1, 1000))}, telegram_id=tg)
    answer = await call(client, "POST", IGNORE_LIST, 400, {"nm_ids": [5000, 5001]}, telegram_id=tg)
    assert fields_of(answer) == ["nm_ids"], answer
    full = await call(client, "POST", IGNORE_LIST, 200, {"nm_ids": [1, 5000]}, telegram_id=tg)
    assert len(full["data"]["nm_ids"]) == 1000


def test_the_settings_body_offers_every_setting_but_the_ignore_list() -> None:
    offered = set(NotificationSettingsChanges.model_fields)
    assert offered == {a.name for a in attrs.fields(NotificationSettings)} - {"excluded_stock_nm_ids"}
    assert set(DEFAULTS) == offered | {"stock_ignore_list"}


async def test_settings_are_read_and_changed_while_redis_is_down(
    aiohttp_client: Client, database_url: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app: web.Application = create_app(
        build_container(settings_for(database_url, f"redis://127.0.0.1:{closed}/0"))
    )
    down = await aiohttp_client(app)
    seller = await new_seller(down)
    tg = seller.telegram_id
    assert (await call(down, "GET", SETTINGS, 200, telegram_id=tg))["data"] == DEFAULTS
    await call(down, "POST", SETTINGS, 200, {"order_returns_enabled": False}, telegram_id=tg)
    assert (await call(down, "GET", SETTINGS, 200, telegram_id=tg))["data"]["order_returns_enabled"] is False


async def test_concurrent_changes_of_one_user_are_both_kept(
    client: TestClient,  # noqa: F811 - fixture
    redis: Redis,
) -> None:
    """Each change reads, changes and saves the row under its lock: ten at once lose none of them."""
    seller = await new_seller(client, redis)
    path = "/api/v1/notifications/settings/stock-ignore-list"
    await asyncio.gather(
        *(
            call(client, "POST", path, 200, {"nm_ids": [n]}, telegram_id=seller.telegram_id)
            for n in range(1, 11)
        )
    )
    answer = await call(client, "GET", path, 200, telegram_id=seller.telegram_id)
    assert answer["data"]["nm_ids"] == list(range(1, 11))
