"""A week's totals over its SKUs, and the SKUs sold without a cost (for the week-closed notification)."""

from decimal import Decimal

import attrs

from domain.unit_economics.compute import WeeklyUnitEconomics
from domain.unit_economics.figures import ZERO, Components, Figures


@attrs.frozen
class WeekSummary:
    """Σ of the SKUs' rounded components, and the figures derived from those sums by the same formulas.

    Every money total equals the sum of the per-SKU figures to the kopeck. COGS-based totals are None
    when any SKU misses a cost (never summed as if it were 0). `unallocated` holds what had no SKU to go
    to (a week with charges but no SKU at all) and is not in the totals.
    """

    week: str
    provisional: bool
    sku_count: int
    components: Components
    figures: Figures
    unallocated: Components


def summarize(result: WeeklyUnitEconomics) -> WeekSummary:
    total = ZERO
    for sku in result.skus:
        total = total.plus(sku.components)
    return WeekSummary(
        week=result.week,
        provisional=result.provisional,
        sku_count=len(result.skus),
        components=total,
        figures=Figures.of(total),
        unallocated=result.unallocated,
    )


@attrs.frozen
class MissingCogsSummary:
    """SKUs of the week with units but no cost for some of them: how many, which, their revenue_gross and
    their net units (sales less returns, as `total_units`)."""

    week: str
    sku_count: int
    revenue_gross: Decimal
    nm_ids: tuple[int, ...]
    units: int

    @property
    def any(self) -> bool:
        return self.sku_count > 0


def missing_cogs(result: WeeklyUnitEconomics) -> MissingCogsSummary:
    flagged = [sku for sku in result.skus if sku.figures.missing_cogs_flag]
    revenue = sum((sku.components.revenue_gross for sku in flagged), Decimal("0.00"))
    units = sum(sku.components.total_units for sku in flagged)
    return MissingCogsSummary(result.week, len(flagged), revenue, tuple(sku.nm_id for sku in flagged), units)
