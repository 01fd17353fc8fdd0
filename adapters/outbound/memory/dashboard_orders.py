"""The dashboard's orders over the in-memory store's committed tables, held honest by
tests/integration/test_dashboard_orders_contract.py (the same cases as Postgres)."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from adapters.outbound.memory.store import InMemoryStore
from application.ports.dashboard import (
    DashboardOrder,
    DashboardOrderDetail,
    OrderFilter,
    SortBy,
    SortOrder,
    StatusEntry,
)
from application.ports.reports import Page
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import Order
from domain.stat_orders import StatOrder


def _fbs(o: Order, stat: StatOrder | None) -> DashboardOrder:
    """docs/metrics.md: statistics' totalPrice / priceWithDisc once there, else the FBS salePrice, else
    its convertedPrice."""
    fallback = (o.sale_price or o.price).amount
    return DashboardOrder(
        order_id=str(o.order_id),
        order_uid=o.order_uid,
        srid=o.rid,
        nm_id=o.nm_id,
        vendor_code=o.vendor_code,
        product_name=o.product_name,
        price=fallback if stat is None else stat.total_price.amount,
        sale_price=fallback if stat is None else stat.price_with_disc.amount,
        supplier_status=None if o.supplier_status is None else o.supplier_status.value,
        wb_status=None if o.wb_status is None else o.wb_status.value,
        warehouse_id=o.warehouse_id,
        warehouse_name=None,
        delivery_type="fbs",
        is_b2b=o.is_b2b,
        cargo_type=None if o.cargo_type is None else o.cargo_type.value,
        created_at=o.created_at,
        status_updated_at=o.status_updated_at,
    )


def _fbw(s: StatOrder) -> DashboardOrder:
    name = " ".join(part for part in (s.subject, s.brand) if part) or None
    return DashboardOrder(
        order_id=s.srid,
        order_uid=s.g_number or None,
        srid=s.srid,
        nm_id=s.nm_id,
        vendor_code=s.supplier_article or None,
        product_name=name,
        price=s.total_price.amount,
        sale_price=s.price_with_disc.amount,
        supplier_status="cancel" if s.is_cancel else None,
        wb_status="canceled" if s.is_cancel else None,
        warehouse_id=None,
        warehouse_name=s.warehouse_name or None,
        delivery_type="fbw",
        is_b2b=False,
        cargo_type=None,
        created_at=s.date,
        status_updated_at=(s.cancel_date or s.last_change_date) if s.is_cancel else None,
    )


def _tie(o: DashboardOrder) -> str:
    return o.order_id.zfill(20) if o.delivery_type == "fbs" else "~" + o.order_id


class InMemoryDashboardOrders:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _all(self, cabinet_id: UUID, where: OrderFilter) -> list[DashboardOrder]:
        t = self._store.tables
        found: list[DashboardOrder] = []
        if "fbs" in where.deliveries:
            fbs: Iterable[Order] = t.orders.values()
            found += [
                _fbs(o, t.stat_orders.get((cabinet_id, o.rid))) for o in fbs if o.cabinet_id == cabinet_id
            ]
        if "fbw" in where.deliveries:
            stats: Iterable[StatOrder] = t.stat_orders.values()
            found += [_fbw(s) for s in stats if s.cabinet_id == cabinet_id and s.is_fbw]
        return [o for o in found if _matches(o, where)]

    async def list_orders(
        self,
        cabinet_id: UUID,
        where: OrderFilter,
        sort_by: SortBy,
        sort_order: SortOrder,
        limit: int,
        offset: int,
    ) -> Page[DashboardOrder]:
        rows = self._all(cabinet_id, where)
        present = [o for o in rows if getattr(o, sort_by) is not None]
        missing = [o for o in rows if getattr(o, sort_by) is None]
        reverse = sort_order == "desc"
        present.sort(key=lambda o: (getattr(o, sort_by), _tie(o)), reverse=reverse)
        missing.sort(key=_tie, reverse=reverse)
        ordered = present + missing  # NULLS LAST either way
        return Page(ordered[offset : offset + limit], len(ordered))

    async def get_order(self, cabinet_id: UUID, order_id: str) -> DashboardOrderDetail | None:
        t = self._store.tables
        if order_id.isdigit() and len(order_id) <= 18:
            stored: Any = t.orders.get((cabinet_id, int(order_id)))
            if stored is None:
                return None
            order = _fbs(stored, t.stat_orders.get((cabinet_id, stored.rid)))
            changes = sorted(
                (c for k, c in t.order_history.items() if k[:2] == (cabinet_id, int(order_id))),
                key=lambda c: c.changed_at,
            )
            history: list[StatusEntry] = []
            if not changes:
                history.append(StatusEntry(order.supplier_status, order.wb_status, order.created_at))
            elif changes[0].previous_supplier is not None or changes[0].previous_wb is not None:
                first = changes[0]
                history.append(
                    StatusEntry(_s(first.previous_supplier), _s(first.previous_wb), order.created_at)
                )
            history += [StatusEntry(_s(c.supplier), _s(c.wb), c.changed_at) for c in changes]
            return DashboardOrderDetail(order, stored.chrt_id, stored.address, history, None)
        stat: Any = t.stat_orders.get((cabinet_id, order_id))
        if stat is None or not stat.is_fbw:
            return None
        order = _fbw(stat)
        entries = [StatusEntry(None, None, order.created_at)]
        if order.status_updated_at is not None:
            entries.append(StatusEntry("cancel", "canceled", order.status_updated_at))
        return DashboardOrderDetail(order, None, None, entries, None)


def _s(value: S | W | None) -> str | None:
    return None if value is None else value.value


def _matches(o: DashboardOrder, where: OrderFilter) -> bool:
    if where.period is not None and not where.period.start <= o.created_at < where.period.end:
        return False
    if where.supplier_status is not None and o.supplier_status != where.supplier_status:
        return False
    if where.wb_status is not None and o.wb_status != where.wb_status:
        return False
    return where.nm_id is None or o.nm_id == where.nm_id
