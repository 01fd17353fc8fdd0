"""Exact (unrounded) per-SKU sums of one week, and the pools of what WB charged without an nm_id."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from domain.sales import SaleKind
from domain.unit_economics.inputs import CogsLookup, DocType, ReportLine, StorageDay, WeekSale, unit_cost


@attrs.define
class Sums:
    """One SKU's exact sums (or the unattributed pool: then units, gross and cogs stay 0)."""

    units: int = 0
    gross: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    logistics: Decimal = Decimal(0)
    storage: Decimal = Decimal(0)
    penalties: Decimal = Decimal(0)
    other: Decimal = Decimal(0)
    cogs: Decimal = Decimal(0)
    cogs_missing: bool = False


@attrs.define
class Ledger:
    """Sums by nm_id plus `pool`, the charges of lines without an nm_id (spread later)."""

    lookup: CogsLookup
    skus: dict[int, Sums] = attrs.field(factory=dict)
    pool: Sums = attrs.field(factory=Sums)

    def sku(self, nm_id: int) -> Sums:
        return self.skus.setdefault(nm_id, Sums())

    def goods(self, nm_id: int, units: int, gross: Decimal, net: Decimal, cost_day: date) -> None:
        """Signed units and amounts of a sale (+) or return (−); the units are costed on `cost_day`."""
        sums = self.sku(nm_id)
        sums.units += units
        sums.gross += gross
        sums.net += net
        if units == 0:
            return
        cost = unit_cost(self.lookup, nm_id, cost_day)
        if cost is None:
            sums.cogs_missing = True
        else:
            sums.cogs += units * cost

    def report_line(self, line: ReportLine, cost_day: date, *, with_storage: bool) -> None:
        sums = self.pool if line.nm_id is None else self.sku(line.nm_id)
        sums.logistics += line.delivery_service
        sums.penalties += line.penalty
        sums.other += line.paid_acceptance + line.deduction
        sums.net += line.additional_payment
        if with_storage:
            sums.storage += line.paid_storage
        if line.nm_id is None:
            sums.net += line.for_pay  # goods of an unknown SKU cannot be costed: only its money is kept
            return
        sign = {DocType.SALE: 1, DocType.RETURN: -1}.get(line.doc_type)
        if sign is None:  # neither sale nor return: WB's payout or withholding as sent, no units
            sums.net += line.for_pay
            return
        units = sign * line.quantity
        self.goods(line.nm_id, units, sign * line.retail_price_with_disc, sign * line.for_pay, cost_day)

    def sale(self, sale: WeekSale, cost_day: date) -> None:
        sign = {SaleKind.SALE: 1, SaleKind.RETURN: -1}.get(sale.kind)
        if sign is None:
            return
        gross, net = sign * abs(sale.price_with_disc), sign * abs(sale.for_pay)
        self.goods(sale.nm_id, sign, gross, net, cost_day)

    def storage(self, days: Iterable[StorageDay]) -> None:
        for day in days:
            self.sku(day.nm_id).storage += day.amount


def unique_lines(lines: Iterable[ReportLine]) -> list[ReportLine]:
    """One line per rrd_id (WB's line id), the last one given winning, as an upsert keeps it."""
    return list({line.rrd_id: line for line in lines}.values())


def unique_sales(sales: Iterable[WeekSale]) -> list[WeekSale]:
    """One row per saleID, the last one given winning."""
    return list({sale.sale_id: sale for sale in sales}.values())


def first_sale_days(pairs: Iterable[tuple[str, date]]) -> dict[str, date]:
    """srid → the earliest sale date seen for it (a return's own sale, when it is among the inputs)."""
    days: dict[str, date] = {}
    for srid, day in pairs:
        if srid and (srid not in days or day < days[srid]):
            days[srid] = day
    return days


def return_cost_day(original: date | None, srid: str, own: date, sale_days: dict[str, date]) -> date:
    """The day a returned unit is costed: its sale's date (given, else found by srid), else its own."""
    if original is not None:
        return original
    return sale_days.get(srid, own)
