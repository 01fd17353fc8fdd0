"""Dashboard routes: order analytics (seed 002 §4) from the order rollups. `delivery` as for the orders
(fbs by default, fbw, all). Definitions: docs/metrics.md, "Dashboard analytics"."""

from datetime import date
from decimal import Decimal
from typing import Literal

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard.orders import DELIVERIES
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import FIRST_DAY, LAST_DAY, CamelSchema, Roubles, Schema
from application.dashboard.analytics import (
    MONTHS,
    WEEKDAYS,
    Totals,
    change_percent,
    money,
    rate,
)

TAGS = ("dashboard", "analytics")
Day = date
DeliveryParam = Literal["fbs", "fbw", "all"]
DELIVERY_DOC = "fbs (default: the contract's FBS orders), fbw (shipped from WB's warehouses) or all."


class PeriodQuery(Schema):
    from_: date = Field(alias="from", ge=FIRST_DAY, le=LAST_DAY, description="First Moscow day (YYYY-MM-DD).")
    to: date = Field(ge=FIRST_DAY, le=LAST_DAY, description="Last Moscow day, inclusive; at most 365 days.")
    delivery: DeliveryParam = Field("fbs", description=DELIVERY_DOC)


class TrendsQuery(PeriodQuery):
    aggregation: Literal["day", "week", "month"] = Field(
        "day", description="day, ISO week (Monday) or month; the first bucket starts at `from`."
    )


class CompareQuery(Schema):
    period1_from: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    period1_to: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    period2_from: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    period2_to: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    delivery: DeliveryParam = Field("fbs", description=DELIVERY_DOC)


class SeasonalQuery(Schema):
    months: int = Field(12, ge=1, le=36, description="Moscow calendar months back, the current one included.")
    view: Literal["monthly", "weekday"] = "monthly"
    delivery: DeliveryParam = Field("fbs", description=DELIVERY_DOC)


class PeriodOut(Schema):
    from_: Day = Field(alias="from", serialization_alias="from")
    to: Day


def _period(start: date, end: date) -> PeriodOut:
    return PeriodOut.model_validate({"from": start, "to": end})


class HourCount(Schema):
    hour: int
    count: int


class DayCount(Schema):
    date: Day
    count: int


class StatusShare(Schema):
    status: str = Field(
        description="Supplier status now: new, confirm, complete, cancel, cancel_carrier, unknown."
    )
    count: int
    percentage: float


class VolumeAnswer(CamelSchema):
    hourly_trend: list[HourCount] = Field(description="Orders per Moscow hour of day, all 24 hours.")
    daily_trend: list[DayCount] = Field(description="Orders per Moscow day, every day of the period.")
    peak_hours: list[int] = Field(description="Up to three hours with the most orders, most first.")
    cancellation_rate: float = Field(description="Cancelled ÷ orders, percent (one decimal).")
    b2b_percentage: float = Field(
        serialization_alias="b2bPercentage", description="B2B orders ÷ orders, percent."
    )
    total_orders: int
    status_breakdown: list[StatusShare] = Field(description="Percentages add up to 100.")
    period: PeriodOut


class TrendPointOut(CamelSchema):
    date: Day = Field(description="The bucket's first day within the period.")
    orders_count: int
    revenue: Roubles
    cancellations: int
    cancellation_rate: float = Field(description="Percent, two decimals.")
    avg_order_value: Roubles = Field(description="Revenue ÷ orders not cancelled.")
    returns_count: int


class TrendSummary(CamelSchema):
    total_orders: int
    total_revenue: Roubles
    avg_daily_orders: float = Field(description="Orders ÷ days of the period, one decimal.")
    cancellation_rate: float
    return_rate: float = Field(description="Returns ÷ orders not cancelled, percent.")


class TrendsAnswer(CamelSchema):
    aggregation: Literal["day", "week", "month"]
    trends: list[TrendPointOut]
    summary: TrendSummary
    period: PeriodOut


