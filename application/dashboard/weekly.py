"""`GET /v1/analytics/weekly/by-sku` (seed 002 §5.3, issue 11 part 3): one Moscow ISO week's unit economics
per SKU. The formulas are the domain's (domain/unit_economics; definitions in docs/metrics.md, "Weekly unit
economics (by SKU)"); this use case reads the week and pages the SKUs."""

from collections.abc import Sequence
from uuid import UUID

import attrs

from application.ports.system import Clock
from application.ports.weekly import WeeklyInputs
from domain.errors import InvalidValue
from domain.moscow_time import iso_week, moscow_day, parse_iso_week
from domain.unit_economics import (
    SkuEconomics,
    WeeklyUnitEconomics,
    ranked_from_sums,
    weekly_unit_economics,
)

MAX_LIMIT = 1000


@attrs.frozen
class WeekPage:
    week: WeeklyUnitEconomics
    items: Sequence[SkuEconomics]
    total: int


@attrs.frozen
class WeeklyBySku:
    """The SKUs of `week` (`2026-W04`; default the current Moscow week) by revenue_gross, highest first
    (then by nm_id), `offset`/`limit` of them. InvalidValue (→ 400) for a malformed week or one that has not
    begun. Read-only."""

    inputs: WeeklyInputs
    clock: Clock

    async def __call__(self, cabinet_id: UUID, week: str | None, limit: int, offset: int) -> WeekPage:
        today = moscow_day(self.clock.now())
        label = iso_week(today) if week is None else week
        first, last = parse_iso_week(label)
        if first > today:
            raise InvalidValue("week", f"{label} has not begun (today is {today} in Moscow)")
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            raise InvalidValue("limit", f"limit must be 1..{MAX_LIMIT} and offset >= 0")
        sums = await self.inputs.report_sums(cabinet_id, first, last)
        if sums is not None:  # the report's week: only the page's SKUs are made, and named
            result, total = ranked_from_sums(label, sums, offset, limit)
            products = await self.inputs.products(cabinet_id, [s.nm_id for s in result.skus])
            page = [attrs.evolve(s, product=products.get(s.nm_id, s.product)) for s in result.skus]
            return WeekPage(result, page, total)
        # The report has not arrived: the week from its statistics sales, provisional.
        read = await self.inputs.week(cabinet_id, first, last)
        result = weekly_unit_economics(
            label, cogs=read.cogs, report_lines=None, sales=read.sales, paid_storage=read.paid_storage,
            products=read.products,
        )  # fmt: skip
        ranked = sorted(result.skus, key=lambda s: (-s.components.revenue_gross, s.nm_id))
        return WeekPage(result, ranked[offset : offset + limit], len(ranked))
