"""`GET /v1/analytics/weekly/by-sku` (seed 002 §5.3): a Moscow ISO week's unit economics per SKU, with the
contract's snake_case fields. Every figure is defined in docs/metrics.md, "Weekly unit economics (by SKU)".
`includeCogs=false` leaves out the COGS-based figures; with it (the default) a SKU without a cost for some
sold unit has `missing_cogs_flag: true` and those figures null, never computed with 0."""

from decimal import Decimal
from typing import Annotated

from aiohttp import web
from pydantic import Field, PlainSerializer

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import Roubles, Schema
from application.dashboard.weekly import MAX_LIMIT, WeekPage
from domain.unit_economics import SkuEconomics

TAGS = ("dashboard", "analytics")
_PERCENT = "Percent, two decimals; null when its divisor is not positive"
Percent = Annotated[Decimal, PlainSerializer(float, return_type=float)]


class WeeklyQueryIn(Schema):
    week: str | None = Field(
        None, pattern=r"^\d{4}-W\d{2}$", description="ISO week `YYYY-Www` (Moscow); default the current week."
    )
    include_cogs: bool = Field(
        True, alias="includeCogs", description="false: leave out the COGS-based figures."
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class SkuWeekOut(Schema):
    nm_id: str = Field(description="The WB article (nmID), as a string as in the contract.")
    sa_name: str | None = Field(description="The seller's article (vendor code).")
    brand: str | None
    category: str | None = Field(description="WB's subject (e.g. Кошельки).")
    total_units: int = Field(description="Units sold minus units returned.")
    revenue_gross: Roubles = Field(description="Σ retail price with discount, returns subtracted.")
    revenue_net: Roubles = Field(description="Σ WB's for_pay (+ additional payments), returns subtracted.")
    logistics_cost: Roubles
    storage_cost: Roubles
    storage_data_source: str = Field(description="paid_storage_api | finance_report | none.")
    penalties: Roubles
    other_costs: Roubles = Field(description="Paid acceptance and deductions (not in the contract).")
    total_expenses: Roubles = Field(description="logistics + storage + penalties + other costs (not COGS).")
    has_revenue: bool = Field(description="revenue_gross > 0.")
    provisional: bool = Field(description="The week's finance report has not arrived: from statistics sales.")


class SkuWeekCogsOut(SkuWeekOut):
    cogs: Roubles | None = Field(
        description="Units × the cost valid on each sale's Moscow day; null if missing."
    )
    missing_cogs_flag: bool
    profit: Roubles | None = Field(description="revenue_gross − cogs.")
    margin_pct: Percent | None = Field(description=f"profit ÷ revenue_gross. {_PERCENT}.")
    markup_percent: Percent | None = Field(description=f"profit ÷ cogs. {_PERCENT}.")
    roi: Percent | None = Field(description=f"net_profit ÷ cogs. {_PERCENT}.")
    profit_per_unit: Roubles | None
    net_profit: Roubles | None = Field(description="revenue_net − cogs − total_expenses.")
    net_margin_pct: Percent | None
    operating_profit: Roubles | None = Field(
        description="revenue_net − cogs − logistics − storage − penalties."
    )
    operating_margin_pct: Percent | None


class WeekPagination(Schema):
    total: int
    limit: int
    offset: int


class WeekOut(Schema):
    week: str
    first_day: str
    last_day: str
    provisional: bool = Field(
        description="No finance report for this week yet: figures from statistics sales."
    )
    revenue_source: str = Field(description="finance_report | statistics_sales.")


class WeeklyBySkuAnswer(Schema):
    data: list[SkuWeekCogsOut] | list[SkuWeekOut]
    pagination: WeekPagination
    week: WeekOut


def _row(sku: SkuEconomics, with_cogs: bool) -> SkuWeekOut:
    fields = sku.fields()
    fields["nm_id"] = str(sku.nm_id)
    model = SkuWeekCogsOut if with_cogs else SkuWeekOut
    return model.model_validate({k: v for k, v in fields.items() if k in model.model_fields})


def answer(page: WeekPage, limit: int, offset: int, with_cogs: bool) -> WeeklyBySkuAnswer:
    w = page.week
    return WeeklyBySkuAnswer(
        data=[_row(s, with_cogs) for s in page.items],
        pagination=WeekPagination(total=page.total, limit=limit, offset=offset),
        week=WeekOut(
            week=w.week,
            first_day=w.first_day.isoformat(),
            last_day=w.last_day.isoformat(),
            provisional=w.provisional,
            revenue_source=str(w.revenue_source),
        ),
    )


async def weekly_by_sku(request: web.Request, query: WeeklyQueryIn) -> WeeklyBySkuAnswer:
    """Per SKU sold in the week: revenue, WB's charges, COGS and the profits, highest revenue first."""
    use_case = await request.app[USE_CASES].weekly_by_sku()
    page = await use_case(cabinet_of(request), query.week, query.limit, query.offset)
    return answer(page, query.limit, query.offset, query.include_cogs)


ROUTES: tuple[Route, ...] = (
    Route(
        "GET", "/analytics/weekly/by-sku", weekly_by_sku, summary="A week's unit economics per SKU",
        tags=TAGS, query=WeeklyQueryIn, guard=CABINET, cache_ttl_s=1800,
        responses={200: Returns("The week's SKUs: revenue, charges, COGS, profits", WeeklyBySkuAnswer)},
    ),
)  # fmt: skip
