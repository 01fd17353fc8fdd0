"""Dashboard routes: orders (seed 002 §3). FBS orders as the contract describes them; `delivery=fbw` or
`delivery=all` adds the orders shipped from WB's warehouses, which only the statistics report."""

from datetime import date
from typing import Literal

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard.schemas import Instant
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import BIGINT, FIRST_DAY, LAST_DAY, CamelSchema, Roubles, Schema
from application.dashboard.orders import OrderQuery, processing_time_s
from application.ports.dashboard import DashboardOrder, DashboardOrderDetail, Delivery

TAGS = ("dashboard", "orders")
DELIVERIES: dict[str, frozenset[Delivery]] = {
    "fbs": frozenset({"fbs"}),
    "fbw": frozenset({"fbw"}),
    "all": frozenset({"fbs", "fbw"}),
}


class OrdersQuery(Schema):
    from_: date | None = Field(None, alias="from", ge=FIRST_DAY, le=LAST_DAY, description="First Moscow day.")
    to: date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Last Moscow day, inclusive.")
    supplier_status: Literal["new", "confirm", "complete", "cancel"] | None = None
    wb_status: Literal["waiting", "sorted", "sold", "canceled"] | None = None
    nm_id: int | None = Field(None, gt=0, le=BIGINT, description="The WB article (nmID).")
    sort_by: Literal["created_at", "status_updated_at", "price", "sale_price"] = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)
    delivery: Literal["fbs", "fbw", "all"] = Field(
        "fbs",
        description="fbs (the contract's orders, default); fbw: orders shipped from WB's warehouses (known "
        "from the statistics only: `orderId` is their srid, no supplier status until cancelled); all: both.",
    )


class OrderPath(Schema):
    order_id: str = Field(
        alias="orderId", min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._-]+$",
        description="An FBS order's WB id, or an FBW order's srid.",
    )  # fmt: skip


class DashboardOrderOut(CamelSchema):
    order_id: str = Field(description="WB's id of an FBS order; an FBW order's srid.")
    order_uid: str | None
    nm_id: int | None
    vendor_code: str | None
    product_name: str | None
    price: Roubles | None = Field(description="The price before discounts, roubles.")
    sale_price: Roubles | None = Field(description="The price after the seller's discount, roubles.")
    supplier_status: str | None = Field(description="new, confirm, complete, cancel (FBS).")
    wb_status: str | None = Field(description="waiting, sorted, sold, canceled, ... (WB's).")
    warehouse_id: int | None
    warehouse_name: str | None = Field(description="An FBW order's WB warehouse (statistics).")
    delivery_type: Literal["fbs", "fbw"]
    is_b2b: bool = Field(alias="isB2B")
    cargo_type: str | None
    created_at: Instant
    status_updated_at: Instant | None


class OrdersPagination(Schema):
    total: int
    limit: int
    offset: int


class OrdersQueryEcho(Schema):
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None


class OrdersAnswer(Schema):
    items: list[DashboardOrderOut]
    pagination: OrdersPagination
    query: OrdersQueryEcho


class OrderAddressOut(CamelSchema):
    full_address: str | None
    longitude: float | None
    latitude: float | None


class OrderStatusOut(CamelSchema):
    supplier_status: str | None
    wb_status: str | None
    changed_at: Instant


class DashboardOrderDetailOut(DashboardOrderOut):
    chrt_id: int | None
    address: OrderAddressOut | None
    status_history: list[OrderStatusOut]
    processing_time_seconds: int | None = Field(
        description="Seconds from creation until the seller first moved the order on from `new` (confirmed, "
        "or cancelled); null while it is new."
    )
    synced_at: Instant | None


def _order(o: DashboardOrder) -> dict[str, object]:
    return {
        "order_id": o.order_id, "order_uid": o.order_uid, "nm_id": o.nm_id, "vendor_code": o.vendor_code,
        "product_name": o.product_name, "price": o.price, "sale_price": o.sale_price,
        "supplier_status": o.supplier_status, "wb_status": o.wb_status, "warehouse_id": o.warehouse_id,
        "warehouse_name": o.warehouse_name, "delivery_type": o.delivery_type, "is_b2b": o.is_b2b,
        "cargo_type": o.cargo_type, "created_at": o.created_at, "status_updated_at": o.status_updated_at,
    }  # fmt: skip


async def list_orders(request: web.Request, query: OrdersQuery) -> OrdersAnswer:
    """The cabinet's orders, a page at a time (newest first by default). 400 for a bad enum, date or
    limit, naming it."""
    use_case = await request.app[USE_CASES].list_dashboard_orders()
    q = OrderQuery(
        from_day=query.from_, to_day=query.to, supplier_status=query.supplier_status,
        wb_status=query.wb_status, nm_id=query.nm_id, deliveries=DELIVERIES[query.delivery],
        sort_by=query.sort_by, sort_order=query.sort_order, limit=query.limit, offset=query.offset,
    )  # fmt: skip
    page = await use_case(cabinet_of(request), q)
    return OrdersAnswer(
        items=[DashboardOrderOut(**_order(o)) for o in page.items],  # type: ignore[arg-type]
        pagination=OrdersPagination(total=page.total, limit=query.limit, offset=query.offset),
        query=OrdersQueryEcho.model_validate({"from": query.from_, "to": query.to}),
    )


async def get_order(request: web.Request, path: OrderPath) -> DashboardOrderDetailOut:
    """One order of the cabinet with its status history. 404 when the cabinet has no such order."""
    use_case = await request.app[USE_CASES].get_dashboard_order()
    detail: DashboardOrderDetail = await use_case(cabinet_of(request), path.order_id)
    address = None
    if detail.address is not None:
        a = detail.address
        address = OrderAddressOut(full_address=a.full_address, longitude=a.longitude, latitude=a.latitude)
    return DashboardOrderDetailOut(
        **_order(detail.order),  # type: ignore[arg-type]
        chrt_id=detail.chrt_id,
        address=address,
        status_history=[
            OrderStatusOut(supplier_status=h.supplier_status, wb_status=h.wb_status, changed_at=h.changed_at)
            for h in detail.history
        ],
        processing_time_seconds=processing_time_s(detail),
        synced_at=detail.synced_at,
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "GET", "/orders", list_orders, summary="The cabinet's orders", tags=TAGS, query=OrdersQuery,
        responses={200: Returns("A page of orders", OrdersAnswer)}, guard=CABINET,
        cache_ttl_s=300,  # the contract's TTL (decision 0017)
    ),
    Route(
        "GET", "/orders/{orderId}", get_order, summary="One order with its status history", tags=TAGS,
        path_params=OrderPath, responses={200: Returns("The order", DashboardOrderDetailOut)}, guard=CABINET,
        errors=(404,),
    ),
)  # fmt: skip
