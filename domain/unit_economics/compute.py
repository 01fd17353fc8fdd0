"""Weekly unit economics by SKU for one cabinet and one Moscow ISO week (docs/metrics.md).

Pure: the caller (the read model) loads the week's inputs and passes them in; nothing here reads a clock.
"""

import enum
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import attrs

from domain.moscow_time import parse_iso_week
from domain.sales import SaleKind
from domain.unit_economics.allocation import scale_weights, spread_scaled, to_kopecks, weights_by_revenue
from domain.unit_economics.figures import Components, Figures
from domain.unit_economics.inputs import (
    CogsSource,
    DocType,
    ProductInfo,
    ReportLine,
    StorageDay,
    WeekSale,
    as_lookup,
)
from domain.unit_economics.ledger import (
    Ledger,
    Sums,
    first_sale_days,
    return_cost_day,
    unique_lines,
    unique_sales,
)

NO_PRODUCT = ProductInfo()


class StorageDataSource(enum.StrEnum):
    PAID_STORAGE_API = "paid_storage_api"  # per SKU per day from the paid_storage report
    FINANCE_REPORT = "finance_report"  # the report's paidStorage lines (without nmId: spread)
    NONE = "none"  # a provisional week without paid storage data: storage_cost is 0 and not known


class RevenueSource(enum.StrEnum):
    FINANCE_REPORT = "finance_report"
    STATISTICS_SALES = "statistics_sales"  # provisional: the week's report has not arrived


@attrs.frozen
class SkuEconomics:
    """One SKU's week: the contract's fields (`fields()`), plus `other_costs` and `provisional`. The
    figures are derived when asked (a page of 100 out of 5,000 SKUs needs 100 of them)."""

    nm_id: int
    product: ProductInfo
    storage_data_source: StorageDataSource
    provisional: bool
    components: Components

    @property
    def figures(self) -> Figures:
        return Figures.of(self.components)

    def fields(self) -> dict[str, object]:
        """The by-sku row in the contract's order (Decimals, ints, bools, strings, None)."""
        c, f = self.components, Figures.of(self.components)
        return {
            "nm_id": self.nm_id,
            "sa_name": self.product.sa_name,
            "brand": self.product.brand,
            "category": self.product.category,
            "total_units": c.total_units,
            "revenue_gross": c.revenue_gross,
            "revenue_net": c.revenue_net,
            "logistics_cost": c.logistics_cost,
            "storage_cost": c.storage_cost,
            "storage_data_source": str(self.storage_data_source),
            "penalties": c.penalties,
            "cogs": c.cogs,
            "missing_cogs_flag": f.missing_cogs_flag,
            "profit": f.profit,
            "margin_pct": f.margin_pct,
            "markup_percent": f.markup_percent,
            "roi": f.roi,
            "profit_per_unit": f.profit_per_unit,
            "net_profit": f.net_profit,
            "net_margin_pct": f.net_margin_pct,
            "operating_profit": f.operating_profit,
            "operating_margin_pct": f.operating_margin_pct,
            "total_expenses": f.total_expenses,
            "has_revenue": f.has_revenue,
            "other_costs": c.other_costs,
            "provisional": self.provisional,
        }


@attrs.frozen
class WeeklyUnitEconomics:
    """A week's SKUs (by nm_id) and what could not be spread because the week has no SKU at all."""

    week: str
    first_day: date
    last_day: date
    provisional: bool
    revenue_source: RevenueSource
    storage_data_source: StorageDataSource
    skus: tuple[SkuEconomics, ...]
    unallocated: Components


