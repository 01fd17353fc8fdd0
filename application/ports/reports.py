"""Read models over the synced orders and sales, for the bot's statistics (and, next, the dashboard's).

Every query is scoped by cabinet ids (the caller has already checked membership) and by a half-open UTC
period [start, end) on the row's own date: an order's `date` (when the buyer ordered), a sale's `date`
(when it was bought out or returned). Orders come from the statistics orders (`stat_orders`: FBS and FBW
alike); the FBS order id and product name are joined from `orders` by rid = srid where there is one.
Read-only: nothing here writes, and calling twice gives the same answer for the same stored rows.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Generic, Literal, Protocol, TypeVar
from uuid import UUID

import attrs

T = TypeVar("T")
OrderStatus = Literal["active", "canceled"]
SaleType = Literal["buyout", "return"]


@attrs.frozen
class Period:
    """UTC instants, start inclusive, end exclusive."""

    start: datetime
    end: datetime


@attrs.frozen
class OrderCounts:
    total: int
    canceled: int
    fbw: int  # shipped from WB's warehouses (statistics only); the rest are FBS


@attrs.frozen
class SalesTotals:
    """Buyouts (`S…` rows) and returns (`R…`); rows of any other kind are counted as neither. Amounts are
    roubles of `price_with_disc` (docs/metrics.md); `returns_amount` is positive whatever sign WB sent."""

    buyouts: int
    returns: int
    buyouts_amount: Decimal
    returns_amount: Decimal


@attrs.frozen
class OrderLine:
    srid: str
    fbs_order_id: int | None
    date: datetime
    nm_id: int
    product: str
    article: str
    size: str
    amount: Decimal  # roubles, price_with_disc
    warehouse: str
    region: str
    status: OrderStatus


@attrs.frozen
class SaleLine:
    sale_id: str
    srid: str
    nm_id: int
    product: str
    article: str
    size: str
    amount: Decimal  # roubles, price_with_disc as WB sent it (a return's may be negative)
    date: datetime
    type: SaleType


@attrs.frozen
class Page(Generic[T]):
    items: Sequence[T]
    total: int  # rows matching the filter, ignoring limit and offset


class OrderReports(Protocol):
    """Orders of the given cabinets dated in the period. An empty `cabinet_ids` gives zeros and empty
    pages, never every cabinet's rows."""

    async def order_counts(self, cabinet_ids: Sequence[UUID], period: Period) -> OrderCounts:
        """All orders, cancelled ones included (the seed's "honest statistics")."""
        ...

    async def recent_orders(
        self, cabinet_ids: Sequence[UUID], period: Period, status: OrderStatus | None, limit: int, offset: int
    ) -> Page[OrderLine]:
        """Newest first (ties by srid), `status` None for both."""
        ...


class SalesReports(Protocol):
    """Sales and returns of the given cabinets dated in the period; same scoping rules as OrderReports."""

    async def sales_totals(self, cabinet_ids: Sequence[UUID], period: Period) -> SalesTotals: ...

    async def recent_sales(
        self, cabinet_ids: Sequence[UUID], period: Period, type: SaleType | None, limit: int, offset: int
    ) -> Page[SaleLine]:
        """Newest first (ties by sale_id), buyouts and returns only, `type` None for both."""
        ...


class Reports(OrderReports, SalesReports, Protocol):
    """Both read models; one adapter serves them."""
