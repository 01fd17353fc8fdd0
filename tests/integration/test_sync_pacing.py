"""Statistics paging at WB's real pace (issue 7, point 7): `supplier/sales` allows one call a minute, so a
second sales page in one run cannot be had inline. The run ends that source for now without an error, data
health says it continues, and the next run after the wait continues from where the first stopped."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from dependency_injector import providers
from redis.asyncio import Redis

from adapters.outbound.memory.clock import ManualClock
from bootstrap.container import build_container, init_resources, shutdown_resources
from bootstrap.settings import load_settings
from tests.integration.sync_harness import (
    PAGE_CAP,
    RATE_SCALE,
    assert_store_equals_truth,
    connect,
    container_fixture,  # noqa: F401 - fixture container (the simulator's scale, for the continuation)
    errors,
    new_seller,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
)


async def _production_paced(sim: TestClient, database_url: str, redis_url: str, tmp_path: Path) -> Any:
    env = {**settings_env(database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)}
    env["WB_RATE_SCALE"] = "1"
    c = build_container(load_settings(env))
    await init_resources(c)
    return c


async def test_a_second_sales_page_at_production_pacing_continues_later_without_an_error(
    sim: TestClient, container: Any, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    # The small preset has 458 sales rows: with a page cap of 300 the sales report takes two pages.
    seller = await new_seller(sim, rate_scale=1.0)
    paced = await _production_paced(sim, database_url, redis_url, tmp_path)
    try:
        cabinet = await connect(paced, seller.key)
        first = await (await paced.use_cases.sync_cabinet())(cabinet.id)
        health = await (await paced.use_cases.cabinet_data_health())(cabinet.id)
    finally:
        await shutdown_resources(paced)

    assert errors(first) == []
    sales = first.source("stat_sales")
    assert sales.taken == PAGE_CAP and sales.continues_at is not None
    row = next(s for s in health.sources if s.source == "stat_sales")
    assert row.waiting and row.continues_at == sales.continues_at and row.last_error is None
    assert row.backoff_until is None
    stats = await seller.stats()
    assert stats["violations_total"] == 0 and "429" not in str(stats["by_status"])

    # A minute later on both sides (WB's bucket and ours refill): the next run continues the source.
    await seller._call("POST", "/config", {"rate_scale": RATE_SCALE})
    await _forget_our_buckets(redis_url)
    container.gateways.clock.override(
        providers.Object(ManualClock(sales.continues_at + timedelta(seconds=1)))
    )
    second = await (await container.use_cases.sync_cabinet())(cabinet.id)
    assert errors(second) == []
    assert second.source("stat_sales").continues_at is None and second.source("stat_sales").taken > 0
    await assert_store_equals_truth(container, cabinet.id, await seller.truth())
    health = await (await container.use_cases.cabinet_data_health())(cabinet.id)
    assert not next(s for s in health.sources if s.source == "stat_sales").waiting


async def _forget_our_buckets(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        keys = [k async for k in redis.scan_iter(match="wbpulse:ratelimit:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()
