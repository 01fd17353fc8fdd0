"""The fast lane: WB's /orders/new polled between full syncs tells a new FBS order at once, through the same
events, keys and outbox as the full sync, so the full sync seeing the order again tells nothing twice."""

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

import pytest

from application.ports.notifications import Notification
from application.ports.sync import SourceState
from application.ports.wb import WbAuthError, WbPacingWait, WbRateLimited, WbUnavailable
from application.use_cases.poll_new_orders import SYNC_RUNNING, PollNewOrders
from domain.events import EventType
from domain.identity import Cabinet
from domain.notifications import DeliveryStatus
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import ALL, T0, World, wb_key

MIN = timedelta(minutes=1)
OWNER, MEMBER = 111, 222


def poll(w: World) -> PollNewOrders:
    return PollNewOrders(w.uow, w.wb, w.box, w.clock, w.lock, w.settings)


async def shared_cabinet(w: World, categories: frozenset[WbCategory] = ALL) -> UUID:
    """A cabinet of OWNER that MEMBER joined with the same seller's key."""
    cab = await w.cabinet(OWNER, categories=categories)
    await w.user(MEMBER)
    await w.connect(MEMBER, wb_key(categories=categories), "Team")
    w.wb.calls.clear()
    return cab


async def new_order_notifications(w: World, telegram_id: int) -> list[Notification]:
    user = await w.user(telegram_id)
    assert user.id is not None
    async with w.uow() as uow:
        page = await uow.notifications.history(user.id, None, "new_order", 100, 0)
    return list(page.items)


async def new_order_events(w: World, cab: UUID) -> list[str]:
    """The subjects (srids) of the cabinet's stored NEW_ORDER events (a first sync stores others)."""
    return [e.event.subject for e in await w.events(cab) if e.event.type is EventType.NEW_ORDER]


async def fbs_state(w: World, cab: UUID) -> SourceState | None:
    async with w.uow() as uow:
        return await uow.source_states.get(cab, "fbs_orders")


@pytest.fixture
async def synced() -> tuple[World, UUID]:
    """Two members, and the cabinet's first sync done at T0 (events start from T0)."""
    w = World()
    cab = await shared_cabinet(w)
    await w.sync(cab)
    w.wb.calls.clear()
    return w, cab


async def test_a_new_order_is_told_to_every_member_at_once_and_the_full_sync_tells_it_no_more(
    synced: tuple[World, UUID],
) -> None:
    w, cab = synced
    before = await fbs_state(w, cab)
    w.clock.advance(minutes=3)
    w.wb.new_orders = [b.order(cab, 7, T0 + 2 * MIN)]

    report = await poll(w)(cab)

    assert (report.listed, report.new_orders, report.notified, report.skipped) == (1, 1, 2, None)
    for member in (OWNER, MEMBER):
        told = await new_order_notifications(w, member)
        assert [(n.status, n.data["srid"]) for n in told] == [(DeliveryStatus.PENDING, "rid7")]
    assert await fbs_state(w, cab) == before  # the full sync's position is not the fast lane's
    async with w.uow() as uow:
        assert set(await uow.orders.get_many(cab, [7])) == {7}

    w.clock.advance(minutes=3)
    w.wb.orders = [b.order(cab, 7, T0 + 2 * MIN)]  # the full sync's window lists it too
    await w.sync(cab)
    again = await poll(w)(cab)

    assert await new_order_events(w, cab) == ["rid7"]
    assert (again.listed, again.new_orders, again.notified) == (1, 0, 0)
    for member in (OWNER, MEMBER):
        assert len(await new_order_notifications(w, member)) == 1


async def test_an_order_from_before_the_first_sync_is_stored_but_not_told(
    synced: tuple[World, UUID],
) -> None:
    w, cab = synced
    w.wb.new_orders = [b.order(cab, 8, T0 - 10 * MIN)]  # listed late by WB: backfill, not news

    report = await poll(w)(cab)

    assert (report.listed, report.written, report.new_orders) == (1, 1, 0)
    assert await new_order_events(w, cab) == [] and await new_order_notifications(w, OWNER) == []


