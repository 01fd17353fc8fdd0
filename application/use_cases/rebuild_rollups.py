"""RebuildRollups: recompute a cabinet's order rollups from the stored orders (`wbpulse rollups rebuild`)."""

from uuid import UUID

import attrs

from application.ports.unit_of_work import UnitOfWorkFactory
from domain.errors import NotFound


@attrs.frozen
class RebuiltRollups:
    cabinet_id: UUID
    days: int
    """Moscow days of the cabinet with orders or returns after the rebuild."""


@attrs.frozen
class RebuildRollups:
    """Recompute every Moscow day of the order rollups of one cabinet, or of every cabinet, from the base
    tables (orders, statistics orders, sales): after a change to a rollup's definition, or to repair rows
    that drifted (e.g. a day WB moved an order out of, which the sync does not see). Each cabinet is one
    unit of work; the refresh takes the same per-day locks as the sync, so it can run while syncs do.
    Idempotent: a second run rewrites nothing. NotFound for a cabinet id that does not exist; database
    errors propagate (a cabinet already committed stays rebuilt, a re-run repeats the rest)."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self, cabinet_id: UUID | None = None) -> list[RebuiltRollups]:
        async with self.uow_factory() as uow:
            if cabinet_id is None:
                ids = [c.id for c in await uow.cabinets.list_all()]
            elif await uow.cabinets.get(cabinet_id) is None:
                raise NotFound("cabinet", cabinet_id)
            else:
                ids = [cabinet_id]
        return [await self._rebuild(i) for i in ids]

    async def _rebuild(self, cabinet_id: UUID) -> RebuiltRollups:
        async with self.uow_factory() as uow:
            days = await uow.rollups.rebuild(cabinet_id)
            await uow.commit()
        return RebuiltRollups(cabinet_id, days)
