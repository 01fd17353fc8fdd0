"""What the weekly per-SKU unit economics read (issue 11 part 3; seed 002 §5.3): one cabinet's week of WB's
realization report, statistics sales, paid storage, COGS histories and product names, as the domain's
inputs (domain/unit_economics). Read-only."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

import attrs

from domain.cogs import CogsHistory
from domain.unit_economics import ProductInfo, ReportLine, StorageDay, WeekSale, WeekSums


@attrs.frozen
class WeekInputs:
    """`report_lines` is None while the week's weekly report has not arrived (the week is then computed
    from `sales`, provisional); `paid_storage` is None when no paid-storage row covers any day of the week."""

    report_lines: Sequence[ReportLine] | None
    sales: Sequence[WeekSale]
    paid_storage: Sequence[StorageDay] | None
    cogs: Mapping[int, CogsHistory]
    products: Mapping[int, ProductInfo]


class WeeklyInputs(Protocol):
    """A cabinet's week, Moscow days `first`..`last` (a Monday and its Sunday)."""

    async def week(self, cabinet_id: UUID, first: date, last: date) -> WeekInputs:
        """Report lines of the weekly report for exactly that period (each with its sale's Moscow date, and
        for a return the date of the sale it reverses when a statistics sale with its srid is stored), the
        statistics sales and returns dated in the week, paid storage per SKU and day, the COGS histories
        (live and deleted versions) of every SKU in any of those, and what is known of those SKUs' names."""
        ...

    async def report_sums(self, cabinet_id: UUID, first: date, last: date) -> WeekSums | None:
        """The weekly report for exactly `first`..`last` summed per SKU with each unit costed at the COGS
        valid on its day, as `domain.unit_economics.report_sums` sums `week()`'s lines; None while that
        report has not arrived. With the week's paid storage when any is stored."""
        ...

    async def products(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, ProductInfo]:
        """What is known of these SKUs' names (absent: nothing known)."""
        ...
