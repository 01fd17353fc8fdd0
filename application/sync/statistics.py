"""Statistics sources: `supplier/orders` and `supplier/sales`, paged by lastChangeDate (stat_paging)."""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from application.ports.wb import WbCredentials
from application.sync.run import Outcome, SourceRun, from_iso, iso
from application.sync.stat_paging import StatPageTracker
from domain.events import DomainEvent, return_event
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
    both commit together. Boundary rows come back on the next page and the upsert dedupes them."""
    if not _due(run):
        return Outcome.NOT_DUE
    date_from = from_iso(run.position, LAST_CHANGE) or run.initial_from()
    while True:
        tracker = StatPageTracker(date_from)
        written = 0
        events: list[DomainEvent] = []
        async with run.uow_factory() as uow:
            async for chunk in fetch(run.creds, date_from):
                tracker.observe(chunk)
                w, e = await store(uow, chunk)
                written, events = written + w, events + e
            page = tracker.outcome()
            position = {
                **run.position,
                LAST_CHANGE: iso(page.next_date_from),
                FETCHED_AT: iso(run.clock.now()),
            }
            await run.commit_page(uow, position, page.rows, written, events)
        if page.done:
            return Outcome.DONE
        date_from = page.next_date_from


async def sync_stat_orders(run: SourceRun) -> Outcome:
    async def store(uow: UnitOfWork, rows: Sequence[StatOrder]) -> tuple[int, list[DomainEvent]]:
        return (await uow.stat_orders.upsert_many(rows) if rows else 0), []

    return await _page_loop(run, run.wb_api.stat_orders, store)


async def sync_stat_sales(run: SourceRun) -> Outcome:
    """Also emits order_return for each return row (saleID `R…`) seen for the first time, unless it is
    dated before this source's first sync (the backfill)."""

    async def store(uow: UnitOfWork, rows: Sequence[Sale]) -> tuple[int, list[DomainEvent]]:
        if not rows:
            return 0, []
        new_ids = set(await uow.sales.upsert_many(rows))
        events = [
            event
            for sale in rows
            if sale.sale_id in new_ids and sale.date >= run.events_from
            if (event := return_event(sale)) is not None
        ]
        return len(new_ids), events

    return await _page_loop(run, run.wb_api.stat_sales, store)
