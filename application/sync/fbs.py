"""FBS sources: assembly orders (`/api/v3/orders` windows + `/orders/new`) and their statuses."""

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from application.ports.sync import OrderStatusUpdate
from application.ports.unit_of_work import UnitOfWork
from application.ports.wb import FbsStatus
from application.sync.run import Outcome, SourceRun, from_iso, iso
from domain.errors import IllegalTransition
from domain.events import DomainEvent, order_events, status_change_events
from domain.moscow_time import moscow_day
from domain.order_status import ChangeKind, WbStatus, is_cancelled
from domain.orders import Order, StatusChange

log = logging.getLogger(__name__)
_NEW = frozenset({ChangeKind.NEW_ORDER})


async def sync_fbs_orders(run: SourceRun) -> Outcome:
    """Window by window (<= fbs_window_days) from the stored position, `next`-paging inside a window;
    each page commits its orders with the position (window and `next`), so a crash resumes at the page
    after the last committed one. Windows restart `fbs_overlap_minutes` early: an order listed late is
    not missed, and re-listing an unchanged order writes nothing. Then `/orders/new`."""
    position = run.position
    now = run.clock.now()
    start, end = from_iso(position, "window_from"), from_iso(position, "window_to")
    nxt = int(position.get("next", 0))
    if start is None or end is None or nxt == 0:
        start = run.initial_from() if start is None else _back(run, end or start)
        end, nxt = _window_end(run, start, now), 0
    while True:
        nxt = await _window(run, start, end, nxt)
        if end >= now:
            break
        start, end, nxt = end, _window_end(run, end, now), 0
    new_orders = await run.wb_api.new_fbs_orders(run.creds)
    async with run.uow_factory() as uow:
        written, events = await store_orders(uow, run.cabinet_id, new_orders, run.events_from)
        await run.commit_page(uow, run.position, len(new_orders), written, events)
    return Outcome.DONE


def _back(run: SourceRun, end: datetime) -> datetime:
    return end - timedelta(minutes=run.settings.fbs_overlap_minutes)


def _window_end(run: SourceRun, start: datetime, now: datetime) -> datetime:
    return min(start + timedelta(days=run.settings.fbs_window_days), now)


async def _window(run: SourceRun, start: datetime, end: datetime, nxt: int) -> int:
    limit = run.settings.fbs_page_limit
    while True:
        page = await run.wb_api.fbs_orders(run.creds, start, end, nxt, limit)
        finished = not page.orders or len(page.orders) < limit or page.next in (0, nxt)
        position = {"window_from": iso(start), "window_to": iso(end), "next": 0 if finished else page.next}
        async with run.uow_factory() as uow:
            written, events = await store_orders(uow, run.cabinet_id, page.orders, run.events_from)
            await run.commit_page(uow, position, len(page.orders), written, events)
        if finished:
            return 0
        nxt = page.next


async def store_orders(
    uow: UnitOfWork, cabinet_id: UUID, orders: Sequence[Order], events_from: datetime
) -> tuple[int, list[DomainEvent]]:
    """Upsert the cabinet's `orders` in `uow` (the caller commits) and return the rows written and one
    NEW_ORDER event, keyed by srid, per order stored for the first time and created at or after
    `events_from` (older ones are backfill). The full sync and the fast lane (`PollNewOrders`) both store
    orders through here, so an order is told once whichever of them sees it first. The Moscow days of
    the orders (and a known order's former day) are touched in the rollups; the committer refreshes them."""
    if not orders:
        return 0, []
    known = await uow.orders.get_many(cabinet_id, [o.order_id for o in orders])
    written = await uow.orders.upsert_many(orders)
    days = {moscow_day(o.created_at) for o in [*orders, *known.values()]}
    uow.rollups.touch(cabinet_id, days=days)
    events: list[DomainEvent] = []
    for order in orders:
        if order.order_id not in known and order.created_at >= events_from:
            events.extend(order_events(order, _NEW, order.created_at))
    return written, events


def is_final(order: Order) -> bool:
    """Statuses stop being polled once cancelled (either side) or bought out (wb `sold`); a later return
    arrives through the sales report, not through the FBS status."""
    return is_cancelled(order.status) or order.wb_status == WbStatus.SOLD


async def sync_fbs_statuses(run: SourceRun) -> Outcome:
    """Poll every unfinished order in batches of `status_batch`; per batch, one unit of work writes the
    new statuses, the history and the events. WB is the truth: a move the table forbids is recorded
    anyway (observe_status) and logged. The first status learnt for an order created before this source
    started is history, not news: no event for it. An order WB leaves out of its answer (it no longer
    knows it) is retired: kept as it is and not polled again (see `_retired`)."""
    after_id = 0
    while True:
        async with run.uow_factory() as uow:
            ids = list(await uow.orders.unfinished_ids(run.cabinet_id, after_id, run.settings.status_batch))
        if not ids:
            return Outcome.DONE
        statuses = await run.wb_api.fbs_statuses(run.creds, ids)
        async with run.uow_factory() as uow:
            orders = await uow.orders.get_many(run.cabinet_id, ids)
            updates, changes, events = _apply(run, orders, statuses)
            updates += _retired(run, orders, statuses)
            written = await uow.orders.apply_status_updates(run.cabinet_id, updates) if updates else 0
            # A status change may cancel an order: its creation day's rollups change.
            uow.rollups.touch(
                run.cabinet_id, days={moscow_day(orders[u.order_id].created_at) for u in updates}
            )
            if changes:
                await uow.orders.add_history(run.cabinet_id, changes)
            await run.commit_page(uow, run.position, len(statuses), written, events)
        after_id = ids[-1]


RETIRE_AFTER = timedelta(days=3)


def _retired(
    run: SourceRun, orders: Mapping[int, Order], statuses: Sequence[FbsStatus]
) -> list[OrderStatusUpdate]:
    """Final marks, statuses and their time unchanged, for the polled orders WB's answer left out. WB's
    status method answers only for orders it still serves (3 months), so polling them again would cost
    a request per batch forever. An order younger than RETIRE_AFTER is kept polling: WB may lag."""
    answered = {s.order_id for s in statuses}
    cutoff = run.clock.now() - RETIRE_AFTER
    return [
        OrderStatusUpdate(o.order_id, None, None, o.status_updated_at or o.created_at, is_final=True)
        for o in orders.values()
        if o.order_id not in answered and o.created_at < cutoff
    ]


def _apply(
    run: SourceRun, orders: Mapping[int, Order], statuses: Sequence[FbsStatus]
) -> tuple[list[OrderStatusUpdate], list[StatusChange], list[DomainEvent]]:
    now = run.clock.now()
    updates: list[OrderStatusUpdate] = []
    changes: list[StatusChange] = []
    events: list[DomainEvent] = []
    for status in statuses:
        order = orders.get(status.order_id)
        if order is None:
            continue
        had_status = order.status != (None, None)
        try:
            change = order.apply_status(status.supplier, status.wb, now)
        except IllegalTransition as exc:
            log.warning(
                "order %s of cabinet %s: %s (recorded as WB says)", order.order_id, run.cabinet_id, exc
            )
            change = order.observe_status(status.supplier, status.wb, now)
        if change is None:
            continue
        updates.append(
            OrderStatusUpdate(order.order_id, order.supplier_status, order.wb_status, now, is_final(order))
        )
        changes.append(change)
        if had_status or order.created_at >= run.events_from:
            events.extend(status_change_events(order, change))
    return updates, changes, events
