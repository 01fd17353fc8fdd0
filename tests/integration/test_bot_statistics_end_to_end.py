"""Seed 000 §3–§4 for real: a seed-scale seller (11,770 orders of which 7,064 cancelled, 4,488 sales of which
166 returns, about half of the orders FBW) synced from the simulator over loopback into Postgres, then asked
through the bot's HTTP routes: the seed's "honest statistics", exactly."""

from typing import Any

from aiohttp.test_utils import TestClient

from bootstrap.app import create_app
from tests.integration.sync_harness import (
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    new_telegram_id,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)

BOT = {"X-API-SECRET-KEY": "test-secret-key"}


async def test_the_seed_sellers_statistics_are_the_seeds_figures(
    sim: TestClient, container: Any, aiohttp_client: Any
) -> None:
    seller = await new_seller(sim, preset="seed")
    telegram_id = new_telegram_id()
    cabinet = await connect(container, seller.key, telegram_id)
    await sync_until_clean(container, cabinet.id)
    client = await aiohttp_client(create_app(container))

    async def get(path: str, **query: object) -> Any:
        resp = await client.get(path, params={"telegram_id": telegram_id, **query}, headers=BOT)
        assert resp.status == 200, await resp.text()
        return await resp.json()

    stats = await get("/api/v1/bot/orders/statistics")
    orders, sales = stats["data"]["orders"], stats["data"]["sales"]
    assert (orders["total_orders"], orders["active_orders"], orders["canceled_orders"]) == (11770, 4706, 7064)
    assert (sales["total_sales"], sales["buyouts"], sales["returns"]) == (4488, 4322, 166)
    assert sales["buyout_rate"] == 96.3
    summary = stats["data"]["summary"]
    assert summary["fbw_orders"] > 0 and summary["fbs_orders"] > 0, summary
    assert "11 770" in stats["telegram_text"] and "96,3 %" in stats["telegram_text"]

    recent = await get("/api/v1/bot/orders/recent", limit=5)
    dates = [o["date"] for o in recent["orders"]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert recent["pagination"] == {"limit": 5, "offset": 0, "total": 11770, "has_more": True}
    cancelled = await get("/api/v1/bot/orders/recent", status="canceled", limit=5)
    assert cancelled["pagination"]["total"] == 7064
    assert {o["status"] for o in cancelled["orders"]} == {"canceled"}

    async with (await container.gateways.unit_of_work_factory())() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
    by_user = await client.get("/api/v1/bot/sales/statistics", params={"user_id": user.id}, headers=BOT)
    assert by_user.status == 200
    assert (await by_user.json())["data"]["sales"] == sales
    assert (await get("/api/v1/bot/sales/returns"))["pagination"]["total"] == 166
    assert (await get("/api/v1/bot/sales/buyouts"))["pagination"]["total"] == 4322
    assert (await get("/api/v1/bot/sales/recent", limit=10))["pagination"]["total"] == 4488
