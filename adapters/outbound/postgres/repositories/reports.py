"""The order and sales read models (application/ports/reports.py) as SQL aggregates over stat_orders,
orders and sales, each call on its own short read-only connection."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.tables import orders, sales, stat_orders
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
from domain.stat_orders import FBW_WAREHOUSE_TYPE

_KIND = {"buyout": "sale", "return": "return"}
ZERO = Decimal("0")


def _fbs(column: sa.ColumnElement[Any], cabinet: sa.ColumnElement[Any], srid: sa.ColumnElement[Any]) -> Any:
    """One column of the FBS order with this srid (the lowest order id, should WB ever repeat a rid)."""
    o = orders.c
    return (
        sa.select(column).where(o.cabinet_id == cabinet, o.rid == srid).order_by(o.order_id).limit(1)
    ).scalar_subquery()


def _stat(column: sa.ColumnElement[Any], cabinet: sa.ColumnElement[Any], srid: sa.ColumnElement[Any]) -> Any:
    return (
        sa.select(column).where(stat_orders.c.cabinet_id == cabinet, stat_orders.c.srid == srid).limit(1)
    ).scalar_subquery()


class PostgresReports:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, stmt: Any) -> Sequence[Any]:
        async with self._engine.connect() as conn:
            return (await conn.execute(stmt)).all()

    async def order_counts(self, cabinet_ids: Sequence[UUID], period: Period) -> OrderCounts:
        c = stat_orders.c
        stmt = sa.select(
            sa.func.count(),
            sa.func.count().filter(c.is_cancel),
            sa.func.count().filter(c.warehouse_type == FBW_WAREHOUSE_TYPE),
        ).where(*_orders_in(cabinet_ids, period))
        total, canceled, fbw = (await self._rows(stmt))[0]
        return OrderCounts(total=total, canceled=canceled, fbw=fbw)

    async def recent_orders(
        self, cabinet_ids: Sequence[UUID], period: Period, status: OrderStatus | None, limit: int, offset: int
    ) -> Page[OrderLine]:
        c = stat_orders.c
        where = [*_orders_in(cabinet_ids, period)]
        if status is not None:
            where.append(c.is_cancel if status == "canceled" else sa.not_(c.is_cancel))
        total = sa.select(sa.func.count()).select_from(stat_orders).where(*where).scalar_subquery()
        stmt = (
            sa.select(
                c.srid,
                c.date,
                c.nm_id,
                c.supplier_article,
                c.tech_size,
                c.subject,
                c.price_with_disc,
                c.warehouse_name,
                c.region_name,
                c.is_cancel,
                total.label("total"),
                _fbs(orders.c.order_id, c.cabinet_id, c.srid).label("fbs_order_id"),
                _fbs(orders.c.product_name, c.cabinet_id, c.srid).label("product_name"),
            )
            .where(*where)
            .order_by(c.date.desc(), c.srid)
            .limit(limit)
            .offset(offset)
        )
        rows = await self._rows(stmt)
        count = rows[0].total if rows else await self._count(stat_orders, where)
        return Page(items=[_order_line(r) for r in rows], total=count)

    async def sales_totals(self, cabinet_ids: Sequence[UUID], period: Period) -> SalesTotals:
        c = sales.c
        amount = sa.func.coalesce(c.price_with_disc, 0)
        stmt = sa.select(
            sa.func.count().filter(c.kind == "sale"),
            sa.func.count().filter(c.kind == "return"),
            sa.func.coalesce(sa.func.sum(amount).filter(c.kind == "sale"), 0),
            sa.func.coalesce(sa.func.sum(sa.func.abs(amount)).filter(c.kind == "return"), 0),
        ).where(*_sales_in(cabinet_ids, period))
        buyouts, returns, buyouts_amount, returns_amount = (await self._rows(stmt))[0]
        return SalesTotals(buyouts, returns, Decimal(buyouts_amount), Decimal(returns_amount))

    async def recent_sales(
        self, cabinet_ids: Sequence[UUID], period: Period, type: SaleType | None, limit: int, offset: int
    ) -> Page[SaleLine]:
        c = sales.c
        kinds = [_KIND[type]] if type is not None else list(_KIND.values())
        where = [*_sales_in(cabinet_ids, period), c.kind.in_(kinds)]
        total = sa.select(sa.func.count()).select_from(sales).where(*where).scalar_subquery()
        stmt = (
            sa.select(
                c.sale_id,
                c.srid,
                c.nm_id,
                c.supplier_article,
                c.price_with_disc,
                c.date,
                c.kind,
                sa.func.coalesce(
                    sa.func.nullif(_fbs(orders.c.product_name, c.cabinet_id, c.srid), ""),
                    sa.func.nullif(_stat(stat_orders.c.subject, c.cabinet_id, c.srid), ""),
                    sa.func.nullif(c.subject, ""),
                ).label("product"),
                sa.func.coalesce(_stat(stat_orders.c.tech_size, c.cabinet_id, c.srid), c.tech_size).label(
                    "size"
                ),
                total.label("total"),
            )
            .where(*where)
            .order_by(c.date.desc(), c.sale_id)
            .limit(limit)
            .offset(offset)
        )
        rows = await self._rows(stmt)
        count = rows[0].total if rows else await self._count(sales, where)
        return Page(items=[_sale_line(r) for r in rows], total=count)

    async def _count(self, table: sa.Table, where: list[Any]) -> int:
        rows = await self._rows(sa.select(sa.func.count()).select_from(table).where(*where))
        return int(rows[0][0])


def _orders_in(cabinet_ids: Sequence[UUID], period: Period) -> list[Any]:
    c = stat_orders.c
    return [c.cabinet_id.in_(list(cabinet_ids)), c.date >= period.start, c.date < period.end]


def _sales_in(cabinet_ids: Sequence[UUID], period: Period) -> list[Any]:
    c = sales.c
    return [c.cabinet_id.in_(list(cabinet_ids)), c.date >= period.start, c.date < period.end]


def _order_line(r: sa.Row[Any]) -> OrderLine:
    return OrderLine(
        srid=r.srid,
        fbs_order_id=r.fbs_order_id,
        date=r.date,
        nm_id=r.nm_id or 0,
        product=r.product_name or r.subject or "",
        article=r.supplier_article or "",
        size=r.tech_size or "",
        amount=r.price_with_disc if r.price_with_disc is not None else ZERO,
        warehouse=r.warehouse_name or "",
        region=r.region_name or "",
        status="canceled" if r.is_cancel else "active",
    )


def _sale_line(r: sa.Row[Any]) -> SaleLine:
    return SaleLine(
        sale_id=r.sale_id,
        srid=r.srid,
        nm_id=r.nm_id or 0,
        product=r.product or "",
        article=r.supplier_article or "",
        size=r.size or "",
        amount=r.price_with_disc if r.price_with_disc is not None else ZERO,
        date=r.date,
        type="buyout" if r.kind == "sale" else "return",
    )
