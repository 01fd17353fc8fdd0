"""`velocity` (seed 002 names it in its cache table only; decision 0018): orders per day per article (nm_id)
over a period, with the trend inside the period and the days the current stock lasts.

Read from the order rollups by article and day (decision 0015) and the stock snapshot, never from the
orders tables. Definitions: docs/metrics.md, "Dashboard analytics" → "velocity".
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Literal
from uuid import UUID

import attrs

from application.dashboard.analytics import ZERO, change_percent, check_period
from application.ports.rollups import DELIVERIES, FBS_ONLY, Delivery, SkuDayRollup
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.errors import InvalidValue
from domain.moscow_time import moscow_day
from domain.stocks import days_of_stock_left

MAX_DAYS = 365
DEFAULT_DAYS = 30
STOCK_WINDOW_DAYS = 30  # decision 0007: the order rate of the last 30 days
MAX_LIMIT = 500
FLAT_BAND = Decimal(10)  # a trend within ±10 % is "flat"
VelocitySort = Literal["orders", "velocity", "days_of_stock"]
SortOrder = Literal["asc", "desc"]
TrendWord = Literal["up", "down", "flat"]


@attrs.frozen
class VelocityQuery:
    """Moscow days, both inclusive; `to_day` defaults to today, `from_day` to DEFAULT_DAYS days before it."""

    from_day: date | None = None
    to_day: date | None = None
    deliveries: frozenset[Delivery] = FBS_ONLY
    sort_by: VelocitySort = "velocity"
    sort_order: SortOrder = "desc"
    limit: int = 50
    offset: int = 0


@attrs.frozen
class SkuVelocity:
    nm_id: int
    orders: int
    cancelled: int
    revenue: Decimal  # roubles over the orders not cancelled
    avg_daily_orders: Decimal  # orders ÷ days of the period, two decimals
    trend_percent: Decimal | None  # second half's orders vs the first half's, None when the first had none
    trend: TrendWord
    current_stock: int | None  # None: the nm_id is not in the stock report
    days_of_stock_left: Decimal | None  # one decimal, rounded down; None: no stock report row or no orders


@attrs.frozen
class VelocityPage:
    from_day: date
    to_day: date
    days: int
    items: Sequence[SkuVelocity]
    total: int  # articles ordered in the period, ignoring limit and offset


def trend_of(first_half: int, second_half: int) -> tuple[Decimal | None, TrendWord]:
    """The change from the first half's orders to the second's (halves of equal length, so the same as their
    daily averages), in percent; the word is "flat" within ±FLAT_BAND (boundaries included)."""
    percent = change_percent(second_half, first_half)
    if percent is None:
        return None, "up" if second_half else "flat"
    if percent > FLAT_BAND:
        return percent, "up"
    if percent < -FLAT_BAND:
        return percent, "down"
    return percent, "flat"


def stock_days(quantity: int | None, kept_in_window: int) -> Decimal | None:
    if quantity is None:
        return None
    days = days_of_stock_left(quantity, kept_in_window, STOCK_WINDOW_DAYS)
    return None if days is None else days.quantize(Decimal("0.1"), ROUND_FLOOR)


def _velocity(
    nm_id: int,
    cells: Sequence[SkuDayRollup],
    period: tuple[date, date, int],
    stock: Mapping[int, int],
    kept: Mapping[int, int],
) -> SkuVelocity:
    from_day, to_day, days = period
    half = days // 2  # an odd period's middle day is in neither half
    first = sum(c.orders for c in cells if c.day < from_day + timedelta(days=half))
    second = sum(c.orders for c in cells if c.day > to_day - timedelta(days=half))
    orders = sum(c.orders for c in cells)
    percent, word = trend_of(first, second)
    quantity = stock.get(nm_id)
    return SkuVelocity(
        nm_id=nm_id,
        orders=orders,
        cancelled=sum(c.cancelled for c in cells),
        revenue=sum((c.revenue for c in cells), ZERO),
        avg_daily_orders=(Decimal(orders) / days).quantize(Decimal("0.01"), ROUND_HALF_UP),
        trend_percent=percent,
        trend=word,
        current_stock=quantity,
        days_of_stock_left=stock_days(quantity, kept.get(nm_id, 0)),
    )


def _sort_value(s: SkuVelocity, sort_by: VelocitySort) -> Decimal | None:
    # Over one period velocity is orders ÷ the same days: sorted by the exact orders, not the rounded average.
    return s.days_of_stock_left if sort_by == "days_of_stock" else Decimal(s.orders)


def _sorted(items: list[SkuVelocity], sort_by: VelocitySort, order: SortOrder) -> list[SkuVelocity]:
    """Nulls last either way; ties by nm_id ascending."""
    sign = -1 if order == "desc" else 1
    keyed = [(_sort_value(s, sort_by), s) for s in items]
    present = sorted(((v, s) for v, s in keyed if v is not None), key=lambda vs: (sign * vs[0], vs[1].nm_id))
    missing = sorted((s for v, s in keyed if v is None), key=lambda s: s.nm_id)
    return [s for _, s in present] + missing


@attrs.frozen
class OrderVelocity:
    """Per article ordered in the period: orders, cancelled, revenue, average orders a day, the trend (second
    half vs first half) and the days its current stock lasts at the rate of the last 30 days (decision 0007:
    orders not cancelled, FBS and FBW alike, whatever `deliveries` says). A page of them, sorted.
    InvalidValue (→ 400) for a reversed or over-365-day period, a bad limit or offset. Read-only."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, q: VelocityQuery) -> VelocityPage:
        if not 1 <= q.limit <= MAX_LIMIT:
            raise InvalidValue("limit", f"must be from 1 to {MAX_LIMIT}")
        if q.offset < 0:
            raise InvalidValue("offset", "must be 0 or more")
        if not q.deliveries:
            raise InvalidValue("delivery", "choose fbs, fbw or all")
        today = moscow_day(self.clock.now())
        to_day = q.to_day or today
        from_day = q.from_day or to_day - timedelta(days=DEFAULT_DAYS - 1)
        days = check_period(from_day, to_day, MAX_DAYS)
        window = today - timedelta(days=STOCK_WINDOW_DAYS - 1)
        async with self.uow_factory() as uow:
            cells = await uow.rollups.sku_days(cabinet_id, from_day, to_day, q.deliveries)
            recent = await uow.rollups.sku_days(cabinet_id, window, today, DELIVERIES)
            stock = await uow.stocks.quantities_by_nm(cabinet_id)
        by_nm: dict[int, list[SkuDayRollup]] = defaultdict(list)
        for c in cells:
            by_nm[c.nm_id].append(c)
        kept: dict[int, int] = defaultdict(int)
        for c in recent:
            kept[c.nm_id] += c.orders - c.cancelled
        items = [
            _velocity(nm, cs, (from_day, to_day, days), stock, kept)
            for nm, cs in by_nm.items()
            if sum(c.orders for c in cs)
        ]
        ordered = _sorted(items, q.sort_by, q.sort_order)
        return VelocityPage(from_day, to_day, days, ordered[q.offset : q.offset + q.limit], len(ordered))
