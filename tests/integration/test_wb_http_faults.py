"""HttpWbSellerApi under WB's failure modes: pacing (zero rate-limit violations at the simulator), 429
waited out for at least X-Ratelimit-Retry, 5xx retried, 4xx not, odd bodies turned into typed errors."""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from application.ports.wb import WbApiError, WbAuthError, WbUnavailable
from tests.integration.wb_sim import Harness, harness

START = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
async def sim(aiohttp_server, redis_url: str) -> AsyncIterator[Harness]:
    async with harness(aiohttp_server, redis_url) as h:
        yield h


async def test_a_burst_of_calls_is_paced_with_zero_violations(sim: Harness) -> None:
    seller = await sim.seller(rate_scale=0.001)
    api, creds = seller.api, seller.creds
    ids = [o.order_id for o in await api.new_fbs_orders(creds)] or [1]
    for _ in range(45):  # marketplace burst is 20
        await api.fbs_statuses(creds, ids)
    for _ in range(15):  # claims burst 10, feedbacks burst 6
        await api.claims(creds, is_archive=True, limit=10, offset=0)
        await api.feedbacks(creds, is_answered=None, take=10, skip=0)
    for _ in range(4):  # burst 1 each
        await api.stocks(creds, 0, 10)
        async for _chunk in api.stat_sales(creds, START - timedelta(hours=12)):
            pass
    await asyncio.gather(*(api.fbs_statuses(creds, ids) for _ in range(30)))
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats
    assert stats["requests"]["fbs"] == 76 and stats["requests"]["stats_sales"] == 4


async def test_forced_429_is_waited_out_then_succeeds(sim: Harness) -> None:
    seller = await sim.seller()
    await seller.faults(force_429={"group": "fbs", "count": 1, "retry": 1})
    began = time.monotonic()
    orders = await seller.api.new_fbs_orders(seller.creds)
    assert time.monotonic() - began >= 1.0
    assert len(orders) == (await seller.truth())["fbs_orders"]["new"]
    stats = await seller.stats()
    assert stats["fault_429"] == {"fbs": 1} and stats["requests"]["fbs"] == 2
    assert stats["violations_total"] == 0


async def test_5xx_burst_is_retried_and_succeeds(sim: Harness) -> None:
    seller = await sim.seller()
    await seller.faults(fail_next={"group": "claims", "count": 2, "status": 503})
    claims = await seller.api.claims(seller.creds, is_archive=True, limit=200, offset=0)
    assert len(claims) == (await seller.truth())["claims"]["archive"]
    assert (await seller.stats())["by_status"]["claims"] == {"503": 2, "200": 1}


async def test_5xx_outlasting_the_retries_is_unavailable(sim: Harness) -> None:
    seller = await sim.seller()
    await seller.faults(fail_next={"group": "stats_orders", "count": 5, "status": 502})
    with pytest.raises(WbUnavailable) as exc:
        async for _chunk in seller.api.stat_orders(seller.creds, START - timedelta(days=1)):
            pass
    assert exc.value.status == 502
    assert (await seller.stats())["requests"]["stats_orders"] == 3


@pytest.mark.parametrize(("status", "error"), [(401, WbAuthError), (400, WbApiError), (403, WbAuthError)])
async def test_4xx_is_not_retried(sim: Harness, status: int, error: type[WbApiError]) -> None:
    seller = await sim.seller()
    await seller.faults(fail_next={"group": "fbs", "count": 1, "status": status})
    with pytest.raises(error) as exc:
        await seller.api.new_fbs_orders(seller.creds)
    assert exc.value.status == status and exc.value.detail
    assert (await seller.stats())["requests"] == {"fbs": 1}


async def test_malformed_bodies_are_retried_then_unavailable(sim: Harness) -> None:
    seller = await sim.seller()
    await seller.faults(malformed_rate=1.0)
    with pytest.raises(WbUnavailable, match="unreadable"):
        await seller.api.claims(seller.creds, is_archive=True, limit=5, offset=0)
    with pytest.raises(WbUnavailable):
        async for _sales in seller.api.stat_sales(seller.creds, START - timedelta(days=1)):
            pass
    await seller.faults(malformed_rate=0.0, truncated_rate=1.0)
    with pytest.raises(WbUnavailable):
        async for _orders in seller.api.stat_orders(seller.creds, START - timedelta(days=1)):
            pass
    requests = (await seller.stats())["requests"]
    assert requests == {"claims": 3, "stats_sales": 3, "stats_orders": 3}
