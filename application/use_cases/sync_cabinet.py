"""SyncCabinet: pull every source of one cabinet from WB into the store, each from its own position."""

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

import attrs

from application.notifications.outbox import record_events
from application.ports.sync import CabinetLock, SourceState
from application.ports.system import Clock, SecretBox
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.ports.wb import WbAuthError, WbCredentials, WbPacingWait, WbRateLimited, WbSellerApi
from application.sync.run import EVENTS_FROM, Outcome, SourceRun, SyncSettings, iso
from application.sync.sources import SOURCE_NAMES, SOURCES, SyncSource, lanes
from application.use_cases.invalidation import AuthErrorJudge, invalidate_cabinet
from domain.events import DomainEvent, sync_completed_event, token_expiring_event
from domain.identity import Cabinet

log = logging.getLogger(__name__)
LOCK_RETRY_S = 0.25


@attrs.frozen
class SourceReport:
    source: str
    taken: int = 0
    written: int = 0
    error: str | None = None
    skipped: str | None = None
    continues_at: datetime | None = None  # paused by WB's pace (not an error): resumes at the next run then
    # The state a successful run ends with; the sync saves every source's in one unit of work at the end.
    finished: SourceState | None = attrs.field(default=None, repr=False, eq=False)


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
    """One sync of one cabinet, under the cabinet's lock (still held elsewhere after `lock_wait_s`:
    "already running", nothing done).

    Not found or inactive cabinet: nothing done. The lanes of `SOURCES` run concurrently (the sources of
    one lane in order), each source in its own units of work, so one failing source does not stop the
    others; each page's rows, events and advanced position commit together, so a crash never skips data
    and a re-run resumes after the last committed page. A source whose key category is missing is skipped.
    Errors are recorded on the source's state; WbRateLimited also sets `backoff_until`, and the source is
    skipped until then. WbPacingWait (our pacing of WB's limit would have to wait long) is not an error:
    the source stops after its last committed page with `continues_at`, and the next run at or after that
    moment continues it. A 401/403 of one source is judged by WB's key check (once per sync): a good key
    only has that source blocked (skipped with WB's reason until a day later or a new key), a check that
    cannot answer judges nothing (the source's error), and a key the check rejects too (or a key expired
    by its own `exp`) marks the cabinet invalid with one cabinet_invalid event once every lane has stopped.
    A key expiring within a week is warned of (token_expiring, once per key and threshold). The end of
    the first sync after which every source the key may read has finished once (and the key was not
    rejected) is told as sync_completed with the rows stored, in the unit of work that saves the sources'
    states: a first sync with failing sources does not say "ready" until they have caught up.
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
        # The fast lane's poll holds the lock for a fraction of a second, and its cron ticks may fall on
        # the sync's: a held lock is tried again for a few seconds before the sync gives up.
        tries = max(1, round(self.settings.lock_wait_s / LOCK_RETRY_S) + 1)
        for attempt in range(tries):
            if attempt:
                await asyncio.sleep(LOCK_RETRY_S)
            async with self.lock.hold(cabinet_id) as acquired:
                if acquired:
                    return await self._sync(cabinet_id)
        return SyncReport(cabinet_id, skipped="already running")

    async def _sync(self, cabinet_id: UUID) -> SyncReport:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(cabinet_id)
            encrypted = await uow.cabinets.get_encrypted_key(cabinet_id)
            states = {s.source: s for s in await uow.source_states.list_for_cabinet(cabinet_id)}
        if cabinet is None or encrypted is None:
            return SyncReport(cabinet_id, skipped="cabinet not found")
        if not cabinet.is_active:
            return SyncReport(cabinet_id, skipped="cabinet is invalid")
        if self.clock.now() >= cabinet.token_expires_at:
            reason = f"the key expired at {cabinet.token_expires_at.isoformat()}"
            return await self._invalidate(cabinet_id, reason, ())
        try:
            creds = WbCredentials(cabinet_id, self.secret_box.decrypt(encrypted), cabinet.seller_id)
        except ValueError:
            # Our own secret changed or the row was tampered with: not the seller's fault, so not invalid.
            log.error("stored key of cabinet %s cannot be decrypted", cabinet_id)
            return SyncReport(cabinet_id, skipped="stored key cannot be decrypted")
        await self._warn_expiry(cabinet)
        judge = AuthErrorJudge(self.uow_factory, self.wb_api, self.clock, creds, cabinet.key_fingerprint)
        done = await asyncio.gather(*(self._lane(cabinet, creds, states, lane, judge) for lane in lanes()))
        reports = sorted((r for lane_reports, _ in done for r in lane_reports), key=_table_order)
        rejected = next((exc for _, exc in done if exc is not None), None)
        done_before = {name for name, state in states.items() if state.last_success_at}
        await self._save_finished(cabinet_id, reports, done_before if rejected is None else None)
        if rejected is not None:
            return await self._invalidate(cabinet_id, rejected.detail, reports)
        return SyncReport(cabinet_id, tuple(reports))

    async def _lane(
        self,
        cabinet: Cabinet,
        creds: WbCredentials,
        states: dict[str, SourceState],
        lane: Sequence[SyncSource],
        judge: AuthErrorJudge,
    ) -> tuple[list[SourceReport], WbAuthError | None]:
        """The lane's sources in order; a rejected key stops the lane (the others finish their source)."""
        reports: list[SourceReport] = []
        for source in lane:
            try:
                reports.append(await self._source(cabinet, creds, states.get(source.name), source))
            except WbAuthError as exc:  # the key, or only this method? The key check says (once per sync).
                verdict = await judge.judge(source.name, exc)
                if verdict.key_rejected is not None:
                    reports.append(SourceReport(source.name, error=str(exc)))
                    return reports, WbAuthError(exc.status, verdict.key_rejected)
                if verdict.unjudged is not None:
                    await self._record_error(cabinet.id, source.name, exc)
                    reports.append(SourceReport(source.name, error=verdict.unjudged))
                else:
                    refused = f"WB refuses it to this key: {exc.detail}"
                    reports.append(SourceReport(source.name, skipped=refused))
        return reports, None

    async def _invalidate(self, cabinet_id: UUID, reason: str, reports: Sequence[SourceReport]) -> SyncReport:
        await invalidate_cabinet(self.uow_factory, cabinet_id, reason, self.clock.now(), self.id_factory)
        return SyncReport(cabinet_id, tuple(reports), skipped=reason, invalidated=True)

    async def _source(
        self, cabinet: Cabinet, creds: WbCredentials, stored: SourceState | None, source: SyncSource
    ) -> SourceReport:
        now = self.clock.now()
        if source.category not in cabinet.categories:
            return SourceReport(source.name, skipped=f"the key lacks the {source.category.name} category")
        if (block := cabinet.block_of(source.name, now)) is not None:
            return SourceReport(source.name, skipped=f"WB refuses it to this key: {block.reason}")
        if stored is not None and stored.backoff_until is not None and now < stored.backoff_until:
            return SourceReport(source.name, skipped=f"rate limited until {stored.backoff_until.isoformat()}")
        if stored is not None and stored.continues_at is not None and now < stored.continues_at:
            return SourceReport(source.name, skipped=f"continues at {stored.continues_at.isoformat()}")
        state = stored or SourceState(cabinet.id, source.name)
        if not state.position:  # the first run: what happened before now is backfill, not news
            state = attrs.evolve(state, position={EVENTS_FROM: iso(now)})
        run = SourceRun(
            self.uow_factory, self.wb_api, creds, cabinet, self.settings, self.clock, self.id_factory, state
        )
        try:
            outcome = await source.runner(run)
        except WbAuthError:
            raise
        except WbPacingWait as exc:  # not a WB error: the rest is read at the next run after the wait
            at = await self._record_continuation(run, exc.retry_after_s)
            return SourceReport(source.name, run.taken, run.written, continues_at=at)
        except Exception as exc:  # one source failing must not stop the others
            log.warning("sync of %s for cabinet %s failed: %s", source.name, cabinet.id, exc, exc_info=True)
            await self._record_error(cabinet.id, source.name, exc, started=now)
            return SourceReport(source.name, run.taken, run.written, error=f"{type(exc).__name__}: {exc}")
        if outcome is Outcome.NOT_DUE:
            return SourceReport(source.name, skipped="statistics interval not yet passed")
        finished = attrs.evolve(
            run.state,
            last_success_at=self.clock.now(),
            last_error=None,
            last_error_at=None,
            backoff_until=None,
            continues_at=None,
        )
        return SourceReport(source.name, run.taken, run.written, finished=finished)

    async def _save_finished(
        self, cabinet_id: UUID, reports: Sequence[SourceReport], done_before: set[str] | None
    ) -> None:
        """One unit of work for every source's final state (its rows and events are committed already,
        each page with the position it needs; a lost final save only means re-reading, idempotently).

        "Your data is ready" (sync_completed) commits with them the first time every source the key may
        read (its categories, less the sources WB refuses it, as of now) has finished once; `done_before`
        names the sources that had, None when the key was rejected. A crash before the commit leaves the
        next sync to tell it, and its subject dedupes a second telling."""
        finished = [r.finished for r in reports if r.finished is not None]
        if not finished:
            return
        async with self.uow_factory() as uow:
            await uow.source_states.save_many(finished)
            cabinet = await uow.cabinets.get(cabinet_id)
            if cabinet is not None and done_before is not None:
                now = self.clock.now()
                readable = {s.name for s in SOURCES if s.category in cabinet.categories}
                expected = {name for name in readable if cabinet.block_of(name, now) is None}
                done_now = done_before | {r.source for r in reports if r.finished is not None}
                if expected and not expected <= done_before and expected <= done_now:
                    await self._record(uow, await _sync_completed(uow, cabinet_id, now))
            await uow.commit()

    async def _warn_expiry(self, cabinet: Cabinet) -> None:
        """token_expiring when the key expires within a week (its own unit of work, before the sources
        run, so a failing sync still warns)."""
        now = self.clock.now()
        event = token_expiring_event(cabinet.id, cabinet.key_fingerprint, cabinet.token_expires_at, now)
        if event is None:
            return
        async with self.uow_factory() as uow:
            await self._record(uow, event)
            await uow.commit()

    async def _record(self, uow: UnitOfWork, event: DomainEvent) -> None:
        await record_events(uow, [event], self.clock.now(), self.id_factory, self.settings.notify_max_age)

    async def _record_continuation(self, run: SourceRun, wait_s: float) -> datetime:
        at = self.clock.now() + timedelta(seconds=wait_s)
        async with self.uow_factory() as uow:
            # run.state is the last committed page's state: the position the continuation starts from.
            state = attrs.evolve(
                run.state, last_error=None, last_error_at=None, backoff_until=None, continues_at=at
            )
            await uow.source_states.save(state)
            await uow.commit()
        return at

    async def _record_error(
        self, cabinet_id: UUID, source: str, exc: Exception, started: datetime | None = None
    ) -> None:
        """The error on the source's state. A source that failed before its first page still keeps when
        it was first tried (`events_from`): what happens from then on is news, not backfill."""
        now = self.clock.now()
        async with self.uow_factory() as uow:
            # Re-read: the position must stay at the last committed page, whatever this run held in memory.
            state = await uow.source_states.get(cabinet_id, source) or SourceState(cabinet_id, source)
            if not state.position:
                state.position = {EVENTS_FROM: iso(started or now)}
            state.last_error = f"{type(exc).__name__}: {exc}"
            state.last_error_at = now
            if isinstance(exc, WbRateLimited):
                state.backoff_until = now + timedelta(seconds=exc.retry_after_s)
            await uow.source_states.save(state)
            await uow.commit()


async def _sync_completed(uow: UnitOfWork, cabinet_id: UUID, at: datetime) -> DomainEvent:
    counts = {
        "orders": await uow.orders.count(cabinet_id),
        "stat_orders": await uow.stat_orders.count(cabinet_id),
        "sales": await uow.sales.count(cabinet_id),
        "reviews": await uow.reviews.count(cabinet_id),
        "stocks": await uow.stocks.count(cabinet_id),
        "claims": await uow.claims.count(cabinet_id),
    }
    return sync_completed_event(cabinet_id, counts, at)


def _table_order(report: SourceReport) -> int:
    return SOURCE_NAMES.index(report.source)
