"""The inputs and answers of the bot's order and sales routes (seed 000 §3–§4), by the seed's names."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, PlainSerializer

from adapters.inbound.http.schemas import BIGINT, FIRST_DAY, LAST_DAY, Roubles, Schema

Percent = Annotated[
    Decimal,
    PlainSerializer(lambda d: float(d.quantize(Decimal("0.1"), ROUND_HALF_UP)), return_type=float),
    Field(description="Percent, one decimal (96.3 means 96.3 %)."),
]


class ReportQuery(Schema):
    telegram_id: int | None = Field(None, gt=0, le=BIGINT, description="The user by Telegram id...")
    user_id: int | None = Field(None, gt=0, le=BIGINT, description="...or by our id (exactly one of them).")
    cabinet_id: UUID | None = Field(None, description="One cabinet; default: all of the user's cabinets.")
    date_from: date | None = Field(
        None, ge=FIRST_DAY, le=LAST_DAY, description="First Moscow day (default: date_to minus 30 days)."
    )
    date_to: date | None = Field(
        None,
        ge=FIRST_DAY,
        le=LAST_DAY,
        description="Last Moscow day, inclusive (default: today, or date_from if later).",
    )


class PageQuery(ReportQuery):
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrderListQuery(PageQuery):
    status: Literal["active", "canceled"] | None = Field(None, description="Only active or only cancelled.")


class OrderTotals(Schema):
    total_orders: int = Field(description="Every order of the period, cancelled ones included, FBS and FBW.")
    active_orders: int
    canceled_orders: int
    active_percentage: Percent
    canceled_percentage: Percent


class SalesTotalsOut(Schema):
    total_sales: int = Field(description="Buyouts + returns.")
    buyouts: int
    returns: int
    buyout_rate: Percent = Field(description="buyouts ÷ total_sales, percent.")
    total_amount: Roubles = Field(
        description="buyouts_amount − returns_amount (priceWithDisc), roubles to the kopeck."
    )
    buyouts_amount: Roubles
    returns_amount: Roubles = Field(
        description="Roubles to the kopeck, positive whatever sign WB reports returns with."
    )


class Summary(Schema):
    date_from: date
    date_to: date
    cabinets: int = Field(description="How many cabinets the figures cover.")


class OrderSummary(Summary):
    fbs_orders: int = Field(description="Orders shipped from the seller's warehouse.")
    fbw_orders: int = Field(description="Orders shipped from WB's warehouses.")


class OrderStatisticsData(Schema):
    orders: OrderTotals
    sales: SalesTotalsOut
    summary: OrderSummary


class OrderStatisticsAnswer(Schema):
    success: Literal[True] = True
    data: OrderStatisticsData
    telegram_text: str = Field(max_length=4096, description="Russian, Telegram HTML, shown as is.")


class SalesStatisticsData(Schema):
    sales: SalesTotalsOut
    summary: Summary


class SalesStatisticsAnswer(Schema):
    success: Literal[True] = True
    data: SalesStatisticsData
    telegram_text: str = Field(max_length=4096)


class Pagination(Schema):
    limit: int
    offset: int
    total: int
    has_more: bool


class OrderOut(Schema):
    id: str = Field(description="WB's srid: the order's id in every WB report.")
    order_id: int | None = Field(description="The FBS assembly order id; null for an FBW order.")
    date: datetime
    nm_id: int
    product: str
    article: str
    size: str
    amount: Roubles = Field(
        description="priceWithDisc (after the seller's and WB Club discounts), roubles to the kopeck."
    )
    warehouse: str
    region: str
    status: Literal["active", "canceled"]


class OrderListAnswer(Schema):
    orders: list[OrderOut]
    pagination: Pagination
    telegram_text: str = Field(max_length=4096)


class SaleOut(Schema):
    sale_id: str = Field(description="WB's saleID: S… a buyout, R… a return.")
    srid: str
    nm_id: int
    product: str
    article: str
    size: str
    amount: Roubles = Field(
        description="priceWithDisc as WB reports it (a return's may be negative), roubles to the kopeck."
    )
    date: datetime
    type: Literal["buyout", "return"]


class SaleListAnswer(Schema):
    sales: list[SaleOut]
    pagination: Pagination
    telegram_text: str = Field(max_length=4096)
