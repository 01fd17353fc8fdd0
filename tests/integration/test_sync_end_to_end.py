"""The whole sync for real: simulator over loopback HTTP, real Redis rate limiter, real Postgres.

The first sync stores exactly what the simulator generated (counts and money sums equal its ground truth),
a second sync writes nothing, and the simulator saw no rate-limit violation. The bot reads the per-source
data health afterwards.
"""

from typing import Any

from aiohttp.test_utils import TestClient

from tests.integration.sync_harness import (
    assert_store_equals_truth,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    sim_fixture,  # noqa: F401 - fixture sim
)


async def test_initial_sync_stores_exactly_the_simulators_data_and_a_second_sync_writes_nothing(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    sync = await container.use_cases.sync_cabinet()

    first = await sync(cabinet.id)
    assert [s.error for s in first.sources if s.error] == []
    await assert_store_equals_truth(container, cabinet.id, await seller.truth())

    second = await sync(cabinet.id)
    assert [s.error for s in second.sources if s.error] == []
    assert {s.source: s.written for s in second.sources if s.written} == {}
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats["violations"]


async def test_bot_reads_per_source_data_health_after_a_sync(
    sim: TestClient, container: Any, aiohttp_client
) -> None:
    from bootstrap.app import create_app

    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await (await container.use_cases.sync_cabinet())(cabinet.id)
    client = await aiohttp_client(create_app(container))
    url = f"/api/v1/wb/cabinets/{cabinet.id}/health"
    secret = {"X-API-SECRET-KEY": "test-secret-key"}

    assert (await client.get(url)).status == 401
    wrong = await client.get(url, headers={"X-API-SECRET-KEY": "not-the-secret"})
    assert wrong.status == 401 and "error" in await wrong.json()

    ok = await client.get(url, headers=secret)
    assert ok.status == 200
    body = await ok.json()
    assert body["status"] == "active"
    sources = {s["source"]: s for s in body["sources"]}
    assert set(sources) >= {"fbs_orders", "fbs_statuses", "stat_orders", "stat_sales", "stocks", "feedbacks"}
    assert all(s["lastSuccessAt"] and s["lastError"] is None for s in sources.values())
    assert sources["stat_orders"]["rowsTaken"] > 0
    truth = await seller.truth()
    stored = body["storedRows"]
    assert (stored["orders"], stored["statOrders"]) == (
        truth["fbs_orders"]["count"],
        truth["stats_orders"]["rows"],
    )
    assert seller.key not in await ok.text()

    unknown = await client.get(
        "/api/v1/wb/cabinets/00000000-0000-0000-0000-000000000000/health", headers=secret
    )
    assert unknown.status == 404
    bad = await client.get("/api/v1/wb/cabinets/not-a-uuid/health", headers=secret)
    assert bad.status == 400
    assert [d["field"] for d in (await bad.json())["error"]["details"]] == ["path.cabinet_id"]
