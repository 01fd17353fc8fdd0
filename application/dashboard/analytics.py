"""The dashboard's order analytics (seed 002 §4), computed from the order rollups only, never from the
orders tables (decision 0015). Days, weeks, months and hours are Moscow calendar units.

Figures (docs/metrics.md, "Dashboard analytics"): an order counts on its Moscow creation day; revenue is
roubles over orders not cancelled; a cancellation is an order cancelled now; the cancellation rate is
cancelled ÷ orders; the average order value is revenue ÷ orders not cancelled; returns are sales rows `R…`
on their own day. Percentages have one decimal (rates two in trends, as the contract's example), and a
breakdown's percentages are rounded by largest remainder so that they add up to exactly 100.
"""

import calendar
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from uuid import UUID

import attrs

from application.ports.rollups import DayRollup, Delivery, StatusCounts
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.errors import InvalidValue
from domain.moscow_time import moscow_day

MAX_TREND_DAYS = 365
ZERO = Decimal("0")
Aggregation = Literal["day", "week", "month"]
STATUSES = ("new", "confirm", "complete", "cancel", "cancel_carrier", "unknown")
WEEKDAYS = tuple(calendar.day_name)  # Monday first, English as the contract's example
MONTHS = tuple(calendar.month_name)[1:]


def rate(part: int | Decimal, whole: int | Decimal, places: str = "0.1") -> Decimal:
    """part ÷ whole in percent, rounded half up; 0 for an empty whole (never a division by zero)."""
    if not whole:
        return ZERO.quantize(Decimal(places))
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def average(total: Decimal, count: int) -> Decimal:
    return money(total / count) if count else money(ZERO)


def shares_to_100(counts: Sequence[int]) -> list[Decimal]:
    """Percentages with one decimal that add up to exactly 100.0 (largest remainder), all 0 for no counts."""
    total = sum(counts)
    if not total:
        return [Decimal("0.0")] * len(counts)
    tenths = [c * 1000 / total for c in counts]
    floors = [int(t) for t in tenths]
    left = 1000 - sum(floors)
    for i in sorted(range(len(counts)), key=lambda i: (floors[i] - tenths[i], i))[:left]:
        floors[i] += 1
    return [Decimal(f) / 10 for f in floors]


def check_period(from_day: date, to_day: date, max_days: int | None = None) -> int:
    """The number of days in from_day..to_day inclusive; InvalidValue naming `to` if reversed or too long."""
    if to_day < from_day:
        raise InvalidValue("to", "must not be before from")
    days = (to_day - from_day).days + 1
    if max_days is not None and days > max_days:
        raise InvalidValue("to", f"the period is {days} days; at most {max_days}")
    return days


@attrs.frozen
class Totals:
    orders: int = 0
    cancelled: int = 0
    b2b: int = 0
    revenue: Decimal = ZERO
    returns: int = 0
    statuses: StatusCounts = attrs.field(factory=StatusCounts)

    def __add__(self, d: "Totals | DayRollup") -> "Totals":
        return Totals(
            self.orders + d.orders,
            self.cancelled + d.cancelled,
            self.b2b + d.b2b,
            self.revenue + d.revenue,
            self.returns + d.returns,
            self.statuses + d.statuses,
        )

    @property
    def kept(self) -> int:
        return self.orders - self.cancelled

    @property
    def avg_order_value(self) -> Decimal:
        return average(self.revenue, self.kept)


def total(days: Sequence[DayRollup]) -> Totals:
    result = Totals()
    for d in days:
        result = result + d
    return result


def each_day(from_day: date, to_day: date) -> list[date]:
    return [from_day + timedelta(days=i) for i in range((to_day - from_day).days + 1)]


@attrs.frozen
class Volume:
    from_day: date
    to_day: date
    hourly: Sequence[tuple[int, int]]  # (hour, orders), all 24 hours
    daily: Sequence[tuple[date, int]]  # every day of the period
    peak_hours: Sequence[int]
    totals: Totals
    statuses: Sequence[tuple[str, int, Decimal]]  # (status, count, percentage), most first


