"""The order and sales read models over the in-memory store's committed tables (what a separate read-only
connection would see), held honest by tests/integration/test_reports_contract.py."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from adapters.outbound.memory.store import InMemoryStore
from application.ports.reports import (
    OrderCounts,
    OrderLine,
    OrderStatus,
    Page,
    Period,
    SaleLine,
    SalesTotals,
    SaleType,
)
from domain.orders import Order
from domain.sales import Sale, SaleKind
from domain.stat_orders import StatOrder

T = TypeVar("T")
_KIND = {"buyout": SaleKind.SALE, "return": SaleKind.RETURN}


class InMemoryReports:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _stat_orders(self, cabinet_ids: Sequence[UUID], period: Period) -> list[StatOrder]:
        rows: Iterable[StatOrder] = self._store.tables.stat_orders.values()
        return [r for r in rows if r.cabinet_id in cabinet_ids and period.start <= r.date < period.end]

    def _sales(self, cabinet_ids: Sequence[UUID], period: Period) -> list[Sale]:
        rows: Iterable[Sale] = self._store.tables.sales.values()
        return [r for r in rows if r.cabinet_id in cabinet_ids and period.start <= r.date < period.end]

    def _fbs(self, cabinet_id: UUID, srid: str) -> Order | None:
        found = [
            o for o in self._store.tables.orders.values() if o.cabinet_id == cabinet_id and o.rid == srid
        ]
        return min(found, key=lambda o: o.order_id) if found else None

    async def order_counts(self, cabinet_ids: Sequence[UUID], period: Period) -> OrderCounts:
        rows = self._stat_orders(cabinet_ids, period)
        return OrderCounts(len(rows), sum(r.is_cancel for r in rows), sum(r.is_fbw for r in rows))

    async def recent_orders(
        self, cabinet_ids: Sequence[UUID], period: Period, status: OrderStatus | None, limit: int, offset: int
    ) -> Page[OrderLine]:
        rows = self._stat_orders(cabinet_ids, period)
        if status is not None:
            rows = [r for r in rows if r.is_cancel == (status == "canceled")]
        rows.sort(key=lambda r: r.srid)
        rows.sort(key=lambda r: r.date, reverse=True)
        return Page([self._order_line(r) for r in rows[offset : offset + limit]], len(rows))

    async def sales_totals(self, cabinet_ids: Sequence[UUID], period: Period) -> SalesTotals:
        rows = self._sales(cabinet_ids, period)
        buyouts = [r for r in rows if r.kind is SaleKind.SALE]
        returns = [r for r in rows if r.kind is SaleKind.RETURN]
        return SalesTotals(
            buyouts=len(buyouts),
            returns=len(returns),
            buyouts_amount=sum((r.price_with_disc.amount for r in buyouts), Decimal(0)),
            returns_amount=sum((abs(r.price_with_disc.amount) for r in returns), Decimal(0)),
        )

    async def recent_sales(
        self, cabinet_ids: Sequence[UUID], period: Period, type: SaleType | None, limit: int, offset: int
    ) -> Page[SaleLine]:
        kinds = [_KIND[type]] if type is not None else list(_KIND.values())
        rows = [r for r in self._sales(cabinet_ids, period) if r.kind in kinds]
        rows.sort(key=lambda r: r.sale_id)
        rows.sort(key=lambda r: r.date, reverse=True)
        return Page([self._sale_line(r) for r in rows[offset : offset + limit]], len(rows))

    def _order_line(self, r: StatOrder) -> OrderLine:
        fbs = self._fbs(r.cabinet_id, r.srid)
        return OrderLine(
            srid=r.srid,
            fbs_order_id=fbs.order_id if fbs else None,
            date=r.date,
            nm_id=r.nm_id,
            product=(fbs.product_name if fbs else None) or r.subject,
            article=r.supplier_article,
            size=r.tech_size,
            amount=r.price_with_disc.amount,
            warehouse=r.warehouse_name,
            region=r.region_name,
            status="canceled" if r.is_cancel else "active",
        )

    def _sale_line(self, r: Sale) -> SaleLine:
        fbs = self._fbs(r.cabinet_id, r.srid)
        stat = self._store.tables.stat_orders.get((r.cabinet_id, r.srid))
        return SaleLine(
            sale_id=r.sale_id,
            srid=r.srid,
            nm_id=r.nm_id,
            product=(fbs.product_name if fbs else None) or (stat.subject if stat else ""),
            article=r.supplier_article,
            size=stat.tech_size if stat else "",
            amount=r.price_with_disc.amount,
            date=r.date,
            type="buyout" if r.kind is SaleKind.SALE else "return",
        )
