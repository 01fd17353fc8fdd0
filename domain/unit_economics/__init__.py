"""Weekly per-SKU unit economics (seed 002 §5.3, issue 11): pure computation over a week's inputs.

Definitions and the reasons for them: docs/metrics.md, "Weekly unit economics (by SKU)".
`inputs` holds what the read model passes in, `ledger` the exact sums, `allocation` the spread of
charges WB does not attribute to a SKU, `figures` the derived figures, `compute` the entry point,
`summary` the week's totals and its SKUs without a cost.
"""

from domain.unit_economics.allocation import spread, to_kopecks, weights_by_revenue
from domain.unit_economics.compute import (
    RevenueSource,
    SkuEconomics,
    StorageDataSource,
    WeeklyUnitEconomics,
    week_days,
    weekly_unit_economics,
)
from domain.unit_economics.figures import Components, Figures, percent
from domain.unit_economics.inputs import (
    CogsLookup,
    CogsSource,
    DocType,
    ProductInfo,
    ReportLine,
    StorageDay,
    WeekSale,
    as_lookup,
    unit_cost,
)
from domain.unit_economics.ledger import Sums
from domain.unit_economics.summary import MissingCogsSummary, WeekSummary, missing_cogs, summarize
from domain.unit_economics.sums import WeekSums, ranked_from_sums, report_sums, weekly_from_sums

__all__ = [
    "CogsLookup",
    "CogsSource",
    "Components",
    "DocType",
    "Figures",
    "MissingCogsSummary",
    "ProductInfo",
    "ReportLine",
    "RevenueSource",
    "SkuEconomics",
    "StorageDataSource",
    "StorageDay",
    "Sums",
    "WeekSale",
    "WeekSummary",
    "WeekSums",
    "WeeklyUnitEconomics",
    "as_lookup",
    "missing_cogs",
    "percent",
    "ranked_from_sums",
    "report_sums",
    "spread",
    "summarize",
    "to_kopecks",
    "unit_cost",
    "week_days",
    "weekly_from_sums",
    "weekly_unit_economics",
    "weights_by_revenue",
]
