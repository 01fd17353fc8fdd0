"""PurgeCabinets: a cabinet nobody can use any more keeps its data for the retention period, then goes."""

import logging
from datetime import datetime, timedelta
from uuid import UUID

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.identity import Cabinet

log = logging.getLogger(__name__)


async def review_retention(uow: UnitOfWork, cabinet: Cabinet, at: datetime, retention: timedelta) -> bool:
    """Mark the cabinet for deletion `retention` after `at` if its key is dead or nobody belongs to it any
    more, and clear the mark otherwise. An existing mark is never postponed. Returns True if the cabinet is
    (now) marked. For any use case that changes a cabinet's status or members, inside its unit of work."""
    if cabinet.is_active and await uow.memberships.list_for_cabinet(cabinet.id):
        await uow.cabinets.cancel_deletion(cabinet.id)
        return False
    await uow.cabinets.schedule_deletion(cabinet.id, at + retention)
    return True


@attrs.frozen
class RemovedCabinet:
    cabinet_id: UUID
    name: str


@attrs.frozen
class PurgeSummary:
    marked: int
    """Cabinets that are invalid or memberless, and so have a deletion mark after this run."""
    removed: tuple[RemovedCabinet, ...]
    """Cabinets deleted with all their data by this run."""


@attrs.frozen
class PurgeCabinets:
    """Delete the cabinets that stayed invalid or memberless for the whole retention period.

    First every cabinet's mark is reviewed (`review_retention`), so a cabinet invalidated by a sync, or left
    by its last member, is marked even if nothing marked it then, and one that is active with a member again
    loses its mark. Then each cabinet whose mark is due is deleted, with its memberships, synced data and
    events, in its own unit of work; the delete re-reads the mark, so a reconnect that cleared it in the
    meantime wins. Idempotent: a second run finds nothing due. Database errors propagate (the next run
    repeats the work).
    """

    uow_factory: UnitOfWorkFactory
    clock: Clock
    retention: timedelta

    async def __call__(self) -> PurgeSummary:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            cabinets = {c.id: c for c in await uow.cabinets.list_all()}
            marked = [c.id for c in cabinets.values() if await review_retention(uow, c, now, self.retention)]
            await uow.commit()
        async with self.uow_factory() as uow:
            due = list(await uow.cabinets.list_due_for_deletion(now))
        removed = [await self._delete(cabinets[i], now) for i in due if i in cabinets]
        gone = tuple(r for r in removed if r is not None)
        return PurgeSummary(marked=len(marked) - len(gone), removed=gone)

    async def _delete(self, cabinet: Cabinet, now: datetime) -> RemovedCabinet | None:
        async with self.uow_factory() as uow:
            deleted = await uow.cabinets.delete_if_due(cabinet.id, now)
            await uow.commit()
        if not deleted:
            return None
        log.info("cabinet deleted after its retention period", extra={"cabinet_id": str(cabinet.id)})
        return RemovedCabinet(cabinet.id, cabinet.name)
