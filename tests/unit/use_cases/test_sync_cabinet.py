"""SyncCabinet against a scripted WB: complete, idempotent, resumable, and quiet on the first backfill."""

import asyncio
from datetime import timedelta
from uuid import UUID

import attrs
import pytest

from application.ports.wb import WbAuthError, WbRateLimited, WbUnavailable
from application.sync.sources import SOURCES
from application.use_cases.cabinet_data_health import CabinetDataHealth, StoredRows
from domain.events import EventType
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import Order
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World, wb_key

DAY = timedelta(days=1)


def script_history(w: World, cab: UUID) -> None:
    """Six FBS orders (one cancelled), seven statistics orders, four sales and a return, three stock rows,
    five reviews (one only in the archive), four claims: all from before the first sync."""
    w.wb.orders = [b.order(cab, i, T0 - i * DAY) for i in range(1, 6)]
    w.wb.new_orders = [b.order(cab, 6, T0 - timedelta(minutes=5))]
    w.wb.statuses = {i: b.status(i, S.NEW, W.WAITING) for i in range(1, 7)}
    w.wb.statuses[5] = b.status(5, S.CANCEL, W.CANCELED)
    ts = [T0 - 3 * DAY, T0 - 3 * DAY, T0 - 3 * DAY, T0 - 2 * DAY, T0 - 2 * DAY, T0 - DAY, T0 - DAY]
    w.wb.stat_rows = [b.stat_order(cab, f"srid{i}", t) for i, t in enumerate(ts)]
    w.wb.sale_rows = [b.sale(cab, f"S{i}", t) for i, t in enumerate(ts[:4])] + [b.sale(cab, "R9", ts[5])]
    w.wb.stock_rows = [b.stock(cab, n, quantity=500) for n in (1, 2, 3)]  # not critical (see test_snapshots)
    w.wb.reviews = {
        False: [b.review(cab, f"u{i}", T0 - DAY) for i in range(3)],
        True: [b.review(cab, "a1", T0 - DAY)],
        None: [b.review(cab, "old", T0 - 9 * DAY)],
    }
    w.wb.claim_rows = {False: [b.claim(cab, "c1")], True: [b.claim(cab, f"c{i}") for i in range(2, 5)]}
    w.wb.stat_cap = 4


EVERYTHING = StoredRows(orders=6, stat_orders=7, sales=5, stocks=3, reviews=5, claims=4)


async def stored(w: World, cab: UUID) -> StoredRows:
    return (await CabinetDataHealth(w.uow)(cab)).stored


async def orders(w: World, cab: UUID) -> dict[int, Order]:
    async with w.uow() as uow:
        return dict(await uow.orders.get_many(cab, list(range(1, 10))))


async def order_facts(w: World, cab: UUID) -> dict[int, tuple[object, ...]]:
    """Every field of every order (orders compare by identity, so their facts are what we compare)."""
    return {i: attrs.astuple(o, recurse=False) for i, o in (await orders(w, cab)).items()}


async def event_kinds(w: World, cab: UUID) -> list[tuple[str, str]]:
    return sorted((e.event.type.value, e.event.subject) for e in await w.events(cab))


@pytest.fixture
async def world() -> tuple[World, UUID]:
    w = World()
    cab = await w.cabinet()
    script_history(w, cab)
    return w, cab


async def test_first_sync_stores_everything_and_sends_no_backfill_events(world: tuple[World, UUID]) -> None:
    w, cab = world
    report = await w.sync(cab)
    assert all(s.error is None and s.skipped is None for s in report.sources), report
    assert await stored(w, cab) == EVERYTHING
    found = await orders(w, cab)
    assert found[5].supplier_status is S.CANCEL and found[1].wb_status is W.WAITING
    assert await event_kinds(w, cab) == [("sync_completed", "first_sync")]  # data is ready; no backfill


async def test_second_sync_with_nothing_new_writes_nothing(world: tuple[World, UUID]) -> None:
    w, cab = world
    await w.sync(cab)
    before = (await order_facts(w, cab), await stored(w, cab), await w.events(cab))
    w.clock.advance(minutes=3)
    report = await w.sync(cab)
    assert all(s.error is None for s in report.sources)
    assert [s.written for s in report.sources] == [0] * len(SOURCES)
    assert (await order_facts(w, cab), await stored(w, cab), await w.events(cab)) == before
    archive_reads = [a for m, a in w.wb.calls if m == "feedbacks" and a[0] is None]
    assert archive_reads == [(None, 2, 0), (None, 2, 0)]  # read on every sync, down to its date cursor


async def test_things_after_the_first_sync_become_events(world: tuple[World, UUID]) -> None:
    w, cab = world
    await w.sync(cab)
    w.clock.advance(minutes=3)
    now = w.clock.now()
    w.wb.new_orders.append(b.order(cab, 7, now - timedelta(minutes=1)))
    w.wb.statuses[7] = b.status(7, S.NEW, W.WAITING)
    w.wb.statuses[1] = b.status(1, S.CANCEL, W.CANCELED)
    w.wb.sale_rows.append(b.sale(cab, "R10", now))
    w.wb.reviews[False].append(b.review(cab, "fresh", now))
    await w.sync(cab)
    assert await event_kinds(w, cab) == [("negative_review", "fresh"), ("new_order", "rid7"),
                                         ("order_cancellation", "rid1"), ("order_return", "R10"),
                                         ("sync_completed", "first_sync")]  # fmt: skip


