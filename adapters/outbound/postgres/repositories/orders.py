"""FBS orders: bulk upsert of WB-side facts, status updates and the idempotent status history."""

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows, utc, utc_or_none
from adapters.outbound.postgres.tables import order_status_history, orders, stat_orders
from application.ports.sync import OrderStatusUpdate
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import RUB, Address, BuyerAmount, CargoType, Order, StatusChange

SPEC = UpsertSpec(
    orders,
    key=("cabinet_id", "order_id"),
    compare=(
        "order_uid", "rid", "nm_id", "chrt_id", "vendor_code", "product_name", "price", "sale_price",
        "currency_code", "buyer_price", "buyer_sale_price", "warehouse_id", "delivery_type", "is_b2b",
        "cargo_type", "address", "created_at",
    ),
    keep_when_null=("sale_price", "buyer_sale_price"),
)  # fmt: skip

_APPLY_STATUSES = sa.text("""
    UPDATE orders AS o SET supplier_status = COALESCE(u.supplier, o.supplier_status),
        wb_status = COALESCE(u.wb, o.wb_status), status_updated_at = u.changed_at, is_final = u.is_final
    FROM unnest(CAST(:ids AS bigint[]), CAST(:supplier AS text[]), CAST(:wb AS text[]),
                CAST(:changed_at AS timestamptz[]), CAST(:is_final AS boolean[]))
        AS u(order_id, supplier, wb, changed_at, is_final)
    WHERE o.cabinet_id = :cabinet_id AND o.order_id = u.order_id
      AND (o.supplier_status, o.wb_status, o.status_updated_at, o.is_final)
          IS DISTINCT FROM (COALESCE(u.supplier, o.supplier_status), COALESCE(u.wb, o.wb_status),
                            u.changed_at, u.is_final)
    RETURNING o.order_id""")


def _address_json(address: Address | None) -> str | None:
    if address is None:
        return None
    return json.dumps(
        {"full_address": address.full_address, "lon": address.longitude, "lat": address.latitude}
    )


def order_values(o: Order) -> tuple[Any, ...]:
    """One COPY row in SPEC.columns order."""
    cargo = None if o.cargo_type is None else o.cargo_type.value
    sale_price = None if o.sale_price is None else o.sale_price.amount
    buyer_price = None if o.buyer_price is None else o.buyer_price.amount
    buyer_sale = None if o.buyer_sale_price is None else o.buyer_sale_price.amount
    return (
        o.cabinet_id, o.order_id, o.order_uid, o.rid, o.nm_id, o.chrt_id, o.vendor_code, o.product_name,
        o.price.amount, sale_price, o.currency_code, buyer_price, buyer_sale, o.warehouse_id,
        o.delivery_type, o.is_b2b, cargo, _address_json(o.address), o.created_at,
    )  # fmt: skip


def _money(value: Decimal | None) -> Money | None:
    return None if value is None else Money(value)


def _buyer(value: Decimal | None, currency_code: int | None) -> BuyerAmount | None:
    return None if value is None else BuyerAmount(value, currency_code or RUB)


def address_from_json(value: Mapping[str, Any] | None) -> Address | None:
    if value is None:
        return None
    return Address(value.get("full_address"), value.get("lon"), value.get("lat"))


_S = stat_orders.alias("s")
_STATS = (
    _S.c.is_cancel, _S.c.cancel_date, _S.c.finished_price, _S.c.price_with_disc, _S.c.warehouse_name,
    _S.c.region_name, _S.c.last_change_date.label("stats_last_change_date"),
)  # fmt: skip


def orders_with_stats() -> sa.Select:
    """Orders with their statistics side joined by rid = srid (what `order_from_row` reads)."""
    join = orders.outerjoin(_S, sa.and_(_S.c.cabinet_id == orders.c.cabinet_id, _S.c.srid == orders.c.rid))
    return sa.select(orders, *_STATS).select_from(join)


