"""Orders are told once, by srid, whichever source sees them first: FBS (Marketplace) or statistics, where
FBW orders (from WB's warehouses) are the only trace of an order."""

from datetime import timedelta
from uuid import UUID

import pytest

from application.ports.wb import WbUnavailable
from domain.events import DomainEvent, EventType
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World

MIN = timedelta(minutes=1)


async def order_events(w: World, cab: UUID) -> list[DomainEvent]:
    """The cabinet's events but the first sync's sync_completed, oldest first."""
    return [e.event for e in await w.events(cab) if e.event.type is not EventType.SYNC_COMPLETED]


async def told(w: World, cab: UUID) -> list[tuple[str, str]]:
    return sorted((e.type.value, e.subject) for e in await order_events(w, cab))


async def polled(w: World) -> set[int]:
    return {i for m, a in w.wb.calls if m == "fbs_statuses" for i in a[0]}


@pytest.fixture
async def world() -> tuple[World, UUID]:
    w = World()
    cab = await w.cabinet()
    await w.sync(cab)  # the first sync: nothing to backfill, events start from T0
    w.wb.calls.clear()
    return w, cab


async def test_an_fbw_order_is_told_from_statistics_with_its_cancellation(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(minutes=30)
    fbw = {"warehouse_type": FBW_WAREHOUSE_TYPE, "date": T0 + 5 * MIN}
    w.wb.stat_rows = [b.stat_order(cab, "fbw-1", T0 + 10 * MIN, **fbw)]
    await w.sync(cab)
    assert await told(w, cab) == [("new_order", "fbw-1")]
    w.clock.advance(minutes=30)
    cancelled = b.stat_order(cab, "fbw-1", T0 + 40 * MIN, is_cancel=True, cancel_date=T0 + 35 * MIN, **fbw)
    w.wb.stat_rows = [cancelled]
    await w.sync(cab)
    w.clock.advance(minutes=30)
    await w.sync(cab)  # the same row again (WB's boundary): nothing new
    assert await told(w, cab) == [("new_order", "fbw-1"), ("order_cancellation", "fbw-1")]
    assert (await order_events(w, cab))[0].payload["is_fbw"] is True


async def test_an_fbs_order_seen_by_both_sources_is_told_once(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(minutes=30)
    w.wb.new_orders = [b.order(cab, 7, T0 + 5 * MIN)]  # rid7 is its srid
    w.wb.statuses = {7: b.status(7, S.NEW, W.WAITING)}
    w.wb.stat_rows = [b.stat_order(cab, "rid7", T0 + 10 * MIN, date=T0 + 5 * MIN)]
    await w.sync(cab)
    w.clock.advance(minutes=30)
    w.wb.statuses = {7: b.status(7, S.COMPLETE, W.SOLD)}
    w.wb.sale_rows = [b.sale(cab, "S7", T0 + 50 * MIN, srid="rid7")]
    await w.sync(cab)
    assert await told(w, cab) == [("new_order", "rid7"), ("order_buyout", "rid7")]


async def test_statistics_first_then_fbs_is_still_once(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(minutes=30)
    w.wb.stat_rows = [b.stat_order(cab, "rid8", T0 + 10 * MIN, date=T0 + 5 * MIN)]
    w.wb.sale_rows = [b.sale(cab, "S8", T0 + 20 * MIN, srid="rid8")]
    await w.sync(cab)
    w.clock.advance(minutes=30)
    w.wb.orders = [b.order(cab, 8, T0 + 5 * MIN)]
    w.wb.statuses = {8: b.status(8, S.COMPLETE, W.SOLD)}
    await w.sync(cab)
    assert await told(w, cab) == [("new_order", "rid8"), ("order_buyout", "rid8")]
    assert {e.payload["source"] for e in await order_events(w, cab)} == {"statistics"}


async def test_a_cart_of_three_items_is_three_orders(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(minutes=30)
    w.wb.stat_rows = [
        b.stat_order(cab, f"cart-{k}", T0 + 10 * MIN, date=T0 + 5 * MIN, g_number="42") for k in range(3)
    ]
    await w.sync(cab)
    assert await told(w, cab) == [("new_order", f"cart-{k}") for k in range(3)]


async def test_backfilled_statistics_rows_are_not_told(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(minutes=30)
    old = T0 - timedelta(days=2)
    w.wb.stat_rows = [b.stat_order(cab, "old", T0 + 10 * MIN, date=old, is_cancel=True, cancel_date=old)]
    w.wb.sale_rows = [b.sale(cab, "S-old", T0 + 10 * MIN, date=old, srid="old-sold")]
    await w.sync(cab)
    assert await told(w, cab) == []


async def test_orders_wb_no_longer_reports_are_not_polled_again() -> None:
    w = World()
    cab = await w.cabinet()
    w.wb.orders = [b.order(cab, 1, T0 - timedelta(days=10)), b.order(cab, 2, T0 - timedelta(hours=1))]
    await w.sync(cab)  # WB answers for neither: the old one is retired, the young one kept
    assert await polled(w) == {1, 2}
    w.wb.calls.clear()
    w.clock.advance(minutes=30)
    await w.sync(cab)
    assert await polled(w) == {2}


async def test_a_source_whose_first_run_failed_still_tells_what_happened_since_the_first_sync() -> None:
    w = World()
    cab = await w.cabinet()
    w.wb.fail["stat_orders"] = {1: WbUnavailable(503, "down")}
    report = await w.sync(cab)  # the first sync: statistics orders fail before any page
    assert report.source("stat_orders").error is not None
    w.clock.advance(minutes=30)
    w.wb.stat_rows = [b.stat_order(cab, "fbw-9", T0 + 20 * MIN, date=T0 + 10 * MIN)]
    await w.sync(cab)
    assert await told(w, cab) == [("new_order", "fbw-9")]  # ordered after the first sync began
