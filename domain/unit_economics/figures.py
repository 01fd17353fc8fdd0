"""The weekly figures of one SKU (or of a whole week), derived from its kopeck-rounded components.

Every derived figure is computed from the already rounded components, so what the dashboard shows adds
up exactly (profit = revenue_gross − cogs to the kopeck), and a week's totals are the sums of its SKUs'.
"""

from decimal import ROUND_HALF_UP, Decimal

import attrs

from domain.unit_economics.allocation import to_kopecks

HUNDREDTH = Decimal("0.01")


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole × 100, two decimals half up; None when either is unknown or whole is not positive."""
    if part is None or whole is None or whole <= 0:
        return None
    return (part * 100 / whole).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _minus(amount: Decimal, cogs: Decimal | None) -> Decimal | None:
    return None if cogs is None else amount - cogs


@attrs.frozen
class Components:
    """The summed, kopeck-rounded amounts; `cogs` None means some unit has no cost (never 0)."""

    total_units: int
    revenue_gross: Decimal
    revenue_net: Decimal
    logistics_cost: Decimal
    storage_cost: Decimal
    penalties: Decimal
    other_costs: Decimal
    cogs: Decimal | None

    def plus(self, other: "Components") -> "Components":
        cogs = None if self.cogs is None or other.cogs is None else self.cogs + other.cogs
        return Components(
            self.total_units + other.total_units,
            self.revenue_gross + other.revenue_gross,
            self.revenue_net + other.revenue_net,
            self.logistics_cost + other.logistics_cost,
            self.storage_cost + other.storage_cost,
            self.penalties + other.penalties,
            self.other_costs + other.other_costs,
            cogs,
        )


ZERO = Components(0, *(Decimal("0.00"),) * 6, cogs=Decimal("0.00"))


@attrs.frozen
class Figures:
    """What docs/metrics.md derives from Components; None where a figure needs COGS that is missing,
    or divides by a revenue, cost or unit count that is not positive."""

    total_expenses: Decimal
    profit: Decimal | None
    margin_pct: Decimal | None
    markup_percent: Decimal | None
    roi: Decimal | None
    profit_per_unit: Decimal | None
    net_profit: Decimal | None
    net_margin_pct: Decimal | None
    operating_profit: Decimal | None
    operating_margin_pct: Decimal | None
    has_revenue: bool
    missing_cogs_flag: bool

    @classmethod
    def of(cls, c: Components) -> "Figures":
        total_expenses = c.logistics_cost + c.storage_cost + c.penalties + c.other_costs
        profit = _minus(c.revenue_gross, c.cogs)
        operating = _minus(c.revenue_net - c.logistics_cost - c.storage_cost - c.penalties, c.cogs)
        net = _minus(c.revenue_net - total_expenses, c.cogs)
        per_unit = None
        if profit is not None and c.total_units > 0:
            per_unit = to_kopecks(profit / c.total_units)
        return cls(
            total_expenses=total_expenses,
            profit=profit,
            margin_pct=percent(profit, c.revenue_gross),
            markup_percent=percent(profit, c.cogs),
            roi=percent(net, c.cogs),
            profit_per_unit=per_unit,
            net_profit=net,
            net_margin_pct=percent(net, c.revenue_gross),
            operating_profit=operating,
            operating_margin_pct=percent(operating, c.revenue_gross),
            has_revenue=c.revenue_gross > 0,
            missing_cogs_flag=c.cogs is None,
        )
