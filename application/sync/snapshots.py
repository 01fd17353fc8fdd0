"""Snapshot-like sources re-read whole on every run: stocks, feedbacks (reviews) and claims."""

from collections.abc import Sequence

from application.sync.run import Outcome, SourceRun
from domain.events import DomainEvent, review_event
from domain.reviews import Review
from domain.stocks import StockLevel

ARCHIVE_DONE = "archive_done"


async def sync_stocks(run: SourceRun) -> Outcome:
    """All pages first, then one replace: the report is a snapshot, and a half-read one must not remove
    the rows of the pages not yet read."""
    limit = run.settings.stocks_page_size
    rows: list[StockLevel] = []
    while True:
        page = await run.wb_api.stocks(run.creds, len(rows), limit)
        rows.extend(page)
        if len(page) < limit:
            break
    async with run.uow_factory() as uow:
        written = await uow.stocks.replace_all(run.cabinet_id, rows, run.clock.now())
        await run.commit_page(uow, run.position, len(rows), written)
    return Outcome.DONE


async def sync_feedbacks(run: SourceRun) -> Outcome:
    """Unanswered, then answered feedbacks (take/skip), plus the archive until it was read once in full.
    Each page commits its reviews with their events: a review seen for the first time becomes a
    negative_review candidate unless it was written before this source's first sync."""
    kinds: list[bool | None] = [False, True]
    if not run.position.get(ARCHIVE_DONE):
        kinds.append(None)
    for is_answered in kinds:
        await _feedback_pages(run, is_answered)
    if not run.position.get(ARCHIVE_DONE):
        async with run.uow_factory() as uow:
            await run.commit_page(uow, {**run.position, ARCHIVE_DONE: True}, 0, 0)
    return Outcome.DONE


async def _feedback_pages(run: SourceRun, is_answered: bool | None) -> None:
    take, skip = run.settings.feedbacks_take, 0
    while skip <= run.settings.feedbacks_max_skip:
        page = await run.wb_api.feedbacks(run.creds, is_answered=is_answered, take=take, skip=skip)
        async with run.uow_factory() as uow:
            new_ids = set(await uow.reviews.upsert_many(page)) if page else set()
            await run.commit_page(
                uow, run.position, len(page), len(new_ids), _review_events(run, page, new_ids)
            )
        if len(page) < take:
            return
        skip += take


def _review_events(run: SourceRun, page: Sequence[Review], new_ids: set[str]) -> list[DomainEvent]:
    return [review_event(r) for r in page if r.id in new_ids and r.created_at >= run.events_from]


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