class ComparedPeriod(CamelSchema):
    from_: Day = Field(alias="from", serialization_alias="from")
    to: Day
    orders_count: int
    revenue: Roubles
    cancellation_rate: float
    avg_order_value: Roubles


class Comparison(CamelSchema):
    orders_change: int = Field(description="period1 − period2.")
    orders_change_percent: float | None = Field(description="Of period2's; null when period2 had none.")
    revenue_change: Roubles
    revenue_change_percent: float | None
    cancellation_rate_change: float = Field(description="Percentage points.")
    avg_order_value_change: Roubles


class CompareAnswer(CamelSchema):
    period1: ComparedPeriod
    period2: ComparedPeriod
    comparison: Comparison


class MonthOut(CamelSchema):
    month: str
    avg_orders: float
    avg_revenue: Roubles


class WeekdayOut(CamelSchema):
    day_of_week: str
    avg_orders: float
    peak_hour: int | None


class Patterns(Schema):
    monthly: list[MonthOut] | None = None
    weekday: list[WeekdayOut] | None = None


class Insights(CamelSchema):
    peak_month: str | None
    low_month: str | None
    peak_day: str | None


class SeasonalAnswer(Schema):
    patterns: Patterns = Field(description="The view asked for (monthly or weekday).")
    insights: Insights
    period: PeriodOut


async def volume(request: web.Request, query: PeriodQuery) -> VolumeAnswer:
    """The period's orders by day and by hour, peak hours, cancellation and B2B rates, statuses."""
    v = await (await request.app[USE_CASES].order_volume())(
        cabinet_of(request), query.from_, query.to, DELIVERIES[query.delivery]
    )
    t = v.totals
    return VolumeAnswer(
        hourly_trend=[HourCount(hour=h, count=c) for h, c in v.hourly],
        daily_trend=[DayCount(date=d, count=c) for d, c in v.daily],
        peak_hours=list(v.peak_hours),
        cancellation_rate=float(rate(t.cancelled, t.orders)),
        b2b_percentage=float(rate(t.b2b, t.orders)),
        total_orders=t.orders,
        status_breakdown=[StatusShare(status=s, count=c, percentage=float(p)) for s, c, p in v.statuses],
        period=_period(v.from_day, v.to_day),
    )


def _point(start: date, t: Totals) -> TrendPointOut:
    return TrendPointOut(
        date=start, orders_count=t.orders, revenue=money(t.revenue), cancellations=t.cancelled,
        cancellation_rate=float(rate(t.cancelled, t.orders, "0.01")), avg_order_value=t.avg_order_value,
        returns_count=t.returns,
    )  # fmt: skip


async def trends(request: web.Request, query: TrendsQuery) -> TrendsAnswer:
    """Orders, revenue, cancellations and returns per day, week or month; 400 beyond 365 days."""
    r = await (await request.app[USE_CASES].order_trends())(
        cabinet_of(request), query.from_, query.to, query.aggregation, DELIVERIES[query.delivery]
    )
    t = r.totals
    summary = TrendSummary(
        total_orders=t.orders,
        total_revenue=money(t.revenue),
        avg_daily_orders=float((Decimal(t.orders) / r.days).quantize(Decimal("0.1"))),
        cancellation_rate=float(rate(t.cancelled, t.orders)),
        return_rate=float(rate(t.returns, t.kept)),
    )
    return TrendsAnswer(
        aggregation=query.aggregation,
        trends=[_point(p.start, p.totals) for p in r.points],
        summary=summary,
        period=_period(r.from_day, r.to_day),
    )


def _compared(start: date, end: date, t: Totals) -> ComparedPeriod:
    return ComparedPeriod.model_validate(
        {"from": start, "to": end, "orders_count": t.orders, "revenue": money(t.revenue),
         "cancellation_rate": float(rate(t.cancelled, t.orders)), "avg_order_value": t.avg_order_value}
    )  # fmt: skip


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


