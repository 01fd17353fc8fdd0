"""The dashboard's orders (seed 002 §3): a filtered, sorted page, and one order with its status history."""

from datetime import date
from uuid import UUID

import attrs

from application.ports.dashboard import (
    DashboardOrder,
    DashboardOrderDetail,
    DashboardOrders,
    Delivery,
    OrderFilter,
    SortBy,
    SortOrder,
)
from application.ports.reports import Page, Period
from domain.errors import InvalidValue, NotFound
from domain.moscow_time import day_range_utc

MAX_LIMIT = 1000


@attrs.frozen
class OrderQuery:
    """The list's inputs. `from_day`/`to_day` are Moscow calendar days, both inclusive."""

    from_day: date | None = None
    to_day: date | None = None
    supplier_status: str | None = None
    wb_status: str | None = None
    nm_id: int | None = None
    deliveries: frozenset[Delivery] = frozenset({"fbs"})
    sort_by: SortBy = "created_at"
    sort_order: SortOrder = "desc"
    limit: int = 100
    offset: int = 0


@attrs.frozen
class ListOrders:
    orders: DashboardOrders

    async def __call__(self, cabinet_id: UUID, q: OrderQuery) -> Page[DashboardOrder]:
        if not 1 <= q.limit <= MAX_LIMIT:
            raise InvalidValue("limit", f"must be from 1 to {MAX_LIMIT}")
        if q.offset < 0:
            raise InvalidValue("offset", "must be 0 or more")
        if not q.deliveries:
            raise InvalidValue("delivery", "choose fbs, fbw or all")
        where = OrderFilter(
            period=_period(q.from_day, q.to_day),
            supplier_status=q.supplier_status,
            wb_status=q.wb_status,
            nm_id=q.nm_id,
            deliveries=q.deliveries,
        )
        return await self.orders.list_orders(cabinet_id, where, q.sort_by, q.sort_order, q.limit, q.offset)


@attrs.frozen
class GetOrder:
    orders: DashboardOrders

    async def __call__(self, cabinet_id: UUID, order_id: str) -> DashboardOrderDetail:
        found = await self.orders.get_order(cabinet_id, order_id)
        if found is None:
            raise NotFound("order", order_id)
        return found


def _period(from_day: date | None, to_day: date | None) -> Period | None:
    """Moscow days, inclusive, as UTC instants; an open end is open."""
    if from_day is None and to_day is None:
        return None
    if from_day is not None and to_day is not None and to_day < from_day:
        raise InvalidValue("to", "must not be before from")
    start, _ = day_range_utc(from_day or date(2000, 1, 1), from_day or date(2000, 1, 1))
    _, end = day_range_utc(to_day or date(2100, 12, 31), to_day or date(2100, 12, 31))
    return Period(start, end)


def processing_time_s(detail: DashboardOrderDetail) -> int | None:
    """Seconds from the order's creation until the first status past `new` (confirm, complete or cancel);
    None while it is new (or for an FBW order, which the seller does not handle)."""
    for entry in detail.history:
        if entry.supplier_status not in (None, "new"):
            return max(0, int((entry.changed_at - detail.order.created_at).total_seconds()))
    return None