async def test_a_poll_before_the_first_sync_does_nothing() -> None:
    w = World()
    cab = await shared_cabinet(w)
    w.wb.new_orders = [b.order(cab, 7, T0)]

    report = await poll(w)(cab)

    assert report.skipped == "the first sync has not run"
    assert w.wb.calls == [] and await new_order_events(w, cab) == [] and await fbs_state(w, cab) is None


async def test_a_poll_while_the_sync_holds_the_lock_does_nothing(synced: tuple[World, UUID]) -> None:
    w, cab = synced
    w.wb.new_orders = [b.order(cab, 7, T0 + MIN)]
    w.clock.advance(minutes=2)

    async with w.lock.hold(cab) as held:
        assert held
        report = await poll(w)(cab)

    assert report.skipped == SYNC_RUNNING
    assert w.wb.calls == [] and await new_order_events(w, cab) == []
    assert (await poll(w)(cab)).new_orders == 1  # the lock released: the next poll tells it


def _invalid(cabinet: Cabinet) -> None:
    cabinet.mark_invalid("withdrawn")


def _fbs_blocked(cabinet: Cabinet) -> None:
    cabinet.block_source("fbs_orders", "no Marketplace subscription", T0, T0 + timedelta(days=1))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_invalid, "cabinet is invalid"),
        (_fbs_blocked, "WB refuses it to this key: no Marketplace subscription"),
    ],
)
async def test_an_invalid_cabinet_or_a_blocked_fbs_source_is_not_polled(
    synced: tuple[World, UUID], change: Callable[[Cabinet], None], reason: str
) -> None:
    w, cab = synced
    w.wb.new_orders = [b.order(cab, 7, T0 + MIN)]
    async with w.uow() as uow:
        cabinet = await uow.cabinets.get(cab)
        assert cabinet is not None
        change(cabinet)
        await uow.cabinets.update(cabinet)
        await uow.commit()

    report = await poll(w)(cab)

    assert report.skipped == reason and w.wb.calls == [] and await new_order_events(w, cab) == []


async def test_a_key_without_the_marketplace_category_is_not_polled() -> None:
    w = World()
    cab = await shared_cabinet(w, ALL - {WbCategory.MARKETPLACE})
    await w.sync(cab)
    w.wb.calls.clear()

    report = await poll(w)(cab)

    assert report.skipped == "the key lacks the MARKETPLACE category" and w.wb.calls == []


@pytest.mark.parametrize(
    "failure",
    [
        WbRateLimited(120, "too many requests"),
        WbPacingWait(45, "marketplace: paced by our limiter"),
        WbUnavailable(None, "ClientConnectorError: connection refused"),
    ],
    ids=["rate-limited", "paced", "network"],
)
async def test_a_limited_or_failed_call_ends_the_poll_and_the_next_one_tells_the_order(
    synced: tuple[World, UUID], failure: Exception
) -> None:
    w, cab = synced
    before = await fbs_state(w, cab)
    w.clock.advance(minutes=2)
    w.wb.new_orders = [b.order(cab, 7, T0 + MIN)]
    w.wb.fail["new_fbs_orders"] = {1: failure}

    report = await poll(w)(cab)

    assert report.error is not None and type(failure).__name__ in report.error
    assert w.wb.count("new_fbs_orders") == 1  # no retries of its own
    assert await new_order_events(w, cab) == [] and await fbs_state(w, cab) == before
    assert (await poll(w)(cab)).new_orders == 1


async def test_a_rejected_key_is_left_to_the_full_sync(synced: tuple[World, UUID]) -> None:
    w, cab = synced
    w.wb.fail["new_fbs_orders"] = {1: WbAuthError(401, "token withdrawn")}

    report = await poll(w)(cab)

    cabinet = await w.get_cabinet(cab)
    assert report.error is not None and "token withdrawn" in report.error
    assert cabinet is not None and cabinet.is_active and cabinet.blocked_sources == {}
    assert [m for m, _ in w.wb.calls] == ["new_fbs_orders"]  # no key check: the full sync judges keys
