"""Snapshot-like sources: stocks (re-read whole), feedbacks (the lists whole, the archive down to a date
cursor) and claims (re-read whole)."""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from application.ports.unit_of_work import UnitOfWork
from application.sync.run import Outcome, SourceRun, from_iso, iso
from domain.events import DomainEvent, StockFall, critical_stock_event, review_event
from domain.reviews import Review, edit_is_news
from domain.stocks import StockLevel, alert_level, days_of_stock_left, level_fell

# The newest createdDate seen in the feedbacks archive: the next runs read the archive newest first down
# to it (minus an overlap). Absent until a full read completed, so the first run reads it all.
ARCHIVE_NEWEST = "archive_newest"


async def sync_stocks(run: SourceRun) -> Outcome:
    """All pages first, then one snapshot: a half-read report must not zero the rows of the pages not yet
    read. A row WB no longer lists is sold out (kept at zero). The snapshot's events are the falls of its
    SKUs' alert levels, saved with it (decision 0007 and its notifications update)."""
    limit = run.settings.stocks_page_size
    rows: list[StockLevel] = []
    while True:
        page = await run.wb_api.stocks(run.creds, len(rows), limit)
        rows.extend(page)
        if len(page) < limit:
            break
    async with run.uow_factory() as uow:
        now = run.clock.now()
        written = await uow.stocks.apply_snapshot(run.cabinet_id, rows, now)
        events = await _critical_stock(run, uow, now)
        await run.commit_page(uow, run.position, len(rows), written, events)
    return Outcome.DONE


async def _critical_stock(run: SourceRun, uow: UnitOfWork, now: datetime) -> list[DomainEvent]:
    """Each nm_id's alert level from its days of stock left (stock / (non-cancelled statistics orders of
    the window / its days)); a level that fell is a critical_stock candidate. Every changed level is saved
    (a rise too: the stock recovered). The cabinet's first snapshot (no level saved yet) only sets them:
    what the first sync finds is not news."""
    window = run.settings.stock_order_window_days
    stock = await uow.stocks.quantities_by_nm(run.cabinet_id)
    orders = await uow.stat_orders.order_counts_by_nm(run.cabinet_id, now - timedelta(days=window))
    before = await uow.stocks.alert_levels(run.cabinet_id)
    changed: dict[int, int | None] = {}
    falls: list[StockFall] = []
    for nm_id, quantity in sorted(stock.items()):
        days_left = days_of_stock_left(quantity, orders.get(nm_id, 0), window)
        level, previous = alert_level(days_left), before.get(nm_id)
        if nm_id in before and level == previous:
            continue
        changed[nm_id] = level
        if before and level is not None and level_fell(previous, level):
            falls.append(StockFall(nm_id, quantity, days_left, level, previous))
    if changed:
        await uow.stocks.save_alert_levels(run.cabinet_id, changed, now)
    return [critical_stock_event(run.cabinet_id, fall, now) for fall in falls]


async def sync_feedbacks(run: SourceRun) -> Outcome:
    """Unanswered, then answered feedbacks (take/skip, whole), then the archive: WB files a review with no
    text and no photos straight there and moves answered ones there, so it is read on every run, newest
    first, down to the page that reaches the cursor minus the overlap. Each page commits its reviews with
    their events; the cursor moves only with the archive read's last page."""
    for is_answered in (False, True):
        await _feedback_pages(run, is_answered)
    await _feedback_pages(run, None)
    return Outcome.DONE


async def _feedback_pages(run: SourceRun, is_answered: bool | None) -> None:
    skip = 0
    archive = is_answered is None
    newest = from_iso(run.position, ARCHIVE_NEWEST)
    overlap = timedelta(hours=run.settings.feedbacks_archive_overlap_hours)
    stop_before = None if newest is None else newest - overlap
    take = run.settings.feedbacks_take
    if archive and stop_before is not None:  # incremental: a few days deep, not the whole archive
        take = min(take, run.settings.feedbacks_archive_take)
    while True:
        page = await run.wb_api.feedbacks(run.creds, is_answered=is_answered, take=take, skip=skip)
        if archive and page:
            newest = max([r.created_at for r in page] + ([newest] if newest else []))
        last = (
            len(page) < take
            or skip + take > run.settings.feedbacks_max_skip
            or (stop_before is not None and any(r.created_at < stop_before for r in page))
        )
        position = run.position
        if archive and last and newest is not None:
            position = {**position, ARCHIVE_NEWEST: iso(newest)}
        await _commit_reviews(run, page, position)
        if last:
            return
        skip += take


async def _commit_reviews(run: SourceRun, page: Sequence[Review], position: Mapping[str, object]) -> None:
    async with run.uow_factory() as uow:
        parents = sorted({r.parent_id for r in page if r.parent_id})
        seen = await uow.reviews.ratings(run.cabinet_id, parents) if parents else {}
        new_ids = set(await uow.reviews.upsert_many(page)) if page else set()
        events = _review_events(run, page, new_ids, seen)
        await run.commit_page(uow, position, len(page), len(new_ids), events)


def _review_events(
    run: SourceRun, page: Sequence[Review], new_ids: set[str], seen: Mapping[str, int]
) -> list[DomainEvent]:
    """A review seen for the first time is a negative_review candidate unless written before this
    source's first sync. Versions of one review are one review (decision 0007): an old version (it has a
    child) is never told; a new version of a review already stored is told only when it lowers the
    rating; a new version whose parent we never stored is a first sight."""
    events = []
    for r in page:
        if r.id not in new_ids or r.is_superseded or r.created_at < run.events_from:
            continue
        before = seen.get(r.parent_id) if r.parent_id else None
        if before is None:
            events.append(review_event(r))
        elif edit_is_news(r.rating, before):
            events.append(review_event(r, previous_rating=before))
    return events


async def sync_claims(run: SourceRun) -> Outcome:
    """Claims under review, then archived ones (WB keeps 14 days), offset paging; upsert only."""
    limit = run.settings.claims_limit
    for is_archive in (False, True):
        offset = 0
        while True:
            page = await run.wb_api.claims(run.creds, is_archive=is_archive, limit=limit, offset=offset)
            async with run.uow_factory() as uow:
                written = len(await uow.claims.upsert_many(page)) if page else 0
                await run.commit_page(uow, run.position, len(page), written)
            if len(page) < limit:
                break
            offset += limit
    return Outcome.DONE
