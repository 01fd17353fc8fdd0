"""CabinetDataHealth: how fresh each source of a cabinet is, for the data-health view."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import attrs

from application.ports import UnitOfWorkFactory
from application.use_cases.sources import SOURCES
from domain.errors import NotFound


@attrs.frozen
class SourceHealth:
    source: str
    last_success_at: datetime | None = None
    rows_taken: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    backoff_until: datetime | None = None

    @property
    def never_synced(self) -> bool:
        return self.last_success_at is None and self.last_error_at is None


@attrs.frozen
class CabinetHealth:
    status: str
    invalid_reason: str | None
    sources: Sequence[SourceHealth]


@attrs.frozen
class CabinetDataHealth:
    """One row per sync source, in sync order, including sources never synced yet. Read-only.

    `__call__` gives the rows alone; `report` also the cabinet's status and raises NotFound for an
    unknown cabinet (what the bot's health endpoint shows)."""

    uow_factory: UnitOfWorkFactory

    async def report(self, cabinet_id: UUID) -> CabinetHealth:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(cabinet_id)
        if cabinet is None:
            raise NotFound("cabinet", str(cabinet_id))
        rows = await self(cabinet_id)
        return CabinetHealth(cabinet.status.value, cabinet.invalid_reason, rows)

    async def __call__(self, cabinet_id: UUID) -> Sequence[SourceHealth]:
        async with self.uow_factory() as uow:
            cursors = {c.source: c for c in await uow.sync_cursors.list_for_cabinet(cabinet_id)}
        rows = []
        for source in (*SOURCES, *sorted(set(cursors) - set(SOURCES))):
            c = cursors.get(source)
            if c is None:
                rows.append(SourceHealth(source))
                continue
            rows.append(
                SourceHealth(
                    source, c.last_success_at, c.rows_taken, c.last_error, c.last_error_at, c.backoff_until
                )
            )
        return rows
