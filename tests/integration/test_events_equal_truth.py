"""Over many syncs with the sim clock moving and faults on, the events the sync detects are exactly the
ones an independent reading of the simulator's ground truth calls for: nothing missing, nothing extra,
nothing twice (FBS and FBW orders alike, each told once by srid)."""

from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.outbound.memory.clock import ManualClock
from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)

TOLD = ("new_order", "order_cancellation", "order_buyout", "order_return", "negative_review")
STEPS_MINUTES = (3, 30, 120, 360, 24 * 60, 3, 2 * 24 * 60, 180, 4 * 24 * 60)
FAULTS = {"error_rate": 0.08, "force_429": {"group": "*", "count": 2, "retry": 1}}


async def sim_now(seller: Seller) -> datetime:
    described = await seller._call("GET", "")
    return datetime.fromtimestamp(described["sim_clock_unix"], UTC)


def expected_events(facts: dict[str, Any], since: float) -> Counter[tuple[str, str]]:
    """What a seller should have been told since the first sync, from the simulator's facts alone."""
    told: Counter[tuple[str, str]] = Counter()
    for o in facts["orders"]:
        if o["created"] >= since:
            told["new_order", o["srid"]] += 1
        if o["cancelled_at"] is not None and o["cancelled_at"] >= since:
            told["order_cancellation", o["srid"]] += 1
        if o["sold_at"] is not None and o["sold_at"] >= since:
            told["order_buyout", o["srid"]] += 1
        if o["returned_at"] is not None and o["returned_at"] >= since:
            told["order_return", o["return_id"]] += 1
    for r in facts["reviews"]:
        if r["created"] >= since:
            told["negative_review", r["id"]] += 1
    return told


async def detected_events(container: Any, cabinet_id: UUID) -> Counter[tuple[str, str]]:
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        stored = await uow.events.list_for_cabinet(cabinet_id)
    return Counter((e.event.type.value, e.event.subject) for e in stored if e.event.type.value in TOLD)


async def test_events_over_many_syncs_equal_the_truth(sim: TestClient, container: Any) -> None:
    seller = await new_seller(sim, fbw_share=0.5, cart_share=0.2)
    clock = ManualClock(await sim_now(seller))  # our clock is WB's: the sim clock moves in leaps
    container.gateways.clock.override(providers.Object(clock))
    cabinet = await connect(container, seller.key)
    since = clock.now().timestamp()
    await sync_until_clean(container, cabinet.id)
    await seller.faults(**FAULTS)
    sync = await container.use_cases.sync_cabinet()
    for minutes in STEPS_MINUTES:
        await seller._call("POST", "/advance", {"minutes": minutes})
        clock.set(await sim_now(seller))
        await sync(cabinet.id)  # faults on: some sources fail now and catch up later
    await seller.clear_faults()
    clock.advance(seconds=2)
    await sync_until_clean(container, cabinet.id)

    facts = await seller._call("GET", "/truth?detail=facts")
    expected, detected = expected_events(facts, since), await detected_events(container, cabinet.id)
    assert sum(expected.values()) > 100 and {t for t, _ in expected} == set(TOLD)
    missing, extra = expected - detected, detected - expected
    assert (dict(missing), dict(extra)) == ({}, {})
    assert max(detected.values()) == 1
