"""Writing COGS: create, correct and delete one version (issue 11 part 2), each one transaction that also
outlives every cached dashboard answer of the cabinet (part 4, decisions 0017 and 0020).

The window rules are the domain's (`domain.cogs`). A refusal because of the values alone (a negative cost,
RUB only, valid_to before valid_from) is InvalidValue (400); a refusal because of the versions already
stored (an end reaching into a later version, or leaving days of a replaced one without a cost) is
WindowConflict (409), naming the field and the reason. Unknown ids, and ids of another cabinet, are
NotFound (404).
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from uuid import UUID

import attrs

from application.cogs.inputs import CogsEntry, parse_entry
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.cogs import CogsChange, CogsHistory, CogsVersion
from domain.errors import Conflict, InvalidValue, NotFound
from domain.moscow_time import moscow_day


class WindowConflict(Conflict):
    """The change is well-formed but collides with the SKU's stored versions; `field` and `reason` say how."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@attrs.frozen
class CogsWritten:
    """The version written (created, corrected or deleted), the other versions the rules changed with it
    (closed, superseded, reopened), and the ISO weeks whose figures may have changed."""

    version: CogsVersion
    changed: tuple[CogsVersion, ...]
    affected_weeks: tuple[str, ...]
    today: date


def apply(change: Callable[[], CogsChange]) -> CogsChange:
    """Run a domain change, its window refusals turned into WindowConflict."""
    try:
        return change()
    except InvalidValue as exc:
        raise WindowConflict(exc.field, exc.reason) from None


async def store(uow: UnitOfWork, cabinet_id: UUID, changed: list[CogsVersion]) -> None:
    """Save, bump the cabinet's data version (every cached answer is outlived; the Postgres trigger tells
    every API process), commit: all or nothing."""
    await uow.cogs.save(changed)
    await uow.rollups.bump_version(cabinet_id)
    await uow.commit()


def written(version: CogsVersion, change: CogsChange, now: datetime) -> CogsWritten:
    others = tuple(v for v in change.changed if v.id != version.id)
    return CogsWritten(version, others, change.affected_weeks, moscow_day(now))


@attrs.frozen
class CreateCogs:
    """POST /v1/cogs: a new version of a SKU's cost (it closes the window it starts in; the same
    valid_from as a live version supersedes it). Raises InvalidValue, WindowConflict. Not idempotent by
    itself: a repeat creates a version that supersedes the first (same valid_from), so the costs stay."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    id_factory: Callable[[], UUID]

    async def __call__(self, cabinet_id: UUID, raw: Mapping[str, object]) -> CogsWritten:
        entry = parse_entry(raw)
        now = self.clock.now()
        version = entry.version(self.id_factory(), cabinet_id, now)
        async with self.uow_factory() as uow:
            history = (await uow.cogs.histories_for_update(cabinet_id, [entry.nm_id]))[entry.nm_id]
            change = apply(lambda: history.add(version, through=moscow_day(now)))
            await store(uow, cabinet_id, list(change.changed))
        return written(version, change, now)


async def _locked_history(uow: UnitOfWork, cabinet_id: UUID, version_id: UUID) -> CogsHistory:
    found = await uow.cogs.find(cabinet_id, version_id)
    if found is None or not found.is_live:
        raise NotFound("cogs_version", str(version_id))
    return (await uow.cogs.histories_for_update(cabinet_id, [found.nm_id]))[found.nm_id]


@attrs.frozen
class UpdateCogs:
    """PUT /v1/cogs/{id}: the version's cost, currency and window as given (a full replacement; its SKU
    cannot change), as if it were deleted and added again: it keeps its id. Raises NotFound (unknown,
    deleted or another cabinet's), InvalidValue, WindowConflict. Idempotent: the same body twice leaves
    the same versions."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, version_id: UUID, raw: Mapping[str, object]) -> CogsWritten:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            history = await _locked_history(uow, cabinet_id, version_id)
            entry: CogsEntry = parse_entry({"nm_id": history.nm_id} | dict(raw))
            if entry.nm_id != history.nm_id:
                raise InvalidValue(
                    "nm_id", "a version's SKU cannot change: delete it and create one for the other"
                )
            version = entry.version(version_id, cabinet_id, now)
            change = apply(lambda: history.replace(version, through=moscow_day(now)))
            await store(uow, cabinet_id, list(change.changed))
        return written(version, change, now)


@attrs.frozen
class DeleteCogs:
    """DELETE /v1/cogs/{id}: soft-delete a live version; the version it closed (ending the day before it
    starts) takes its window back. Raises NotFound (unknown, already deleted or another cabinet's)."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, version_id: UUID) -> CogsWritten:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            history = await _locked_history(uow, cabinet_id, version_id)
            change = history.delete(version_id, at=now, through=moscow_day(now))
            await store(uow, cabinet_id, list(change.changed))
        deleted = next(v for v in change.changed if v.id == version_id)
        return written(deleted, change, now)