@attrs.frozen
class OrderVolume:
    """`volume`: the period's orders by day and by hour of day, peak hours, rates and statuses."""

    uow_factory: UnitOfWorkFactory

    async def __call__(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Volume:
        check_period(from_day, to_day, MAX_TREND_DAYS)
        async with self.uow_factory() as uow:
            days = await uow.rollups.days(cabinet_id, from_day, to_day, deliveries)
            hours = await uow.rollups.hours(cabinet_id, from_day, to_day, deliveries)
        by_hour = [0] * 24
        for h in hours:
            by_hour[h.hour] += h.orders
        by_day = {d.day: d.orders for d in days}
        peaks = sorted((h for h in range(24) if by_hour[h]), key=lambda h: (-by_hour[h], h))[:3]
        totals = total(days)
        counts = attrs.asdict(totals.statuses)
        present = [(s, counts[s]) for s in STATUSES if counts[s]]
        present.sort(key=lambda sc: -sc[1])
        shares = shares_to_100([c for _, c in present])
        return Volume(
            from_day,
            to_day,
            [(h, by_hour[h]) for h in range(24)],
            [(d, by_day.get(d, 0)) for d in each_day(from_day, to_day)],
            peaks,
            totals,
            [(s, c, p) for (s, c), p in zip(present, shares, strict=True)],
        )


@attrs.frozen
class TrendPoint:
    start: date  # the bucket's first day within the period (a day, a week's Monday, a month's 1st)
    totals: Totals


@attrs.frozen
class Trends:
    from_day: date
    to_day: date
    aggregation: Aggregation
    points: Sequence[TrendPoint]
    totals: Totals
    days: int


def bucket(day: date, aggregation: Aggregation) -> date:
    if aggregation == "week":
        return day - timedelta(days=day.weekday())
    if aggregation == "month":
        return day.replace(day=1)
    return day


@attrs.frozen
class OrderTrends:
    """`trends`: orders, revenue, cancellations and returns per day, ISO week or month, at most 365 days;
    every bucket of the period is present (zeros where nothing happened), the first and last clipped to it."""

    uow_factory: UnitOfWorkFactory

    async def __call__(
        self,
        cabinet_id: UUID,
        from_day: date,
        to_day: date,
        aggregation: Aggregation,
        deliveries: Collection[Delivery],
    ) -> Trends:
        n_days = check_period(from_day, to_day, MAX_TREND_DAYS)
        async with self.uow_factory() as uow:
            days = await uow.rollups.days(cabinet_id, from_day, to_day, deliveries)
        buckets: dict[date, Totals] = {}
        for day in each_day(from_day, to_day):
            buckets.setdefault(max(bucket(day, aggregation), from_day), Totals())
        for d in days:
            key = max(bucket(d.day, aggregation), from_day)
            buckets[key] = buckets[key] + d
        points = [TrendPoint(start, t) for start, t in sorted(buckets.items())]
        return Trends(from_day, to_day, aggregation, points, total(days), n_days)


@attrs.frozen
class PeriodFigures:
    from_day: date
    to_day: date
    totals: Totals


@attrs.frozen
class OrderComparison:
    """`compare`: two periods' figures; changes are period 1 − period 2 (percent of period 2's, None when it
    had none)."""

    uow_factory: UnitOfWorkFactory

    async def __call__(
        self,
        cabinet_id: UUID,
        first: tuple[date, date],
        second: tuple[date, date],
        deliveries: Collection[Delivery],
    ) -> tuple[PeriodFigures, PeriodFigures]:
        figures = []
        for name, (start, end) in (("period1", first), ("period2", second)):
            if end < start:
                raise InvalidValue(f"{name}_to", "must not be before the period's from")
            if (end - start).days + 1 > MAX_TREND_DAYS:
                raise InvalidValue(f"{name}_to", f"a period is at most {MAX_TREND_DAYS} days")
            async with self.uow_factory() as uow:
                days = await uow.rollups.days(cabinet_id, start, end, deliveries)
            figures.append(PeriodFigures(start, end, total(days)))
        return figures[0], figures[1]


def change_percent(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    if not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@attrs.frozen
class MonthFigure:
    month: int  # 1..12
    avg_orders: Decimal
    avg_revenue: Decimal


@attrs.frozen
class WeekdayFigure:
    weekday: int  # 0 Monday .. 6 Sunday
    avg_orders: Decimal
    peak_hour: int | None


@attrs.frozen
class Seasonal:
    from_day: date
    to_day: date
    monthly: Sequence[MonthFigure]
    weekday: Sequence[WeekdayFigure]


@attrs.frozen
class SeasonalPatterns:
    """`seasonal` over the last `months` Moscow calendar months (the current one included, to today):
    per calendar month the average of that month's orders and revenue over the years it occurs in; per
    weekday the average orders of one such day and the hour most of its orders come in."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, cabinet_id: UUID, months: int, deliveries: Collection[Delivery]) -> Seasonal:
        if not 1 <= months <= 36:
            raise InvalidValue("months", "must be from 1 to 36")
        today = moscow_day(self.clock.now())
        first = today.replace(day=1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        async with self.uow_factory() as uow:
            days = await uow.rollups.days(cabinet_id, first, today, deliveries)
            hours = await uow.rollups.hours(cabinet_id, first, today, deliveries)
        month_totals: dict[tuple[int, int], Totals] = defaultdict(Totals)
        for d in days:
            month_totals[(d.day.year, d.day.month)] = month_totals[(d.day.year, d.day.month)] + d
        occurrences: dict[int, int] = defaultdict(int)
        cursor = first
        while cursor <= today:
            occurrences[cursor.month] += 1
            cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        monthly = []
        for month in sorted(occurrences):
            seen = [t for (_, m), t in month_totals.items() if m == month]
            n = occurrences[month]
            orders = sum(t.orders for t in seen)
            revenue = sum((t.revenue for t in seen), ZERO)
            monthly.append(
                MonthFigure(
                    month, (Decimal(orders) / n).quantize(Decimal("0.1"), ROUND_HALF_UP), money(revenue / n)
                )
            )
        weekday_days: dict[int, int] = defaultdict(int)
        for day in each_day(first, today):
            weekday_days[day.weekday()] += 1
        weekday_orders: dict[int, int] = defaultdict(int)
        for d in days:
            weekday_orders[d.day.weekday()] += d.orders
        weekday_hours: dict[int, list[int]] = defaultdict(lambda: [0] * 24)
        for h in hours:
            weekday_hours[h.day.weekday()][h.hour] += h.orders
        weekday = []
        for wd in range(7):
            n = weekday_days.get(wd, 0)
            per_hour = weekday_hours[wd]
            peak = max(range(24), key=lambda h: (per_hour[h], -h)) if any(per_hour) else None
            avg = (
                (Decimal(weekday_orders[wd]) / n).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if n
                else Decimal("0.0")
            )
            weekday.append(WeekdayFigure(wd, avg, peak))
        return Seasonal(first, today, monthly, weekday)
