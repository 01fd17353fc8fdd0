"""Every COGS use case over one unit-of-work factory, clock and id source: what the COGS tests drive."""

import uuid
from datetime import UTC, date, datetime, timedelta

import attrs

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.clock import ManualClock
from application.cogs.bulk import BulkSetCogs
from application.cogs.reads import CogsHistoryView, GetCogs, GetCogsVersion, MissingCogsReport
from application.cogs.writes import CreateCogs, DeleteCogs, UpdateCogs
from application.ports.unit_of_work import UnitOfWorkFactory
from tests.integration.builders import stored_cabinet

NOW = datetime(2026, 2, 4, 9, 0, tzinfo=UTC)  # Wednesday 2026-02-04 12:00 in Moscow (ISO week 2026-W06)


@attrs.frozen
class Cogs:
    uow: UnitOfWorkFactory
    clock: ManualClock
    cabinet: uuid.UUID
    create: CreateCogs
    update: UpdateCogs
    delete: DeleteCogs
    bulk: BulkSetCogs
    get: GetCogs
    version: GetCogsVersion
    history: CogsHistoryView
    missing: MissingCogsReport

    async def version_number(self) -> int:
        async with self.uow() as unit:
            return await unit.rollups.version(self.cabinet)


async def cogs_over(uow: UnitOfWorkFactory, now: datetime = NOW) -> Cogs:
    """The use cases for a fresh stored cabinet."""
    clock = ManualClock(now)
    cabinet = (await stored_cabinet(uow)).id
    return Cogs(
        uow, clock, cabinet,
        CreateCogs(uow, clock, uuid.uuid4), UpdateCogs(uow, clock), DeleteCogs(uow, clock),
        BulkSetCogs(uow, clock, uuid.uuid4), GetCogs(uow, clock), GetCogsVersion(uow, clock),
        CogsHistoryView(uow, clock), MissingCogsReport(uow),
    )  # fmt: skip


async def memory_cogs(now: datetime = NOW) -> Cogs:
    return await cogs_over(InMemoryUnitOfWorkFactory(), now)


def cost(
    nm_id: int, unit_cost: str, valid_from: date | str, valid_to: date | None = None, **more: object
) -> dict[str, object]:
    return {"nm_id": nm_id, "unit_cost": unit_cost, "valid_from": valid_from, "valid_to": valid_to, **more}


def day(n: int) -> date:
    """January 2026, day n (n may run past 31 into February)."""
    return date(2026, 1, 1) + timedelta(days=n - 1)
