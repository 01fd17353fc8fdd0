"""A stub-by-construction fake of `WeeklyInputs` (application/ports/weekly.py): tests hand it each cabinet's
week as ready-made `WeekInputs`, and it returns them. It reads nothing from the in-memory store, so it is not
held to the Postgres adapter by a contract test: `week` is exactly what a test gave it, and `report_sums` and
`products` are derived from that by the domain's own `report_sums` (as the port says the adapter sums)."""

from collections.abc import Mapping, Sequence
from datetime import date
from uuid import UUID

from application.ports.weekly import WeekInputs
from domain.unit_economics import ProductInfo, WeekSums, report_sums

NOTHING = WeekInputs(report_lines=None, sales=(), paid_storage=None, cogs={}, products={})


class FakeWeeklyInputs:
    """Implements WeeklyInputs. `give(cabinet_id, monday, inputs)` sets what the week starting on that
    Monday holds; a week not given reads as nothing sold (no report, no sales). `calls` records every
    (method, cabinet_id, first, last) asked for."""

    def __init__(self) -> None:
        self.weeks: dict[tuple[UUID, date], WeekInputs] = {}
        self.calls: list[tuple[str, UUID, date, date]] = []

    def give(self, cabinet_id: UUID, first: date, inputs: WeekInputs) -> None:
        self.weeks[(cabinet_id, first)] = inputs

    async def week(self, cabinet_id: UUID, first: date, last: date) -> WeekInputs:
        self.calls.append(("week", cabinet_id, first, last))
        return self.weeks.get((cabinet_id, first), NOTHING)

    async def report_sums(self, cabinet_id: UUID, first: date, last: date) -> WeekSums | None:
        self.calls.append(("report_sums", cabinet_id, first, last))
        given = self.weeks.get((cabinet_id, first), NOTHING)
        if given.report_lines is None:
            return None
        return report_sums(given.report_lines, given.cogs, given.paid_storage)

    async def products(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, ProductInfo]:
        given = [inputs.products for (cabinet, _), inputs in self.weeks.items() if cabinet == cabinet_id]
        return {nm: found[nm] for nm in nm_ids for found in given if nm in found}
