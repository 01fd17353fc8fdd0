"""The seed's walkthrough (shared/seeds/000_…, §0 and §3–§6) replayed against wb-pulse and the simulator:
every call the Telegram bot makes there answers as the seed describes, with the seed's own figures on the
seed-scale preset (11,770 orders = 4,706 active + 7,064 cancelled; 4,488 sales = 4,322 buyouts + 166 returns;
buyout rate 96.3 %). The notification calls (§1–§2) belong to the notification issue.

The app runs with its real container on a database of this test alone; the simulator stands for WB (its key
in place of a real one). The first sync runs here in the foreground instead of on a worker."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient

from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.settings import load_settings
from tests.integration.sync_harness import new_seller, settings_env, sim_fixture, sync_until_clean  # noqa: F401 - fixture sim

SECRET = {"X-API-SECRET-KEY": "test-secret-key"}
FIRST, SECOND = 123456789, 987654321


@pytest.fixture
async def bot(
    sim: TestClient, own_database_url: str, redis_url: str, tmp_path: Path, aiohttp_client: Any
) -> AsyncIterator[tuple[TestClient, Any]]:
    env = settings_env(own_database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    container = build_container(load_settings(env))
    client = await aiohttp_client(create_app(container))
    yield client, container


async def call(client: TestClient, method: str, path: str, **kw: Any) -> tuple[int, Any]:
    resp = await client.request(method, path, headers={**SECRET, **kw.pop("headers", {})}, **kw)
    return resp.status, await resp.json()


async def test_the_seed_walkthrough(sim: TestClient, bot: tuple[TestClient, Any]) -> None:
    client, container = bot
    seller = await new_seller(sim, preset="seed")

    # §0.2 a user
    body = {"telegram_id": FIRST, "username": "test_user", "first_name": "Test", "last_name": "User"}
    status, user = await call(client, "POST", "/users/", json=body)
    assert status == 201 and user["telegram_id"] == FIRST and user["username"] == "test_user"
    status, again = await call(client, "POST", "/users/", json=body)
    assert status == 200 and again["id"] == user["id"]

    # §0.3 the cabinet, key in the query string as the seed does it
    params = {"user_id": user["id"], "api_key": seller.key, "name": "Test Cabinet"}
    status, connected = await call(client, "POST", "/wb/cabinets/", params=params)
    assert status in (200, 201) and connected["status"] == "created", connected
    assert connected["name"] == "Test Cabinet" and connected["telegram_text"]
    cabinet_id = connected["cabinet_id"]
    assert seller.key not in str(connected)

    # §0.4 the user's cabinets
    status, listed = await call(client, "GET", "/wb/cabinets/", params={"user_id": user["id"]})
    assert status == 200 and cabinet_id in str(listed) and seller.key not in str(listed)

    await sync_until_clean(container, UUID(cabinet_id))

    # §3.1 the orders statistics, cancelled orders included
    status, stats = await call(client, "GET", "/api/v1/bot/orders/statistics", params={"telegram_id": FIRST})
    assert status == 200 and stats["success"] is True, stats
    orders, sales = stats["data"]["orders"], stats["data"]["sales"]
    assert (orders["total_orders"], orders["active_orders"], orders["canceled_orders"]) == (11770, 4706, 7064)
    assert (sales["total_sales"], sales["buyouts"], sales["returns"]) == (4488, 4322, 166)
    assert round(float(sales["buyout_rate"]), 1) == 96.3
    assert "11" in stats["telegram_text"] and "770" in stats["telegram_text"]

    # §3.2 recent orders, all / active / cancelled
    for kind in (None, "active", "canceled"):
        params = {"telegram_id": FIRST, "limit": 5, **({"status": kind} if kind else {})}
        status, recent = await call(client, "GET", "/api/v1/bot/orders/recent", params=params)
        assert status == 200 and len(recent["orders"]) == 5, recent
        assert recent["pagination"]["limit"] == 5 and recent["pagination"]["has_more"] is True
        total = recent["pagination"]["total"]
        assert total == {None: 11770, "active": 4706, "canceled": 7064}[kind]
        assert recent["telegram_text"]

    # §4 sales, by user_id as the seed does it
    uid = {"user_id": user["id"]}
    status, sale_stats = await call(client, "GET", "/api/v1/bot/sales/statistics", params=uid)
    assert status == 200 and sale_stats["success"] is True, sale_stats
    for path, kinds in (("recent", {"buyout", "return"}), ("buyouts", {"buyout"}), ("returns", {"return"})):
        status, listed_sales = await call(
            client, "GET", f"/api/v1/bot/sales/{path}", params={**uid, "limit": 10}
        )
        assert status == 200, listed_sales
        found = _items(listed_sales)
        assert found and {s["type"] for s in found} <= kinds
        assert all({"sale_id", "srid", "nm_id", "type"} <= s.keys() for s in found)

    # §5 a second user joins the same cabinet with the same key
    body2 = {"telegram_id": SECOND, "username": "second_user", "first_name": "Second", "last_name": "User"}
    status, user2 = await call(client, "POST", "/users/", json=body2)
    assert status == 201
    params2 = {"user_id": user2["id"], "api_key": seller.key, "name": "Team Cabinet"}
    status, joined = await call(client, "POST", "/wb/cabinets/", params=params2)
    assert status in (200, 201) and joined["status"] == "connected" and joined["cabinet_id"] == cabinet_id
    for who in (user, user2):
        status, mine = await call(client, "GET", "/wb/cabinets/", params={"user_id": who["id"]})
        assert status == 200 and cabinet_id in str(mine)

    # §6.1 an invalid key: a clear 400, nothing stored
    bad = {"user_id": user["id"], "api_key": "INVALID_KEY", "name": "Test Cabinet"}
    status, refused = await call(client, "POST", "/wb/cabinets/", params=bad)
    assert status == 400 and refused["error"]["message"]

    # §6.2 validate every cabinet
    status, validated = await call(client, "GET", "/api/v1/wb/cabinets/validation/validate-all")
    assert status == 200 and validated["success"] is True
    assert validated["data"]["total_cabinets"] == 1 and validated["data"]["valid_cabinets"] == 1


def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The list of sales in an answer, whatever its key (the seed shows several envelopes)."""
    for key in ("sales", "items", "buyouts", "returns"):
        if isinstance(body.get(key), list):
            return list(body[key])
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get(key), list):
            return list(data[key])
    raise AssertionError(f"no list of sales in {list(body)}")