def weekly_unit_economics(
    week: str,
    *,
    cogs: CogsSource,
    report_lines: Sequence[ReportLine] | None,
    sales: Sequence[WeekSale] = (),
    paid_storage: Sequence[StorageDay] | None = None,
    products: Mapping[int, ProductInfo] | None = None,
) -> WeeklyUnitEconomics:
    """The week's per-SKU economics.

    `report_lines`: the lines of the week's weekly realization report, or None while it has not arrived
    (then the week is computed from `sales`, provisional). `paid_storage`: per-SKU storage days, or None
    when not available (then storage comes from the report's lines). `cogs`: histories by nm_id or a
    lookup. Raises InvalidValue("week") for a malformed week label.
    """
    first, last = parse_iso_week(week)
    ledger = Ledger(as_lookup(cogs))
    storage_source = StorageDataSource.PAID_STORAGE_API
    if paid_storage is not None:
        ledger.storage(s for s in paid_storage if first <= s.day <= last)
    if report_lines is None:
        _add_sales(ledger, [s for s in unique_sales(sales) if first <= s.day <= last])
        storage_source = storage_source if paid_storage is not None else StorageDataSource.NONE
    else:
        _add_report(ledger, unique_lines(report_lines), with_storage=paid_storage is None)
        storage_source = storage_source if paid_storage is not None else StorageDataSource.FINANCE_REPORT
    provisional = report_lines is None
    skus, unallocated = _finish(ledger, products or {}, storage_source, provisional)
    source = RevenueSource.STATISTICS_SALES if provisional else RevenueSource.FINANCE_REPORT
    return WeeklyUnitEconomics(week, first, last, provisional, source, storage_source, skus, unallocated)


def _add_report(ledger: Ledger, lines: list[ReportLine], *, with_storage: bool) -> None:
    sale_days = first_sale_days((ln.srid, ln.sale_date) for ln in lines if ln.doc_type is DocType.SALE)
    for line in lines:
        day = line.sale_date
        if line.doc_type is DocType.RETURN:
            day = return_cost_day(line.original_sale_date, line.srid, day, sale_days)
        ledger.report_line(line, day, with_storage=with_storage)


def _add_sales(ledger: Ledger, sales: list[WeekSale]) -> None:
    sale_days = first_sale_days((s.srid, s.day) for s in sales if s.kind is SaleKind.SALE)
    for sale in sales:
        day = sale.day
        if sale.kind is SaleKind.RETURN:
            day = return_cost_day(sale.original_sale_date, sale.srid, day, sale_days)
        ledger.sale(sale, day)


def _rounded(sums: Sums) -> Components:
    return Components(
        total_units=sums.units,
        revenue_gross=to_kopecks(sums.gross),
        revenue_net=to_kopecks(sums.net),
        logistics_cost=to_kopecks(sums.logistics),
        storage_cost=to_kopecks(sums.storage),
        penalties=to_kopecks(sums.penalties),
        other_costs=to_kopecks(sums.other),
        cogs=None if sums.cogs_missing else to_kopecks(sums.cogs),
    )


def _finish(
    ledger: Ledger,
    products: Mapping[int, ProductInfo],
    storage: StorageDataSource,
    provisional: bool,
    only: Sequence[int] | None = None,
) -> tuple[tuple[SkuEconomics, ...], Components]:
    """Every SKU by nm_id, or the `only` ones in that order (the spread is the same: it weighs them all)."""
    nms = sorted(ledger.skus)
    pool = _rounded(ledger.pool)
    if not nms:
        return (), pool
    gross = {nm: to_kopecks(ledger.skus[nm].gross) for nm in nms}
    weights = scale_weights(weights_by_revenue(gross))
    net, logistics, store, penalties, other = (
        spread_scaled(getattr(pool, name), weights)
        for name in ("revenue_net", "logistics_cost", "storage_cost", "penalties", "other_costs")
    )
    skus = []
    for nm in nms if only is None else only:
        s = ledger.skus[nm]
        full = Components(
            total_units=s.units, revenue_gross=gross[nm], revenue_net=to_kopecks(s.net) + net[nm],
            logistics_cost=to_kopecks(s.logistics) + logistics[nm],
            storage_cost=to_kopecks(s.storage) + store[nm],
            penalties=to_kopecks(s.penalties) + penalties[nm], other_costs=to_kopecks(s.other) + other[nm],
            cogs=None if s.cogs_missing else to_kopecks(s.cogs),
        )  # fmt: skip
        skus.append(SkuEconomics(nm, products.get(nm, NO_PRODUCT), storage, provisional, full))
    return tuple(skus), _rounded(Sums())


def week_days(week: str) -> list[date]:
    """Monday..Sunday (Moscow calendar dates) of an ISO week label; InvalidValue("week") if malformed."""
    first, _ = parse_iso_week(week)
    return [first + timedelta(days=n) for n in range(7)]
