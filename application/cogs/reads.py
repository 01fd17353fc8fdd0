"""Reading COGS (seed 002 §5.1, §5.2) and the week's sales without a cost (`GET /v1/cogs/missing`)."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import attrs

from application.ports.cogs import UncostedSales
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.cogs import CogsVersion, MissingCogs, weeks_of
from domain.errors import InvalidValue, NotFound
from domain.moscow_time import moscow_day, parse_iso_week

MAX_HISTORY = 500


def version_weeks(version: CogsVersion, today: date) -> tuple[str, ...]:
    """The ISO weeks the version's window touches (an open end: through today): what a change to it
    recomputes."""
    end = version.valid_to if version.valid_to is not None else max(today, version.valid_from)
    return weeks_of(version.valid_from, end)


@attrs.frozen
class CogsAt:
    """The cost of `nm_id` on `day`: the live version covering it, or None (no cost: never a 0)."""

    nm_id: int
    day: date
    version: CogsVersion | None
    sa_name: str | None
    today: date


@attrs.frozen
class GetCogs:
    """GET /v1/cogs: the version in force on `valid_at` (default: today, Moscow). Read-only."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, nm_id: int, valid_at: date | None = None) -> CogsAt:
        today = moscow_day(self.clock.now())
        day = valid_at or today
        async with self.uow_factory() as uow:
            found = (await uow.cogs.history(cabinet_id, nm_id)).valid_at(day)
            names = await uow.cogs.sa_names(cabinet_id, [nm_id])
        version = None if isinstance(found, MissingCogs) else found
        return CogsAt(nm_id, day, version, names.get(nm_id), today)


@attrs.frozen
class GetCogsVersion:
    """GET /v1/cogs/{id}: one version, live or deleted. NotFound for an unknown id or another cabinet's."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, version_id: UUID) -> tuple[CogsVersion, date]:
        """The version and today (Moscow), which bounds its open end's weeks."""
        async with self.uow_factory() as uow:
            found = await uow.cogs.find(cabinet_id, version_id)
        if found is None:
            raise NotFound("cogs_version", str(version_id))
        return found, moscow_day(self.clock.now())


@attrs.frozen
class HistoryPage:
    """A page of a SKU's versions, newest valid_from first; `total` counts every version listed (deleted
    ones only when asked), `current` is the one in force today."""

    nm_id: int
    sa_name: str | None
    items: tuple[CogsVersion, ...]
    total: int
    current: CogsVersion | None
    next_offset: int | None
    today: date


@attrs.frozen
class CogsHistoryView:
    """GET /v1/cogs/history. Raises InvalidValue("limit") outside 1..MAX_HISTORY, ("cursor") for a
    negative offset. Read-only."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(
        self, cabinet_id: UUID, nm_id: int, limit: int = 50, include_deleted: bool = False, offset: int = 0
    ) -> HistoryPage:
        if not 1 <= limit <= MAX_HISTORY:
            raise InvalidValue("limit", f"must be from 1 to {MAX_HISTORY}")
        if offset < 0:
            raise InvalidValue("cursor", "not a cursor this API gave")
        today = moscow_day(self.clock.now())
        async with self.uow_factory() as uow:
            history = await uow.cogs.history(cabinet_id, nm_id)
            names = await uow.cogs.sa_names(cabinet_id, [nm_id])
        listed = history.versions(include_deleted)[::-1]
        page = tuple(listed[offset : offset + limit])
        more = offset + limit < len(listed)
        current = history.valid_at(today)
        return HistoryPage(
            nm_id, names.get(nm_id), page, len(listed),
            None if isinstance(current, MissingCogs) else current,
            offset + limit if more else None, today,
        )  # fmt: skip


@attrs.frozen
class MissingWeek:
    """SKUs sold in the ISO week `week` (Moscow days from_day..to_day) without a cost on the sale's day."""

    week: str
    from_day: date
    to_day: date
    items: Sequence[UncostedSales]


@attrs.frozen
class MissingCogsReport:
    """GET /v1/cogs/missing?week=YYYY-Www. Raises InvalidValue("week") for a malformed label. Read-only."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self, cabinet_id: UUID, week: str) -> MissingWeek:
        monday, sunday = parse_iso_week(week)
        async with self.uow_factory() as uow:
            items = await uow.cogs.uncosted_sales(cabinet_id, monday, sunday)
        return MissingWeek(week, monday, sunday, items)
