"""What every sync source shares: settings, its cursor, and committing one page with its cursor."""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import attrs

from application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from application.sync_ports import SyncCursor
from application.wb_api import WbCredentials, WbSellerApi
from domain.events import DomainEvent
from domain.identity import Cabinet

EVENTS_FROM = "events_from"


@attrs.frozen
class SyncSettings:
    initial_sync_days: int = 30
    status_batch: int = 1000
    fbs_window_days: int = 30
    stats_min_interval_s: int = 60
    fbs_page_limit: int = 1000
    fbs_overlap_minutes: int = 60
    stocks_page_size: int = 250_000
    feedbacks_take: int = 5000
    feedbacks_max_skip: int = 199_990
    claims_limit: int = 200


def iso(value: datetime) -> str:
    return value.isoformat()


def from_iso(state: Mapping[str, Any], key: str) -> datetime | None:
    raw = state.get(key)
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


@attrs.define
class SourceRun:
    """One source of one cabinet during one sync: its cursor and what it has done so far.

    The cursor state is a JSON-able mapping. Every source keeps `events_from`, the moment its first
    sync started: things that happened before it (the backfill) never become notifications.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    creds: WbCredentials
    cabinet: Cabinet
    settings: SyncSettings
    clock: Clock
    new_id: Callable[[], UUID]
    cursor: SyncCursor
    first_run: bool = False
    taken: int = 0
    written: int = 0

    @property
    def cabinet_id(self) -> UUID:
        return self.cabinet.id

    @property
    def state(self) -> dict[str, Any]:
        return dict(self.cursor.cursor or {})

    @property
    def events_from(self) -> datetime:
        return from_iso(self.state, EVENTS_FROM) or self.clock.now()

    def initial_from(self) -> datetime:
        return self.clock.now() - timedelta(days=self.settings.initial_sync_days)

    def with_events_from(self, state: Mapping[str, Any]) -> dict[str, Any]:
        return {EVENTS_FROM: iso(self.events_from), **state}

    async def commit_page(
        self,
        uow: UnitOfWork,
        state: Mapping[str, Any],
        taken: int,
        written: int,
        events: Sequence[DomainEvent] = (),
    ) -> None:
        """Save the page's advanced cursor and its events next to the rows already written in `uow`, and
        commit: the rows and the cursor that skips past them land together or not at all."""
        now = self.clock.now()
        if events:
            await uow.events.add_many(list(events), [self.new_id() for _ in events], now)
        cursor = attrs.evolve(self.cursor, cursor=self.with_events_from(state))
        cursor.rows_taken += taken
        await uow.sync_cursors.save(cursor)
        await uow.commit()
        self.cursor = cursor
        self.taken += taken
        self.written += written