def order_from_row(row: sa.Row) -> Order:
    return Order(
        cabinet_id=row.cabinet_id, order_id=row.order_id, order_uid=row.order_uid, rid=row.rid,
        nm_id=row.nm_id, chrt_id=row.chrt_id, vendor_code=row.vendor_code, price=Money(row.price),
        sale_price=_money(row.sale_price), buyer_price=_buyer(row.buyer_price, row.currency_code),
        buyer_sale_price=_buyer(row.buyer_sale_price, row.currency_code),
        warehouse_id=row.warehouse_id, created_at=utc(row.created_at),
        product_name=row.product_name, delivery_type=row.delivery_type, is_b2b=row.is_b2b,
        cargo_type=None if row.cargo_type is None else CargoType(row.cargo_type),
        address=address_from_json(row.address),
        supplier_status=None if row.supplier_status is None else SupplierStatus(row.supplier_status),
        wb_status=None if row.wb_status is None else WbStatus(row.wb_status),
        status_updated_at=utc_or_none(row.status_updated_at), is_cancel=row.is_cancel,
        cancel_date=utc_or_none(row.cancel_date), finished_price=_money(row.finished_price),
        price_with_disc=_money(row.price_with_disc), warehouse_name=row.warehouse_name,
        region_name=row.region_name, last_change_date=utc_or_none(row.stats_last_change_date),
    )  # fmt: skip


def _history_values(cabinet_id: UUID, change: StatusChange) -> dict[str, Any]:
    return {
        "cabinet_id": cabinet_id,
        "order_id": change.order_id,
        "supplier_status": None if change.supplier is None else change.supplier.value,
        "wb_status": None if change.wb is None else change.wb.value,
        "prev_supplier_status": None if change.previous_supplier is None else change.previous_supplier.value,
        "prev_wb_status": None if change.previous_wb is None else change.previous_wb.value,
        "changed_at": change.changed_at,
    }


class PostgresOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, items: Sequence[Order]) -> int:
        return (await bulk_upsert(self._session, SPEC, (order_values(o) for o in items))).written

    async def get_many(self, cabinet_id: UUID, order_ids: Sequence[int]) -> Mapping[int, Order]:
        stmt = orders_with_stats().where(orders.c.cabinet_id == cabinet_id, orders.c.order_id.in_(order_ids))
        return {row.order_id: order_from_row(row) for row in await self._session.execute(stmt)}

    async def unfinished_ids(self, cabinet_id: UUID, after_id: int, limit: int) -> Sequence[int]:
        stmt = (
            sa.select(orders.c.order_id)
            .where(
                orders.c.cabinet_id == cabinet_id, sa.not_(orders.c.is_final), orders.c.order_id > after_id
            )
            .order_by(orders.c.order_id)
            .limit(limit)
        )
        return list((await self._session.execute(stmt)).scalars())

    async def apply_status_updates(self, cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> int:
        """A side given as None keeps its stored value. Returns orders actually changed."""
        updates = list({u.order_id: u for u in updates}.values())  # the last update per order wins
        if not updates:
            return 0
        params = {
            "cabinet_id": cabinet_id,
            "ids": [u.order_id for u in updates],
            "supplier": [None if u.supplier is None else u.supplier.value for u in updates],
            "wb": [None if u.wb is None else u.wb.value for u in updates],
            "changed_at": [u.changed_at for u in updates],
            "is_final": [u.is_final for u in updates],
        }
        return len((await self._session.execute(_APPLY_STATUSES, params)).all())

    async def add_history(self, cabinet_id: UUID, changes: Sequence[StatusChange]) -> int:
        if not changes:
            return 0
        stmt = (
            insert(order_status_history)
            .on_conflict_do_nothing(constraint="uq_order_status_history_change")
            .returning(order_status_history.c.id)
        )
        rows = [_history_values(cabinet_id, c) for c in changes]
        return len((await self._session.execute(stmt, rows)).all())

    async def history(self, cabinet_id: UUID, order_id: int) -> Sequence[StatusChange]:
        h = order_status_history.c
        stmt = (
            sa.select(order_status_history)
            .where(h.cabinet_id == cabinet_id, h.order_id == order_id)
            .order_by(h.changed_at, h.id)
        )
        return [_change_from_row(row) for row in await self._session.execute(stmt)]

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, orders, cabinet_id)


def _change_from_row(row: sa.Row[Any]) -> StatusChange:
    def supplier(value: str | None) -> SupplierStatus | None:
        return None if value is None else SupplierStatus(value)

    def wb(value: str | None) -> WbStatus | None:
        return None if value is None else WbStatus(value)

    return StatusChange(
        order_id=row.order_id,
        previous_supplier=supplier(row.prev_supplier_status),
        previous_wb=wb(row.prev_wb_status),
        supplier=supplier(row.supplier_status),
        wb=wb(row.wb_status),
        changed_at=utc(row.changed_at),
    )
