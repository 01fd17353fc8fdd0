"""Statistics sources: `supplier/orders` and `supplier/sales`, paged by lastChangeDate (stat_paging)."""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from application.ports.wb import WbCredentials
from application.sync.run import Outcome, SourceRun, from_iso, iso
from application.sync.stat_paging import StatPageTracker
from domain.events import DomainEvent, buyout_event, return_event, stat_order_events
from domain.moscow_time import moscow_day
from domain.sales import Sale
from domain.stat_orders import StatOrder

LAST_CHANGE = "last_change_date"
FETCHED_AT = "fetched_at"


def _due(run: SourceRun) -> bool:
    """WB serves each statistics report at most once a minute per seller; a run sooner than that after
    the last page would only earn a 429, so it is skipped quietly."""
    fetched = from_iso(run.position, FETCHED_AT)
    return fetched is None or run.clock.now() - fetched >= timedelta(
        seconds=run.settings.stats_min_interval_s
    )


async def _page_loop(
    run: SourceRun,
    fetch: Callable[[WbCredentials, datetime], AsyncIterator[Sequence[Any]]],
    store: Callable[[UnitOfWork, Sequence[Any]], Awaitable[tuple[int, list[DomainEvent]]]],
) -> Outcome:
    """NOT_DUE when skipped for the minimum interval. Each WB response is one unit of work: its
    chunks are upserted as they stream in, then the position moves to the page's max lastChangeDate and
    both commit together. Boundary rows come back on the next page and the upsert dedupes them. The first
    page starts `stats_overlap_minutes` behind the cursor, for rows WB published late; the cursor itself
    never moves back. A page that would have to wait for WB's pace raises WbPacingWait (the sync
    continues the source at its next run)."""
    if not _due(run):
        return Outcome.NOT_DUE
    cursor = from_iso(run.position, LAST_CHANGE)
    overlap = timedelta(minutes=run.settings.stats_overlap_minutes)
    date_from = run.initial_from() if cursor is None else cursor - overlap
    short_below = run.settings.stats_page_rows // 2
    while True:
        tracker = StatPageTracker(date_from)
        written = 0
        events: list[DomainEvent] = []
        async with run.uow_factory() as uow:
            async for chunk in fetch(run.creds, date_from):
                tracker.observe(chunk)
                w, e = await store(uow, chunk)
                written, events = written + w, events + e
            page = tracker.outcome(short_below)
            cursor = page.next_date_from if cursor is None else max(cursor, page.next_date_from)
            position = {
                **run.position,
                LAST_CHANGE: iso(cursor),
                FETCHED_AT: iso(run.clock.now()),
            }
            await run.commit_page(uow, position, page.rows, written, events)
        if page.done:
            return Outcome.DONE
        date_from = page.next_date_from


async def sync_stat_orders(run: SourceRun) -> Outcome:
    """Orders of every warehouse, FBS and FBW (the only source of FBW orders): a srid seen for the first
    time is a new_order, a row newly cancelled an order_cancellation, both keyed by srid so that an FBS
    order the Marketplace source already told is not told again (see `stat_order_events`)."""

    async def store(uow: UnitOfWork, rows: Sequence[StatOrder]) -> tuple[int, list[DomainEvent]]:
        if not rows:
            return 0, []
        known = await uow.stat_orders.cancel_flags(run.cabinet_id, [r.srid for r in rows])
        events = [e for r in rows for e in stat_order_events(r, known.get(r.srid), run.events_from)]
        written = await uow.stat_orders.upsert_many(rows)
        # An FBW row counts on its own day; an FBS row's on its order's day and its returns' (by srid).
        uow.rollups.touch(
            run.cabinet_id, days={moscow_day(r.date) for r in rows}, srids=[r.srid for r in rows]
        )
        return written, events

    return await _page_loop(run, run.wb_api.stat_orders, store)


async def sync_stat_sales(run: SourceRun) -> Outcome:
    """Each row seen for the first time tells something, unless it is dated before this source's first
    sync (the backfill): a sale (saleID `S…`) an order_buyout keyed by srid (as the FBS buyout), a return
    (`R…`) an order_return keyed by saleID."""

    async def store(uow: UnitOfWork, rows: Sequence[Sale]) -> tuple[int, list[DomainEvent]]:
        if not rows:
            return 0, []
        new_ids = set(await uow.sales.upsert_many(rows))
        uow.rollups.touch(run.cabinet_id, days={moscow_day(s.date) for s in rows if s.is_return})
        events = [
            event
            for sale in rows
            if sale.sale_id in new_ids and sale.date >= run.events_from
            for event in (buyout_event(sale), return_event(sale))
            if event is not None
        ]
        return len(new_ids), events

    return await _page_loop(run, run.wb_api.stat_sales, store)
