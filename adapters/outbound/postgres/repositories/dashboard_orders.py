"""The dashboard's orders (application/ports/dashboard.py): FBS orders from `orders`, FBW orders from
`stat_orders` (WB's own warehouses), one SQL statement per call on its own short connection."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

import attrs
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.repositories._common import utc, utc_or_none
from adapters.outbound.postgres.repositories.orders import address_from_json
from adapters.outbound.postgres.tables import (
    order_rollup_days,
    order_rollup_sku_days,
    order_status_history,
    orders,
    stat_orders,
)
from application.ports.dashboard import (
    DashboardOrder,
    DashboardOrderDetail,
    OrderFilter,
    SortBy,
    SortOrder,
    StatusEntry,
)
from application.ports.reports import Page
from domain.moscow_time import moscow_day
from domain.stat_orders import FBW_WAREHOUSE_TYPE


def _fbs(where: OrderFilter, cabinet_id: UUID) -> sa.Select[Any]:
    o, st = orders.c, stat_orders.c
    # docs/metrics.md: statistics' totalPrice / priceWithDisc once the order's row is there, else the FBS
    # salePrice in roubles, else its convertedPrice.
    price = sa.func.coalesce(st.total_price, o.sale_price, o.price)
    sale_price = sa.func.coalesce(st.price_with_disc, o.sale_price, o.price)
    stmt = (
        sa.select(
            sa.cast(o.order_id, sa.Text).label("order_id"),
            o.order_uid.label("order_uid"),
            o.rid.label("srid"),
            o.nm_id.label("nm_id"),
            o.vendor_code.label("vendor_code"),
            o.product_name.label("product_name"),
            price.label("price"),
            sale_price.label("sale_price"),
            o.supplier_status.label("supplier_status"),
            o.wb_status.label("wb_status"),
            o.warehouse_id.label("warehouse_id"),
            sa.cast(sa.null(), sa.Text).label("warehouse_name"),
            sa.literal("fbs").label("delivery_type"),
            o.is_b2b.label("is_b2b"),
            o.cargo_type.label("cargo_type"),
            o.created_at.label("created_at"),
            o.status_updated_at.label("status_updated_at"),
            sa.func.lpad(sa.cast(o.order_id, sa.Text), 20, "0").label("sort_key"),
            o.order_id.label("order_num"),
        )
        .select_from(orders.outerjoin(stat_orders, (st.cabinet_id == o.cabinet_id) & (st.srid == o.rid)))
        .where(o.cabinet_id == cabinet_id)
    )
    if where.period is not None:
        stmt = stmt.where(o.created_at >= where.period.start, o.created_at < where.period.end)
    if where.supplier_status is not None:
        stmt = stmt.where(o.supplier_status == where.supplier_status)
    if where.wb_status is not None:
        stmt = stmt.where(o.wb_status == where.wb_status)
    if where.nm_id is not None:
        stmt = stmt.where(o.nm_id == where.nm_id)
    return stmt


def _fbw(where: OrderFilter, cabinet_id: UUID) -> sa.Select[Any]:
    s = stat_orders.c
    supplier = sa.case((s.is_cancel, sa.literal("cancel")), else_=sa.null())
    wb = sa.case((s.is_cancel, sa.literal("canceled")), else_=sa.null())
    stmt = sa.select(
        s.srid.label("order_id"),
        s.g_number.label("order_uid"),
        s.srid.label("srid"),
        s.nm_id.label("nm_id"),
        s.supplier_article.label("vendor_code"),
        sa.func.nullif(
            sa.func.concat_ws(" ", sa.func.nullif(s.subject, ""), sa.func.nullif(s.brand, "")), ""
        ).label("product_name"),
        s.total_price.label("price"),
        s.price_with_disc.label("sale_price"),
        supplier.label("supplier_status"),
        wb.label("wb_status"),
        sa.cast(sa.null(), sa.BigInteger).label("warehouse_id"),
        s.warehouse_name.label("warehouse_name"),
        sa.literal("fbw").label("delivery_type"),
        sa.false().label("is_b2b"),
        sa.cast(sa.null(), sa.Text).label("cargo_type"),
        s.date.label("created_at"),
        sa.case((s.is_cancel, sa.func.coalesce(s.cancel_date, s.last_change_date)), else_=sa.null()).label(
            "status_updated_at"
        ),
        sa.literal("~").op("||")(s.srid).label("sort_key"),  # after every FBS id in a tie
        sa.cast(sa.null(), sa.BigInteger).label("order_num"),
    ).where(s.cabinet_id == cabinet_id, s.warehouse_type == FBW_WAREHOUSE_TYPE)
    if where.period is not None:
        stmt = stmt.where(s.date >= where.period.start, s.date < where.period.end)
    if where.supplier_status is not None:
        stmt = stmt.where(supplier == where.supplier_status)
    if where.wb_status is not None:
        stmt = stmt.where(wb == where.wb_status)
    if where.nm_id is not None:
        stmt = stmt.where(s.nm_id == where.nm_id)
    return stmt


def _order(row: sa.Row[Any]) -> DashboardOrder:
    fields = {f: getattr(row, f) for f in _FIELDS}
    fields["created_at"] = utc(row.created_at)
    fields["status_updated_at"] = utc_or_none(row.status_updated_at)
    return DashboardOrder(**fields)


_FIELDS = [a.name for a in attrs.fields(DashboardOrder)]


class PostgresDashboardOrders:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def list_orders(
        self,
        cabinet_id: UUID,
        where: OrderFilter,
        sort_by: SortBy,
        sort_order: SortOrder,
        limit: int,
        offset: int,
    ) -> Page[DashboardOrder]:
        parts = [
            build(where, cabinet_id)
            for kind, build in (("fbs", _fbs), ("fbw", _fbw))
            if kind in where.deliveries
        ]
        rows = parts[0] if len(parts) == 1 else sa.union_all(*parts)
        sub = rows.subquery("o")
        key = sub.c[sort_by]
        # Ties by the order's own key where one kind is listed (the index on (cabinet_id, created_at) then
        # serves a page without sorting the cabinet's orders); by the text key across both kinds.
        if len(parts) > 1:
            tie = sub.c.sort_key
        else:
            tie = {"fbs": sub.c.order_num, "fbw": sub.c.srid}[next(iter(where.deliveries))]
        nullable = sort_by != "created_at"
        if sort_order == "desc":
            order = [key.desc().nulls_last() if nullable else key.desc(), tie.desc()]
        else:
            order = [key.asc().nulls_last() if nullable else key.asc(), tie.asc()]
        page = sa.select(sub).order_by(*order).limit(limit).offset(offset)
        async with self._engine.connect() as conn:
            items = [_order(row) for row in await conn.execute(page)]
            count = await self._total(conn, cabinet_id, where, sub)
        return Page(items, count)

    async def _total(self, conn: Any, cabinet_id: UUID, where: OrderFilter, sub: Any) -> int:
        """How many orders match: from the day rollups (kept current with the orders in the same
        transactions, decision 0015) when the filter is one they count by, else by counting the rows."""
        if where.wb_status is not None or (where.nm_id is not None and where.supplier_status is not None):
            return int((await conn.execute(sa.select(sa.func.count()).select_from(sub))).scalar_one())
        table = order_rollup_sku_days if where.nm_id is not None else order_rollup_days
        r = table.c
        column = r.orders if where.supplier_status is None else r[f"status_{where.supplier_status}"]
        stmt = sa.select(sa.func.coalesce(sa.func.sum(column), 0)).where(
            r.cabinet_id == cabinet_id, r.delivery.in_(sorted(where.deliveries))
        )
        if where.nm_id is not None:
            stmt = stmt.where(r.nm_id == where.nm_id)
        if where.period is not None:
            first, last = (
                moscow_day(where.period.start),
                moscow_day(where.period.end - timedelta(microseconds=1)),
            )
            stmt = stmt.where(r.day >= first, r.day <= last)
        return int((await conn.execute(stmt)).scalar_one())

    async def get_order(self, cabinet_id: UUID, order_id: str) -> DashboardOrderDetail | None:
        async with self._engine.connect() as conn:
            if order_id.isdigit() and len(order_id) <= 18:
                return await self._fbs_detail(conn, cabinet_id, int(order_id))
            where = OrderFilter(deliveries=frozenset({"fbw"}))
            stmt = (
                _fbw(where, cabinet_id)
                .add_columns(stat_orders.c.synced_at)
                .where(stat_orders.c.srid == order_id)
            )
            row = (await conn.execute(stmt)).first()
            if row is None:
                return None
            order = _order(row)
            history = [StatusEntry(None, None, order.created_at)]
            if order.status_updated_at is not None:
                history.append(StatusEntry("cancel", "canceled", order.status_updated_at))
            return DashboardOrderDetail(order, None, None, history, utc_or_none(row.synced_at))

    async def _fbs_detail(self, conn: Any, cabinet_id: UUID, order_id: int) -> DashboardOrderDetail | None:
        o = orders.c
        where = OrderFilter(deliveries=frozenset({"fbs"}))
        stmt = (
            _fbs(where, cabinet_id)
            .add_columns(o.chrt_id, o.address, o.synced_at)
            .where(o.order_id == order_id)
        )
        row = (await conn.execute(stmt)).first()
        if row is None:
            return None
        h = order_status_history.c
        changes = (
            await conn.execute(
                sa.select(
                    h.prev_supplier_status, h.prev_wb_status, h.supplier_status, h.wb_status, h.changed_at
                )
                .where(h.cabinet_id == cabinet_id, h.order_id == order_id)
                .order_by(h.changed_at, h.id)
            )
        ).all()
        order = _order(row)
        return DashboardOrderDetail(
            order,
            row.chrt_id,
            address_from_json(row.address),
            _history(order, changes),
            utc_or_none(row.synced_at),
        )


def _history(order: DashboardOrder, changes: Sequence[Any]) -> list[StatusEntry]:
    """The statuses from creation on: the state before the first recorded change (at creation), then each
    change; an order never changed since we first saw it has its current statuses at creation."""
    if not changes:
        return [StatusEntry(order.supplier_status, order.wb_status, order.created_at)]
    entries = []
    first = changes[0]
    if first.prev_supplier_status is not None or first.prev_wb_status is not None:
        entries.append(StatusEntry(first.prev_supplier_status, first.prev_wb_status, order.created_at))
    entries += [StatusEntry(c.supplier_status, c.wb_status, utc(c.changed_at)) for c in changes]
    return entries
