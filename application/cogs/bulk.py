"""POST /v1/cogs/bulk: many costs at once (a JSON array or a CSV upload), all or nothing.

Rows are applied in their order, each as a create (`CreateCogs`' rules), in one transaction: one locked read
of every SKU named, the rules run in memory, one set-based save (so 5,000 rows cost a few round trips, not
5,000). Any row refused, by its values or by the versions before it, and nothing is applied: the error
lists every refused row with its field and reason. Row numbers count data rows from 1 (a CSV's header is
not a row; a spreadsheet shows row 1 on its line 2).
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from uuid import UUID

import attrs

from application.cogs.inputs import CogsEntry, entry_problems
from application.cogs.writes import store
from application.errors import ApplicationError
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.cogs import CogsHistory, CogsVersion
from domain.errors import Conflict, InvalidValue
from domain.moscow_time import moscow_day

MAX_ROWS = 10_000


@attrs.frozen(order=True)
class RowError:
    """Data row `row` (from 1) is refused: `field` (a column name) and why."""

    row: int
    field: str
    reason: str


class BulkRejected(ApplicationError):
    """Some rows are refused; nothing was applied. `errors` by row."""

    def __init__(self, errors: Sequence[RowError], rows: int) -> None:
        bad = len({e.row for e in errors})
        super().__init__(f"{bad} of {rows} rows are refused: nothing was applied")
        self.errors = tuple(sorted(errors))


@attrs.frozen
class BulkApplied:
    """Every row applied: the versions created (in row order) and the ISO weeks whose figures changed."""

    created: tuple[CogsVersion, ...]
    affected_weeks: tuple[str, ...]
    today: date


@attrs.frozen
class BulkSetCogs:
    """Apply rows of costs all or nothing. Raises InvalidValue("rows") for no rows or over MAX_ROWS,
    BulkRejected naming every refused row. `dry_run`: everything is checked against the stored versions
    as for real and the answer is the same, but nothing is stored (a preview). Not idempotent by itself:
    a repeated upload supersedes its own versions (same SKU and valid_from), so the costs in force stay
    the same."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    id_factory: Callable[[], UUID]

    async def __call__(
        self,
        cabinet_id: UUID,
        rows: Sequence[Mapping[str, object]],
        decimal_comma: bool = False,
        dry_run: bool = False,
    ) -> BulkApplied:
        if not 1 <= len(rows) <= MAX_ROWS:
            raise InvalidValue("rows", f"send from 1 to {MAX_ROWS} rows, got {len(rows)}")
        errors: list[RowError] = []
        entries: list[tuple[int, CogsEntry]] = []
        for n, raw in enumerate(rows, start=1):
            found = entry_problems(raw, decimal_comma)
            if isinstance(found, list):
                errors.extend(RowError(n, p.field, p.reason) for p in found)
            else:
                entries.append((n, found))
        errors.extend(_repeats(entries))
        now = self.clock.now()
        async with self.uow_factory() as uow:
            histories = await uow.cogs.histories_for_update(cabinet_id, {e.nm_id for _, e in entries})
            run = _Run(histories, through=moscow_day(now))
            for n, entry in entries:
                run.add(n, entry.version(self.id_factory(), cabinet_id, now))
            errors.extend(run.errors)
            if errors:
                raise BulkRejected(errors, len(rows))
            if not dry_run:  # a preview leaves the unit of work uncommitted: it rolls back
                await store(uow, cabinet_id, list(run.changed.values()))
        return BulkApplied(tuple(run.created), tuple(sorted(run.weeks)), run.through)


def _repeats(entries: list[tuple[int, CogsEntry]]) -> list[RowError]:
    """A SKU given twice from the same day in one upload is a mistake, not a correction."""
    first: dict[tuple[int, object], int] = {}
    errors = []
    for n, e in entries:
        key = (e.nm_id, e.valid_from)
        if key in first:
            reason = f"row {first[key]} already sets nm_id {e.nm_id} from {e.valid_from}"
            errors.append(RowError(n, "valid_from", reason))
        first.setdefault(key, n)
    return errors


@attrs.define
class _Run:
    """The rows applied so far to the SKUs' histories, in memory."""

    histories: dict[int, CogsHistory]
    through: date
    errors: list[RowError] = attrs.Factory(list)
    changed: dict[UUID, CogsVersion] = attrs.Factory(dict)
    created: list[CogsVersion] = attrs.Factory(list)
    weeks: set[str] = attrs.Factory(set)

    def add(self, n: int, version: CogsVersion) -> None:
        try:
            change = self.histories[version.nm_id].add(version, through=self.through)
        except InvalidValue as exc:
            self.errors.append(RowError(n, exc.field, exc.reason))
            return
        except Conflict as exc:
            self.errors.append(RowError(n, "nm_id", str(exc)))
            return
        self.changed.update({v.id: v for v in change.changed})
        self.created.append(version)
        self.weeks.update(change.affected_weeks)
