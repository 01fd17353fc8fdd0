"""What every source runner shares: the settings, the run's state, and committing one page with its
position, so the rows and the position that skips past them land together or not at all."""

import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import attrs

from application.notifications.outbox import record_events
from application.ports.sync import SourceState
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.ports.wb import WbCredentials, WbSellerApi
from domain.events import DomainEvent
from domain.identity import Cabinet

EVENTS_FROM = "events_from"


class Outcome(enum.Enum):
    """How a runner ended (errors are raised, not returned)."""

    DONE = "done"
    NOT_DUE = "not_due"
    """Skipped: WB would not serve this source again yet (the statistics reports' minute)."""


@attrs.frozen
class SyncSettings:
    """Page sizes and windows; the defaults are WB's documented limits (reference/wb-api.md)."""

    initial_sync_days: int = 30
    status_batch: int = 1000
    fbs_window_days: int = 30
    stats_min_interval_s: int = 60
    # WB's statistics page cap ("approximately 80,000" rows): a page under half of it was not cut, so it
    # is the last one and the run needs no second call (supplier/sales allows one a minute).
    stats_page_rows: int = 80_000
    # WB publishes statistics rows late, with a lastChangeDate earlier than the moment they appear: every
    # run re-reads this much behind its cursor (the upserts make the re-read rows cost nothing).
    stats_overlap_minutes: int = 120
    fbs_page_limit: int = 1000
    fbs_overlap_minutes: int = 60
    stocks_page_size: int = 250_000
    feedbacks_take: int = 5000
    feedbacks_max_skip: int = 199_990
    # Each run reads the feedbacks archive newest first down to the newest review it had seen minus this:
    # WB may file a review there later than its createdDate (moderation, an answer, 30 days unanswered).
    feedbacks_archive_overlap_hours: int = 72
    # Page size of that incremental archive read: a few days of reviews, not the whole archive each run.
    feedbacks_archive_take: int = 200
    # Days of stock left divide by the orders of this many days (decision 0007).
    stock_order_window_days: int = 30
    claims_limit: int = 200
    # Finance (application/sync/finance.py, paid_storage.py): rows per realization report page (WB: at
    # most 100,000); a closed week with no report yet is settled as empty this many days after its end;
    # a week still waiting for its report is asked for again after this long.
    finance_page_limit: int = 100_000
    finance_settle_days: int = 7
    finance_recheck: timedelta = timedelta(hours=6)
    # Paid storage: days per task (WB: at most 8), and how a task not done yet is waited for inline:
    # this many status polls this far apart (WB allows one per 5 s), then the next run resumes it.
    paid_storage_window_days: int = 8
    paid_storage_polls: int = 4
    paid_storage_poll_s: float = 5.0
    # Events older than this when detected are recorded but not sent (NOTIFY_MAX_AGE): WB statistics
    # arrive hours late, so it must not be shorter than a couple of days.
    notify_max_age: timedelta = timedelta(hours=48)
    # How long a sync waits for its cabinet's lock (held by a fast-lane poll for a moment, or by another
    # sync) before it reports "already running".
    lock_wait_s: float = 5.0


def iso(value: datetime) -> str:
    return value.isoformat()


def from_iso(position: Mapping[str, Any], key: str) -> datetime | None:
    raw = position.get(key)
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


@attrs.define
class SourceRun:
    """One source of one cabinet during one sync: its stored state and what this run has done so far.

    The position is a JSON-able mapping. Every source keeps `events_from`, the moment its first sync
    started: things that happened before it (the backfill) never become notifications.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    creds: WbCredentials
    cabinet: Cabinet
    settings: SyncSettings
    clock: Clock
    new_id: Callable[[], UUID]
    state: SourceState
    taken: int = 0
    written: int = 0

    @property
    def cabinet_id(self) -> UUID:
        return self.cabinet.id

    @property
    def position(self) -> dict[str, Any]:
        return dict(self.state.position or {})

    @property
    def events_from(self) -> datetime:
        return from_iso(self.position, EVENTS_FROM) or self.clock.now()

    def initial_from(self) -> datetime:
        return self.clock.now() - timedelta(days=self.settings.initial_sync_days)

    async def commit_page(
        self,
        uow: UnitOfWork,
        position: Mapping[str, Any],
        taken: int,
        written: int,
        events: Sequence[DomainEvent] = (),
    ) -> None:
        """Save the page's events and advanced position next to the rows already written in `uow`, and
        commit. A page that wrote nothing and told nothing saves no position (its position is saved with
        a later page or at the end of the run): re-reading it after a crash would change nothing. The
        order rollups of the days the page's writes touched are recomputed in the same transaction."""
        now = self.clock.now()
        if events:
            await record_events(uow, events, now, self.new_id, self.settings.notify_max_age)
        state = attrs.evolve(self.state, position={EVENTS_FROM: iso(self.events_from), **position})
        state.rows_taken += taken
        if events or written:
            await uow.source_states.save(state)
        await uow.rollups.refresh_touched()
        await uow.commit()
        self.state = state
        self.taken += taken
        self.written += written