async def test_failure_mid_source_resumes_at_last_committed_page_without_duplicates(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    w.wb.fail["stat_sales"] = {2: WbUnavailable(503, "down")}
    report = await w.sync(cab)
    assert report.source("stat_sales").error is not None
    assert report.source("stocks").error is None  # later sources still ran
    async with w.uow() as uow:
        state = await uow.source_states.get(cab, "stat_sales")
    assert state is not None and state.position is not None
    assert state.position["last_change_date"] == (T0 - 2 * DAY).isoformat()  # page 1's max
    assert state.last_error and state.last_error_at == T0
    w.clock.advance(minutes=3)
    report = await w.sync(cab)
    assert report.source("stat_sales").error is None
    assert await stored(w, cab) == EVERYTHING  # nothing lost, nothing twice
    health = {h.source: h for h in (await CabinetDataHealth(w.uow)(cab)).sources}
    assert health["stat_sales"].last_error is None


async def test_a_lock_held_for_a_moment_is_waited_for(world: tuple[World, UUID]) -> None:
    """A fast-lane poll holds the cabinet's lock for a moment, maybe just as the sync's tick comes."""
    w, cab = world
    taken = asyncio.Event()

    async def poll() -> None:
        async with w.lock.hold(cab) as held:
            assert held
            taken.set()
            await asyncio.sleep(0.1)

    holder = asyncio.create_task(poll())
    await taken.wait()
    report = await w.sync(cab)
    await holder
    assert report.skipped is None and w.wb.calls


async def test_lock_held_elsewhere_does_nothing(world: tuple[World, UUID]) -> None:
    w, cab = world
    async with w.lock.hold(cab) as held:
        assert held
        report = await w.sync(cab)
    assert report.skipped == "already running" and w.wb.calls == []
    assert all(h.never_synced for h in (await CabinetDataHealth(w.uow)(cab)).sources)


async def test_rejected_key_invalidates_cabinet_and_stops(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.fail["stat_orders"] = {1: WbAuthError(401, "token withdrawn")}
    w.wb.rejected[wb_key()] = "token withdrawn"  # the key check confirms it
    report = await w.sync(cab)
    # Lanes run at once: the others end their sources; the cabinet is invalidated once all have stopped.
    assert report.invalidated and report.source("stat_orders").error
    cabinet = await w.get_cabinet(cab)
    assert cabinet is not None and not cabinet.is_active and cabinet.invalid_reason == "token withdrawn"
    assert [e.event.type for e in await w.events(cab)] == [EventType.CABINET_INVALID]
    again = await w.sync(cab)
    assert again.skipped == "cabinet is invalid"


async def test_rate_limited_source_backs_off_and_health_shows_it(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.fail["claims"] = {1: WbRateLimited(120)}
    await w.sync(cab)
    health = {h.source: h for h in (await CabinetDataHealth(w.uow)(cab)).sources}
    assert health["claims"].backoff_until == T0 + timedelta(seconds=120) and health["claims"].last_error
    assert health["fbs_orders"].last_success_at == T0 and health["stocks"].rows_taken == 3
    w.clock.advance(seconds=60)
    report = await w.sync(cab)
    assert report.source("claims").skipped and w.wb.count("claims") == 1
    w.clock.advance(seconds=61)
    report = await w.sync(cab)
    assert report.source("claims").error is None and (await stored(w, cab)).claims == 4


async def test_sources_whose_category_the_key_lacks_are_skipped() -> None:
    w = World()
    cab = await w.cabinet(categories={WbCategory.STATISTICS})
    report = await w.sync(cab)
    ran = {s.source for s in report.sources if s.skipped is None}
    assert ran == {"stat_orders", "stat_sales"}
    assert {m for m, _ in w.wb.calls} == {"stat_orders", "stat_sales"}


async def test_key_expired_by_its_own_exp_invalidates_without_calling_wb(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.clock.advance(days=181)
    report = await w.sync(cab)
    assert report.invalidated and w.wb.calls == []
    assert [e.event.type for e in await w.events(cab)] == [EventType.CABINET_INVALID]


async def test_illegal_move_reported_by_wb_is_still_recorded(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.statuses[2] = b.status(2, S.COMPLETE, W.SORTED)
    await w.sync(cab)
    w.wb.statuses[2] = b.status(2, S.CONFIRM, W.SORTED)  # complete -> confirm: the table forbids it
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert (await orders(w, cab))[2].supplier_status is S.CONFIRM  # WB is the truth
    async with w.uow() as uow:
        history = await uow.orders.history(cab, 2)
    assert [(c.previous_supplier, c.supplier) for c in history] == [
        (None, S.COMPLETE),
        (S.COMPLETE, S.CONFIRM),
    ]


async def test_sold_order_is_final_and_no_longer_polled(world: tuple[World, UUID]) -> None:
    w, cab = world
    await w.sync(cab)
    w.wb.statuses[2] = b.status(2, S.COMPLETE, W.SOLD)
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert ("order_buyout", "rid2") in await event_kinds(w, cab)
    w.wb.calls.clear()
    w.clock.advance(minutes=3)
    await w.sync(cab)
    polled = {i for m, a in w.wb.calls if m == "fbs_statuses" for i in a[0]}
    assert 2 not in polled and 5 not in polled and 1 in polled
