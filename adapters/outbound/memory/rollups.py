"""In-memory order rollups: stored like the Postgres tables and refreshed only for the days a writer
touched, so a use-case test sees stale rollups exactly where the application forgot to touch a day.
A refresh is staged as a write that recomputes from the tables it is applied to: at commit it recounts
on the store's state then, as the Postgres refresh recounts under its per-day lock."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import attrs

from adapters.outbound.memory.identity import Staging
from adapters.outbound.memory.store import Tables, Write
from application.ports.rollups import DayRollup, Delivery, HourRollup, SkuDayRollup, StatusCounts
from domain.money import Money
from domain.moscow_time import moscow_day, moscow_hour
from domain.order_status import SupplierStatus, is_cancelled
from domain.orders import Order
from domain.sales import SaleKind
from domain.stat_orders import StatOrder

ZERO = Decimal("0.00")


@attrs.frozen
class _Fact:
    day: date
    delivery: Delivery
    nm_id: int | None
    hour: int
    cancelled: bool
    b2b: bool
    amount: Decimal
    status: SupplierStatus | None


def _fbs_fact(order: Order, stat: StatOrder | None) -> _Fact:
    cancelled = is_cancelled(order.status) or (stat is not None and stat.is_cancel)
    price: Money = stat.price_with_disc if stat is not None else (order.sale_price or order.price)
    day, hour = moscow_day(order.created_at), moscow_hour(order.created_at)
    return _Fact(day, "fbs", order.nm_id, hour, cancelled, order.is_b2b, price.amount, order.supplier_status)


def _fbw_fact(row: StatOrder) -> _Fact:
    day, hour = moscow_day(row.date), moscow_hour(row.date)
    status = SupplierStatus.CANCEL if row.is_cancel else None  # as the dashboard's orders show it
    return _Fact(day, "fbw", row.nm_id, hour, row.is_cancel, False, row.price_with_disc.amount, status)


def facts(t: Tables, cabinet_id: UUID, days: Collection[date]) -> Iterator[_Fact]:
    for (cab, _), order in t.orders.items():
        if cab == cabinet_id and moscow_day(order.created_at) in days:
            yield _fbs_fact(order, t.stat_orders.get((cab, order.rid)))
    for (cab, _), row in t.stat_orders.items():
        if cab == cabinet_id and row.is_fbw and moscow_day(row.date) in days:
            yield _fbw_fact(row)


def returns(t: Tables, cabinet_id: UUID, days: Collection[date]) -> dict[tuple[date, Delivery], int]:
    counts: dict[tuple[date, Delivery], int] = defaultdict(int)
    for (cab, _), sale in t.sales.items():
        if cab == cabinet_id and sale.kind is SaleKind.RETURN and (day := moscow_day(sale.date)) in days:
            stat = t.stat_orders.get((cab, sale.srid))
            counts[(day, "fbw" if stat is not None and stat.is_fbw else "fbs")] += 1
    return counts


def _statuses(fs: Sequence[_Fact]) -> StatusCounts:
    by = {s.value: sum(1 for f in fs if f.status is s) for s in SupplierStatus}
    return StatusCounts(**by, unknown=sum(1 for f in fs if f.status is None))


def _revenue(fs: Iterable[_Fact]) -> Decimal:
    return sum((f.amount for f in fs if not f.cancelled), ZERO)


def compute(t: Tables, cabinet_id: UUID, days: Collection[date]) -> tuple[dict[Any, Any], ...]:
    """The rollup rows of these days: (day rows, hour rows, SKU rows), keyed as the Postgres tables."""
    groups: dict[tuple[date, Delivery], list[_Fact]] = defaultdict(list)
    for f in facts(t, cabinet_id, days):
        groups[(f.day, f.delivery)].append(f)
    returned = returns(t, cabinet_id, days)
    day_rows = {
        (cabinet_id, day, delivery): DayRollup(
            day, len(fs), sum(f.cancelled for f in fs), sum(f.b2b for f in fs), _revenue(fs),
            returned.get((day, delivery), 0), _statuses(fs),
        )
        for (day, delivery) in groups.keys() | returned.keys()
        for fs in [groups.get((day, delivery), [])]
    }  # fmt: skip
    hour_rows: dict[Any, int] = defaultdict(int)
    sku: dict[Any, list[_Fact]] = defaultdict(list)
    for fs in groups.values():
        for f in fs:
            hour_rows[(cabinet_id, f.day, f.hour, f.delivery)] += 1
            if f.nm_id is not None:
                sku[(cabinet_id, f.day, f.nm_id, f.delivery)].append(f)
    sku_rows = {
        k: SkuDayRollup(k[1], k[2], len(fs), sum(f.cancelled for f in fs), _revenue(fs))
        for k, fs in sku.items()
    }
    return day_rows, dict(hour_rows), sku_rows


def srid_days(t: Tables, cabinet_id: UUID, srids: Collection[str]) -> set[date]:
    days = {moscow_day(o.created_at) for (c, _), o in t.orders.items() if c == cabinet_id and o.rid in srids}
    return days | {
        moscow_day(s.date)
        for (c, _), s in t.sales.items()
        if c == cabinet_id and s.kind is SaleKind.RETURN and s.srid in srids
    }


def refresh(cabinet_id: UUID, days: Collection[date], srids: Collection[str] = ()) -> Write:
    def write(t: Tables) -> int:
        todo = set(days) | srid_days(t, cabinet_id, srids)
        for table, rows in zip(_TABLES, compute(t, cabinet_id, todo), strict=True):
            stored = getattr(t, table)
            for key in [k for k in stored if k[0] == cabinet_id and k[1] in todo]:
                del stored[key]
            stored.update(rows)
        if todo:
            bump(cabinet_id)(t)
        return len(todo)

    return write


def bump(cabinet_id: UUID) -> Write:
    def write(t: Tables) -> None:
        if cabinet_id in t.cabinets:  # as Postgres' UPDATE of no row
            t.data_versions[cabinet_id] = t.data_versions.get(cabinet_id, 0) + 1

    return write


_TABLES = ("rollup_days", "rollup_hours", "rollup_sku_days")


def all_days(t: Tables, cabinet_id: UUID) -> set[date]:
    days = {moscow_day(o.created_at) for (c, _), o in t.orders.items() if c == cabinet_id}
    days |= {moscow_day(r.date) for (c, _), r in t.stat_orders.items() if c == cabinet_id and r.is_fbw}
    days |= {moscow_day(s.date) for (c, _), s in t.sales.items() if c == cabinet_id and s.is_return}
    return days | {k[1] for k in t.rollup_days if k[0] == cabinet_id}


class InMemoryRollupRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit
        self._days: dict[UUID, set[date]] = {}
        self._srids: dict[UUID, set[str]] = {}

    def touch(self, cabinet_id: UUID, days: Iterable[date] = (), srids: Iterable[str] = ()) -> None:
        self._days.setdefault(cabinet_id, set()).update(days)
        self._srids.setdefault(cabinet_id, set()).update(srids)

    async def refresh_touched(self) -> int:
        marked, srids = self._days, self._srids
        self._days, self._srids = {}, {}
        return sum(
            cast(int, self._unit.stage(refresh(c, marked.get(c, set()), srids.get(c, set()))))
            for c in sorted(marked.keys() | srids.keys())
        )

    async def refresh_days(self, cabinet_id: UUID, days: Collection[date]) -> None:
        if days:
            self._unit.stage(refresh(cabinet_id, set(days)))

    async def rebuild(self, cabinet_id: UUID) -> int:
        self._unit.stage(refresh(cabinet_id, all_days(self._unit.view, cabinet_id)))
        return len({k[1] for k in self._unit.view.rollup_days if k[0] == cabinet_id})

    async def bump_version(self, cabinet_id: UUID) -> None:
        self._unit.stage(bump(cabinet_id))

    async def version(self, cabinet_id: UUID) -> int:
        return self._unit.view.data_versions.get(cabinet_id, 0)

    async def days(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[DayRollup]:
        by_day: dict[date, DayRollup] = {}
        for (cab, day, delivery), row in sorted(
            self._unit.view.rollup_days.items(), key=lambda kv: kv[0][1:]
        ):
            if cab == cabinet_id and from_day <= day <= to_day and delivery in deliveries:
                by_day[day] = row if day not in by_day else _add(by_day[day], row)
        return [by_day[d] for d in sorted(by_day)]

    async def hours(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[HourRollup]:
        cells: dict[tuple[date, int], int] = defaultdict(int)
        for (cab, day, hour, delivery), n in self._unit.view.rollup_hours.items():
            if cab == cabinet_id and from_day <= day <= to_day and delivery in deliveries:
                cells[(day, hour)] += n
        return [HourRollup(d, h, cells[(d, h)]) for d, h in sorted(cells)]

    async def sku_days(
        self,
        cabinet_id: UUID,
        from_day: date,
        to_day: date,
        deliveries: Collection[Delivery],
        nm_ids: Collection[int] | None = None,
    ) -> Sequence[SkuDayRollup]:
        cells: dict[tuple[date, int], SkuDayRollup] = {}
        for (cab, day, nm_id, delivery), row in self._unit.view.rollup_sku_days.items():
            wanted = nm_ids is None or nm_id in nm_ids
            if cab == cabinet_id and from_day <= day <= to_day and delivery in deliveries and wanted:
                old = cells.get((day, nm_id))
                cells[(day, nm_id)] = row if old is None else _add_sku(old, row)
        return [cells[k] for k in sorted(cells)]

    async def first_day(self, cabinet_id: UUID, deliveries: Collection[Delivery]) -> date | None:
        days = [k[1] for k in self._unit.view.rollup_days if k[0] == cabinet_id and k[2] in deliveries]
        return min(days, default=None)


def _add(a: DayRollup, b: DayRollup) -> DayRollup:
    return DayRollup(
        a.day, a.orders + b.orders, a.cancelled + b.cancelled, a.b2b + b.b2b, a.revenue + b.revenue,
        a.returns + b.returns, a.statuses + b.statuses,
    )  # fmt: skip


def _add_sku(a: SkuDayRollup, b: SkuDayRollup) -> SkuDayRollup:
    return SkuDayRollup(a.day, a.nm_id, a.orders + b.orders, a.cancelled + b.cancelled, a.revenue + b.revenue)
