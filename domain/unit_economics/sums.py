"""A week computed from per-SKU sums made elsewhere (the store sums the report in SQL, decision 0022),
with the same finish as `weekly_unit_economics`: `report_sums` is the reference way to make such sums from
report lines in Python, and a read model's sums must equal it (tests/integration/test_weekly_sums.py)."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from domain.moscow_time import parse_iso_week
from domain.unit_economics.allocation import to_kopecks
from domain.unit_economics.compute import (
    RevenueSource,
    StorageDataSource,
    WeeklyUnitEconomics,
    _add_report,
    _finish,
)
from domain.unit_economics.inputs import CogsSource, ProductInfo, ReportLine, StorageDay, as_lookup
from domain.unit_economics.ledger import Ledger, Sums, unique_lines


@attrs.frozen
class WeekSums:
    """A finance-report week summed per SKU (storage from the report's lines included) and the pool of
    what WB charged without an nmId; `paid_storage` per SKU for the week, None when that report is absent,
    and `paid_storage_pool` the paid storage WB put on no article (spread like the pool)."""

    skus: Mapping[int, Sums]
    pool: Sums
    paid_storage: Mapping[int, Decimal] | None = None
    paid_storage_pool: Decimal = Decimal(0)


def report_sums(
    lines: Sequence[ReportLine], cogs: CogsSource, paid_storage: Sequence[StorageDay] | None = None
) -> WeekSums:
    """The reference sums of a week's report lines (all of them the week's), as the ledger makes them."""
    ledger = Ledger(as_lookup(cogs))
    _add_report(ledger, unique_lines(lines), with_storage=True)
    storage: dict[int, Decimal] | None = None
    if paid_storage is not None:
        storage = {}
        for day in paid_storage:
            storage[day.nm_id] = storage.get(day.nm_id, Decimal(0)) + day.amount
    return WeekSums(ledger.skus, ledger.pool, storage)


def weekly_from_sums(
    week: str, sums: WeekSums, products: Mapping[int, ProductInfo] | None = None
) -> WeeklyUnitEconomics:
    """The week's per-SKU economics from its report's sums (never provisional: a week without its report
    is computed from its sales by `weekly_unit_economics`). With paid storage, each SKU's storage is its
    paid storage (SKUs with storage only appear too) and the report's storage lines are not counted."""
    return _from_sums(week, sums, products or {}, None)


def ranked_from_sums(
    week: str, sums: WeekSums, offset: int, limit: int, products: Mapping[int, ProductInfo] | None = None
) -> tuple[WeeklyUnitEconomics, int]:
    """The SKUs ranked by revenue_gross (highest first, then nm_id) from `offset`, at most `limit` of them,
    exactly as `weekly_from_sums` makes each (the charges without an article spread over all SKUs), and how
    many SKUs the week has. Only the page's SKUs are made: a dashboard page is 100 of thousands."""
    ledger = _ledger(sums)
    ranked = sorted(ledger.skus, key=lambda nm: (-to_kopecks(ledger.skus[nm].gross), nm))
    page = ranked[offset : offset + limit]
    return _from_sums(week, sums, products or {}, page, ledger), len(ranked)


def _ledger(sums: WeekSums) -> Ledger:
    """A ledger over the sums; the caller's sums are never changed (read as they are without paid
    storage, copied where paid storage replaces the report's storage)."""
    ledger = Ledger(as_lookup({}), dict(sums.skus), sums.pool)
    if sums.paid_storage is None:
        return ledger
    ledger.pool = attrs.evolve(sums.pool, storage=sums.paid_storage_pool)
    paid = sums.paid_storage
    ledger.skus = {nm: attrs.evolve(s, storage=paid.get(nm, Decimal(0))) for nm, s in sums.skus.items()}
    for nm, amount in paid.items():
        if nm not in ledger.skus:
            ledger.skus[nm] = Sums(storage=amount)
    return ledger


def _from_sums(
    week: str,
    sums: WeekSums,
    products: Mapping[int, ProductInfo],
    only: Sequence[int] | None,
    ledger: Ledger | None = None,
) -> WeeklyUnitEconomics:
    first, last = parse_iso_week(week)
    ledger = ledger or _ledger(sums)
    source = StorageDataSource.FINANCE_REPORT
    if sums.paid_storage is not None:
        source = StorageDataSource.PAID_STORAGE_API
    skus, unallocated = _finish(ledger, products, source, False, only)
    return WeeklyUnitEconomics(
        week, first, last, False, RevenueSource.FINANCE_REPORT, source, skus, unallocated
    )
