"""SyncCabinet: pull every source of one cabinet from WB into the store, each from its own cursor."""

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from uuid import UUID

import attrs

from application.errors import WbAuthError, WbRateLimited
from application.ports import Clock, SecretBox, UnitOfWorkFactory
from application.sync_ports import CabinetLock, SyncCursor
from application.use_cases import sources as src
from application.use_cases.invalidation import invalidate_cabinet
from application.use_cases.sync_fbs import sync_fbs_orders, sync_fbs_statuses
from application.use_cases.sync_reports import sync_claims, sync_feedbacks, sync_stocks
from application.use_cases.sync_statistics import sync_stat_orders, sync_stat_sales
from application.use_cases.sync_support import EVENTS_FROM, SourceRun, SyncSettings, iso
from application.wb_api import WbCredentials, WbSellerApi
from domain.identity import Cabinet

log = logging.getLogger(__name__)

_RUNNERS: dict[str, Callable[[SourceRun], Awaitable[object]]] = {
    src.FBS_ORDERS: sync_fbs_orders,
    src.FBS_STATUSES: sync_fbs_statuses,
    src.STAT_ORDERS: sync_stat_orders,
    src.STAT_SALES: sync_stat_sales,
    src.STOCKS: sync_stocks,
    src.FEEDBACKS: sync_feedbacks,
    src.CLAIMS: sync_claims,
}


@attrs.frozen
class SourceReport:
    source: str
    taken: int = 0
    written: int = 0
    error: str | None = None
    skipped: str | None = None


@attrs.frozen
class SyncReport:
    cabinet_id: UUID
    sources: tuple[SourceReport, ...] = ()
    skipped: str | None = None
    invalidated: bool = False

    def source(self, name: str) -> SourceReport:
        return next(s for s in self.sources if s.source == name)


@attrs.frozen
class SyncCabinet:
    """One sync of one cabinet, under the cabinet's lock (held elsewhere: "already running", nothing done).

    Not found or inactive cabinet: nothing done. Sources run in a fixed order, each in its own units of
    work, so one failing source does not stop the others; each page's rows, events and advanced cursor
    commit together, so a crash never skips data and a re-run resumes after the last committed page. A
    source whose key category is missing is skipped. Errors are recorded on the source's cursor;
    WbRateLimited also sets `backoff_until`, and the source is skipped until then. WbAuthError (or a key
    expired by its own `exp`) marks the cabinet invalid with one cabinet_invalid event and ends the sync.
    Idempotent: upserts are keyed and events deduped, so a second sync with nothing new writes no rows.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    lock: CabinetLock
    settings: SyncSettings = attrs.field(factory=SyncSettings)
    id_factory: Callable[[], UUID] = uuid.uuid4

    async def __call__(self, cabinet_id: UUID) -> SyncReport:
        async with self.lock.hold(cabinet_id) as acquired:
            if not acquired:
                return SyncReport(cabinet_id, skipped="already running")
            return await self._sync(cabinet_id)

    async def _sync(self, cabinet_id: UUID) -> SyncReport:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(cabinet_id)
            encrypted = await uow.cabinets.get_encrypted_key(cabinet_id)
            cursors = {c.source: c for c in await uow.sync_cursors.list_for_cabinet(cabinet_id)}
        if cabinet is None or encrypted is None:
            return SyncReport(cabinet_id, skipped="cabinet not found")
        if not cabinet.is_active:
            return SyncReport(cabinet_id, skipped="cabinet is invalid")
        if self.clock.now() >= cabinet.token_expires_at:
            reason = f"the key expired at {cabinet.token_expires_at.isoformat()}"
            return await self._invalidate(cabinet_id, reason, ())
        try:
            creds = WbCredentials(cabinet_id, self.secret_box.decrypt(encrypted))
        except ValueError:
            # Our own secret changed or the row was tampered with: not the seller's fault, so not invalid.
            log.error("stored key of cabinet %s cannot be decrypted", cabinet_id)
            return SyncReport(cabinet_id, skipped="stored key cannot be decrypted")
        reports: list[SourceReport] = []
        for source, runner in _RUNNERS.items():
            try:
                reports.append(await self._source(cabinet, creds, cursors.get(source), source, runner))
            except WbAuthError as exc:
                reports.append(SourceReport(source, error=str(exc)))
                return await self._invalidate(cabinet_id, exc.detail, reports)
        return SyncReport(cabinet_id, tuple(reports))

    async def _invalidate(self, cabinet_id: UUID, reason: str, reports: Sequence[SourceReport]) -> SyncReport:
        await invalidate_cabinet(self.uow_factory, cabinet_id, reason, self.clock.now(), self.id_factory)
        return SyncReport(cabinet_id, tuple(reports), skipped=reason, invalidated=True)

    async def _source(
        self,
        cabinet: Cabinet,
        creds: WbCredentials,
        stored: SyncCursor | None,
        source: str,
        runner: Callable[[SourceRun], Awaitable[object]],
    ) -> SourceReport:
        now = self.clock.now()
        category = src.SOURCE_CATEGORY[source]
        if category not in cabinet.categories:
            return SourceReport(source, skipped=f"the key lacks the {category.name} category")
        if stored is not None and stored.backoff_until is not None and now < stored.backoff_until:
            return SourceReport(source, skipped=f"rate limited until {stored.backoff_until.isoformat()}")
        first = stored is None or not stored.cursor
        cursor = stored or SyncCursor(cabinet.id, source)
        if first:
            cursor = attrs.evolve(cursor, cursor={**(cursor.cursor or {}), EVENTS_FROM: iso(now)})
        run = SourceRun(
            self.uow_factory,
            self.wb_api,
            creds,
            cabinet,
            self.settings,
            self.clock,
            self.id_factory,
            cursor,
            first,
        )
        try:
            ran = await runner(run)
        except WbAuthError:
            raise
        except Exception as exc:  # one source failing must not stop the others
            log.warning("sync of %s for cabinet %s failed: %s", source, cabinet.id, exc, exc_info=True)
            await self._record_error(cabinet.id, source, exc)
            return SourceReport(source, run.taken, run.written, error=f"{type(exc).__name__}: {exc}")
        if ran is False:
            return SourceReport(source, skipped="statistics interval not yet passed")
        await self._record_success(run)
        return SourceReport(source, run.taken, run.written)

    async def _record_success(self, run: SourceRun) -> None:
        async with self.uow_factory() as uow:
            cursor = attrs.evolve(
                run.cursor,
                last_success_at=self.clock.now(),
                last_error=None,
                last_error_at=None,
                backoff_until=None,
            )
            await uow.sync_cursors.save(cursor)
            await uow.commit()

    async def _record_error(self, cabinet_id: UUID, source: str, exc: Exception) -> None:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            # Re-read: the cursor must stay at the last committed page, whatever this run held in memory.
            cursor = await uow.sync_cursors.get(cabinet_id, source) or SyncCursor(cabinet_id, source)
            cursor.last_error = f"{type(exc).__name__}: {exc}"
            cursor.last_error_at = now
            if isinstance(exc, WbRateLimited):
                cursor.backoff_until = now + timedelta(seconds=exc.retry_after_s)
            await uow.sync_cursors.save(cursor)
            await uow.commit()
