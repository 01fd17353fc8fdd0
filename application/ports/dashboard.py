"""Read models of the seller's dashboard (seed 002): orders with their status history, and how fast FBS orders
were handled (`sla`).

Every query is scoped by one cabinet id (the caller's membership is checked before). Periods are half-open
UTC instants [start, end) built from Moscow calendar days. Read-only.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol
from uuid import UUID

import attrs

from application.ports.reports import Page, Period
from domain.orders import Address

Delivery = Literal["fbs", "fbw"]
SortBy = Literal["created_at", "status_updated_at", "price", "sale_price"]
SortOrder = Literal["asc", "desc"]


@attrs.frozen
class OrderFilter:
    period: Period | None = None
    supplier_status: str | None = None
    wb_status: str | None = None
    nm_id: int | None = None
    deliveries: frozenset[Delivery] = frozenset({"fbs"})


@attrs.frozen
class DashboardOrder:
    """One order as the dashboard lists it. An FBW order (statistics only) has its srid as `order_id`, no
    supplier status (WB ships it), and `canceled`/`cancel` statuses only once cancelled."""

    order_id: str
    order_uid: str | None
    srid: str | None
    nm_id: int | None
    vendor_code: str | None
    product_name: str | None
    price: Decimal | None  # roubles
    sale_price: Decimal | None  # roubles
    supplier_status: str | None
    wb_status: str | None
    warehouse_id: int | None
    warehouse_name: str | None
    delivery_type: Delivery
    is_b2b: bool
    cargo_type: str | None
    created_at: datetime
    status_updated_at: datetime | None


@attrs.frozen
class StatusEntry:
    supplier_status: str | None
    wb_status: str | None
    changed_at: datetime


@attrs.frozen
class DashboardOrderDetail:
    order: DashboardOrder
    chrt_id: int | None
    address: Address | None
    history: Sequence[StatusEntry]
    synced_at: datetime | None


class DashboardOrders(Protocol):
    async def list_orders(
        self,
        cabinet_id: UUID,
        where: OrderFilter,
        sort_by: SortBy,
        sort_order: SortOrder,
        limit: int,
        offset: int,
    ) -> Page[DashboardOrder]:
        """The cabinet's orders matching `where`, sorted (ties by order id in the same direction), a page of
        them, with the total matching."""
        ...

    async def get_order(self, cabinet_id: UUID, order_id: str) -> DashboardOrderDetail | None:
        """An FBS order by its WB id (digits), or an FBW order by its srid; None when the cabinet has no such
        order (another cabinet's order included)."""
        ...


@attrs.frozen
class Percentiles:
    """Seconds, interpolated linearly between the two nearest values (Postgres `percentile_cont`)."""

    p50: float
    p90: float
    p95: float


@attrs.frozen
class SlaFigures:
    """FBS orders created in a period and how fast the seller moved them (docs/metrics.md, "sla").
    `orders` = `handed_over` + `cancelled` + `open`; `due` = handed over + open past the deadline."""

    orders: int
    confirmed: int  # a status `confirm` (or already `complete`) seen
    handed_over: int  # a status `complete` seen
    cancelled: int  # cancelled before any hand-over
    open: int  # neither handed over nor cancelled
    to_confirm: Percentiles | None  # None without any confirmed order
    to_hand_over: Percentiles | None
    due: int
    within_deadline: int  # handed over at most `deadline` after creation


class DashboardSla(Protocol):
    """How fast a cabinet's FBS orders were confirmed and handed over, from their status history. Scoped
    by the cabinet id (the caller checked membership), bounded by the period; read-only."""

    async def sla(self, cabinet_id: UUID, period: Period, deadline: timedelta, now: datetime) -> SlaFigures:
        """Orders created in [period.start, period.end); an order open at `now` is due once `deadline` has
        passed since its creation."""
        ...
