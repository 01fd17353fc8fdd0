"""The dashboard's analytics equal an independent count over the simulator's ground truth: after syncs
with the sim clock leaping on, every Moscow day's orders and cancellations (FBS, FBW and both), and the
totals of random periods at every aggregation, are what the simulator's facts say (issue 10)."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.outbound.memory.clock import ManualClock
from application.ports.rollups import Delivery
from domain.moscow_time import moscow_day
from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)

VIEWS: dict[str, frozenset[Delivery]] = {
    "fbs": frozenset({"fbs"}),
    "fbw": frozenset({"fbw"}),
    "all": frozenset({"fbs", "fbw"}),
}


async def sim_now(seller: Seller) -> datetime:
    return datetime.fromtimestamp((await seller._call("GET", ""))["sim_clock_unix"], UTC)


def expected(facts: dict[str, Any], view: frozenset[Delivery]) -> tuple[Counter[date], Counter[date]]:
    """Orders and cancellations per Moscow creation day, from the simulator's facts alone."""
    orders: Counter[date] = Counter()
    cancelled: Counter[date] = Counter()
    for o in facts["orders"]:
        if ("fbw" if o["fbw"] else "fbs") not in view:
            continue
        day = moscow_day(datetime.fromtimestamp(o["created"], UTC))
        orders[day] += 1
        if o["cancelled_at"] is not None:
            cancelled[day] += 1
    return orders, cancelled


async def test_analytics_over_random_periods_equal_the_simulators_truth(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, fbw_share=0.4)
    clock = ManualClock(await sim_now(seller))
    container.gateways.clock.override(providers.Object(clock))
    cabinet = await connect(container, seller.key)
    await sync_until_clean(container, cabinet.id)
    sync = await container.use_cases.sync_cabinet()
    for minutes in (600, 1440, 700):  # new days, cancellations of older orders, across Moscow midnights
        await seller._call("POST", "/advance", {"minutes": minutes})
        clock.set(await sim_now(seller))
        await sync(cabinet.id)
    clock.advance(seconds=2)
    await sync_until_clean(container, cabinet.id)
    facts = await seller._call("GET", "/truth?detail=facts")

    volume = await container.use_cases.order_volume()
    trends = await container.use_cases.order_trends()
    first = min(moscow_day(datetime.fromtimestamp(o["created"], UTC)) for o in facts["orders"])
    last = moscow_day(clock.now())
    assert (last - first).days >= 14
    for name, view in VIEWS.items():
        orders, cancelled = expected(facts, view)
        assert sum(orders.values()) > 100 and sum(cancelled.values()) > 10, name
        whole = await volume(cabinet.id, first, last, view)
        assert {d: c for d, c in whole.daily if c} == dict(orders), name
        per_day = await trends(cabinet.id, first, last, "day", view)
        assert {p.start: p.totals.cancelled for p in per_day.points if p.totals.cancelled} == dict(cancelled)
        rng = random.Random(f"periods:{name}")
        for _ in range(25):
            start = first + timedelta(days=rng.randrange((last - first).days + 1))
            end = start + timedelta(days=rng.randrange((last - start).days + 1))
            span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
            want_orders, want_cancelled = sum(orders[d] for d in span), sum(cancelled[d] for d in span)
            got = await volume(cabinet.id, start, end, view)
            assert (got.totals.orders, got.totals.cancelled) == (want_orders, want_cancelled), (
                name,
                start,
                end,
            )
            assert sum(c for _, c in got.daily) == sum(c for _, c in got.hourly) == want_orders
            for aggregation in ("week", "month"):
                t = await trends(cabinet.id, start, end, aggregation, view)
                assert sum(p.totals.orders for p in t.points) == want_orders, (name, aggregation, start, end)
                assert sum(p.totals.cancelled for p in t.points) == want_cancelled