async def compare(request: web.Request, query: CompareQuery) -> CompareAnswer:
    """Two periods side by side; every change is period1 − period2."""
    first, second = await (await request.app[USE_CASES].order_comparison())(
        cabinet_of(request),
        (query.period1_from, query.period1_to),
        (query.period2_from, query.period2_to),
        DELIVERIES[query.delivery],
    )
    a, b = first.totals, second.totals
    comparison = Comparison(
        orders_change=a.orders - b.orders,
        orders_change_percent=_float(change_percent(a.orders, b.orders)),
        revenue_change=money(a.revenue - b.revenue),
        revenue_change_percent=_float(change_percent(a.revenue, b.revenue)),
        cancellation_rate_change=float(rate(a.cancelled, a.orders) - rate(b.cancelled, b.orders)),
        avg_order_value_change=a.avg_order_value - b.avg_order_value,
    )
    return CompareAnswer(
        period1=_compared(first.from_day, first.to_day, a),
        period2=_compared(second.from_day, second.to_day, b),
        comparison=comparison,
    )


async def seasonal(request: web.Request, query: SeasonalQuery) -> SeasonalAnswer:
    """Monthly or weekday patterns over the last `months` months, with the peak and low month and the
    peak weekday."""
    s = await (await request.app[USE_CASES].seasonal_patterns())(
        cabinet_of(request), query.months, DELIVERIES[query.delivery]
    )
    months = [m for m in s.monthly if m.avg_orders]
    weekdays = [w for w in s.weekday if w.avg_orders]
    insights = Insights(
        peak_month=MONTHS[max(months, key=lambda m: m.avg_orders).month - 1] if months else None,
        low_month=MONTHS[min(s.monthly, key=lambda m: m.avg_orders).month - 1] if months else None,
        peak_day=WEEKDAYS[max(weekdays, key=lambda w: w.avg_orders).weekday] if weekdays else None,
    )
    if query.view == "monthly":
        patterns = Patterns(
            monthly=[
                MonthOut(month=MONTHS[m.month - 1], avg_orders=float(m.avg_orders), avg_revenue=m.avg_revenue)
                for m in s.monthly
            ]
        )
    else:
        patterns = Patterns(
            weekday=[
                WeekdayOut(
                    day_of_week=WEEKDAYS[w.weekday], avg_orders=float(w.avg_orders), peak_hour=w.peak_hour
                )
                for w in s.weekday
            ]
        )
    return SeasonalAnswer(patterns=patterns, insights=insights, period=_period(s.from_day, s.to_day))


# The contract's cache TTLs ("Лимиты и кэширование"); compare and seasonal, which it does not list, as
# volume and trends, whose rollups they read (decision 0017).
CACHE_TTL_S = {
    "/analytics/orders/volume": 300, "/analytics/orders/trends": 3600,
    "/analytics/orders/compare": 300, "/analytics/orders/seasonal": 3600,
}  # fmt: skip


def _route(path: str, handler: object, summary: str, query: type[Schema], answer: type, what: str) -> Route:
    return Route(
        "GET", path, handler, summary=summary, tags=TAGS, query=query,  # type: ignore[arg-type]
        responses={200: Returns(what, answer)}, guard=CABINET, cache_ttl_s=CACHE_TTL_S[path],
    )  # fmt: skip


ROUTES: tuple[Route, ...] = (
    _route("/analytics/orders/volume", volume, "Order volume by day and hour", PeriodQuery, VolumeAnswer,
           "Counts by day and hour, peak hours, rates and statuses"),
    _route("/analytics/orders/trends", trends, "Order trends up to 365 days", TrendsQuery, TrendsAnswer,
           "Per day, week or month, with a summary"),
    _route("/analytics/orders/compare", compare, "Two periods compared", CompareQuery, CompareAnswer,
           "Both periods' figures and the changes"),
    _route("/analytics/orders/seasonal", seasonal, "Seasonal patterns", SeasonalQuery, SeasonalAnswer,
           "Monthly or weekday averages with insights"),
)  # fmt: skip
