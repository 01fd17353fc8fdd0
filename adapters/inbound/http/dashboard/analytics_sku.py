"""Dashboard routes: `velocity` and `sla`, which seed 002 names in its cache table without describing them
(designed in docs/decisions/0018-velocity-and-sla.md; every figure in docs/metrics.md, "Dashboard
analytics"). `velocity` reads the order rollups by article and the stock snapshot; `sla` reads FBS orders
and their status history over at most 90 days."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard.analytics import DELIVERY_DOC, DeliveryParam, PeriodOut
from adapters.inbound.http.dashboard.orders import DELIVERIES, OrdersPagination
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import FIRST_DAY, LAST_DAY, CamelSchema, Roubles, Schema
from application.dashboard.sla import DEFAULT_DEADLINE_HOURS, MAX_DEADLINE_HOURS
from application.dashboard.velocity import SkuVelocity, VelocityQuery
from application.ports.dashboard import Percentiles

TAGS = ("dashboard", "analytics")


class VelocityQueryIn(Schema):
    from_: date | None = Field(
        None, alias="from", ge=FIRST_DAY, le=LAST_DAY, description="First Moscow day; default `to` − 29 days."
    )
    to: date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Last Moscow day, inclusive; default today; at most 365 days.",
    )
    delivery: DeliveryParam = Field("fbs", description=DELIVERY_DOC)
    sort_by: Literal["orders", "velocity", "days_of_stock"] = Field(
        "velocity", description="velocity and orders sort alike (one period); days_of_stock: nulls last."
    )
    sort_order: Literal["asc", "desc"] = "desc"
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class SlaQueryIn(Schema):
    from_: date | None = Field(
        None, alias="from", ge=FIRST_DAY, le=LAST_DAY, description="First Moscow day; default `to` − 6 days."
    )
    to: date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Last Moscow day, inclusive; default today; at most 90 days.",
    )
    deadline_hours: int = Field(
        DEFAULT_DEADLINE_HOURS,
        ge=1,
        le=MAX_DEADLINE_HOURS,
        description="Hours from creation by which an order must be handed over (default 36: decision 0018).",
    )


class SkuVelocityOut(CamelSchema):
    nm_id: int = Field(description="The WB article (nmID).")
    orders_count: int
    cancelled: int
    revenue: Roubles = Field(description="Over the orders not cancelled.")
    avg_daily_orders: float = Field(description="Orders ÷ days of the period, two decimals.")
    trend_percent: float | None = Field(
        description="The second half's orders vs the first half's (equal halves; an odd period's middle day "
        "in neither), percent, one decimal; null when the first half had none."
    )
    trend: Literal["up", "down", "flat"] = Field(description="flat within ±10 %.")
    current_stock: int | None = Field(
        description="On WB warehouses now; null when the stock report lacks it."
    )
    days_of_stock_left: float | None = Field(
        description="currentStock ÷ (orders not cancelled of the last 30 days, FBS and FBW, ÷ 30), one "
        "decimal, rounded down; 0 when sold out; null without orders in those 30 days or without a stock row."
    )


class VelocityAnswer(Schema):
    items: list[SkuVelocityOut]
    pagination: OrdersPagination
    period: PeriodOut


class SlaCounts(CamelSchema):
    orders: int = Field(description="FBS orders created in the period: handedOver + cancelled + open.")
    confirmed: int = Field(description="Seen in `confirm` (or straight in `complete`).")
    handed_over: int = Field(description="Seen in `complete`.")
    cancelled: int = Field(description="Cancelled before any hand-over.")
    open: int = Field(description="Neither handed over nor cancelled.")
    due: int = Field(description="Handed over, or open past the deadline: withinDeadlineShare's whole.")
    within_deadline: int = Field(description="Handed over at most deadlineHours after creation.")


class PercentilesOut(Schema):
    p50: int = Field(description="Seconds.")
    p90: int
    p95: int


class SlaAnswer(CamelSchema):
    counts: SlaCounts
    time_to_confirm: PercentilesOut | None = Field(description="Seconds from creation; null without any.")
    time_to_hand_over: PercentilesOut | None
    within_deadline_share: float | None = Field(
        description="withinDeadline ÷ due, percent, one decimal; null while nothing is due."
    )
    deadline_hours: int
    period: PeriodOut


def _sku(s: SkuVelocity) -> SkuVelocityOut:
    return SkuVelocityOut(
        nm_id=s.nm_id, orders_count=s.orders, cancelled=s.cancelled, revenue=s.revenue,
        avg_daily_orders=float(s.avg_daily_orders), trend=s.trend,
        trend_percent=None if s.trend_percent is None else float(s.trend_percent),
        current_stock=s.current_stock,
        days_of_stock_left=None if s.days_of_stock_left is None else float(s.days_of_stock_left),
    )  # fmt: skip


async def velocity(request: web.Request, query: VelocityQueryIn) -> VelocityAnswer:
    """Per article ordered in the period: orders a day, the trend and the days its stock lasts."""
    q = VelocityQuery(
        from_day=query.from_, to_day=query.to, deliveries=DELIVERIES[query.delivery],
        sort_by=query.sort_by, sort_order=query.sort_order, limit=query.limit, offset=query.offset,
    )  # fmt: skip
    page = await (await request.app[USE_CASES].order_velocity())(cabinet_of(request), q)
    return VelocityAnswer(
        items=[_sku(s) for s in page.items],
        pagination=OrdersPagination(total=page.total, limit=query.limit, offset=query.offset),
        period=PeriodOut.model_validate({"from": page.from_day, "to": page.to_day}),
    )


def _seconds(p: Percentiles | None) -> PercentilesOut | None:
    if p is None:
        return None
    whole = [int(Decimal(v).quantize(Decimal(1), ROUND_HALF_UP)) for v in (p.p50, p.p90, p.p95)]
    return PercentilesOut(p50=whole[0], p90=whole[1], p95=whole[2])


async def sla(request: web.Request, query: SlaQueryIn) -> SlaAnswer:
    """FBS orders' time to confirm and to hand over (p50/p90/p95) and the share handed over in time."""
    r = await (await request.app[USE_CASES].order_sla())(
        cabinet_of(request), query.from_, query.to, query.deadline_hours
    )
    f = r.figures
    counts = SlaCounts(
        orders=f.orders, confirmed=f.confirmed, handed_over=f.handed_over, cancelled=f.cancelled,
        open=f.open, due=f.due, within_deadline=f.within_deadline,
    )  # fmt: skip
    return SlaAnswer(
        counts=counts,
        time_to_confirm=_seconds(f.to_confirm),
        time_to_hand_over=_seconds(f.to_hand_over),
        within_deadline_share=None if r.within_deadline_percent is None else float(r.within_deadline_percent),
        deadline_hours=r.deadline_hours,
        period=PeriodOut.model_validate({"from": r.from_day, "to": r.to_day}),
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "GET", "/analytics/orders/velocity", velocity, summary="Orders per day per article, with stock left",
        tags=TAGS, query=VelocityQueryIn, guard=CABINET, cache_ttl_s=300,
        responses={200: Returns("A page of articles with velocity, trend and days of stock", VelocityAnswer)},
    ),
    Route(
        "GET", "/analytics/orders/sla", sla, summary="FBS handling times and the deadline kept", tags=TAGS,
        query=SlaQueryIn, guard=CABINET, cache_ttl_s=60,
        responses={200: Returns("Counts, percentiles (seconds), the share within the deadline", SlaAnswer)},
    ),
)  # fmt: skip
