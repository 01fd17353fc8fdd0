"""Statistics orders (keyed by srid) and sales (keyed by sale_id), both by the COPY bulk path."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows
from adapters.outbound.postgres.tables import sales, stat_orders
from domain.sales import Sale
from domain.stat_orders import StatOrder

STAT_SPEC = UpsertSpec(
    stat_orders,
    key=("cabinet_id", "srid"),
    compare=(
        "date", "last_change_date", "nm_id", "supplier_article", "barcode", "tech_size", "brand",
        "category", "subject", "warehouse_name", "warehouse_type", "country_name", "oblast_okrug_name",
        "region_name", "income_id", "is_supply", "is_realization", "total_price", "discount_percent", "spp",
        "finished_price", "price_with_disc", "is_cancel", "cancel_date", "sticker", "g_number",
    ),
)  # fmt: skip

SALE_SPEC = UpsertSpec(
    sales,
    key=("cabinet_id", "sale_id"),
    compare=(
        "srid", "kind", "nm_id", "supplier_article", "barcode", "date", "last_change_date", "total_price",
        "discount_percent", "spp", "for_pay", "finished_price", "price_with_disc", "warehouse_name",
        "region_name", "is_cancel", "cancel_date",
    ),
)  # fmt: skip


def stat_order_values(r: StatOrder) -> tuple[Any, ...]:
    return (
        r.cabinet_id, r.srid, r.date, r.last_change_date, r.nm_id, r.supplier_article, r.barcode,
        r.tech_size, r.brand, r.category, r.subject, r.warehouse_name, r.warehouse_type, r.country_name,
        r.oblast_okrug_name, r.region_name, r.income_id, r.is_supply, r.is_realization,
        r.total_price.amount, r.discount_percent, r.spp, r.finished_price.amount, r.price_with_disc.amount,
        r.is_cancel, r.cancel_date, r.sticker, r.g_number,
    )  # fmt: skip


def sale_values(s: Sale) -> tuple[Any, ...]:
    return (
        s.cabinet_id, s.sale_id, s.srid, s.kind.value, s.nm_id, s.supplier_article, s.barcode, s.date,
        s.last_change_date, s.total_price.amount, s.discount_percent, s.spp, s.for_pay.amount,
        s.finished_price.amount, s.price_with_disc.amount, s.warehouse_name, s.region_name, s.is_cancel,
        s.cancel_date,
    )  # fmt: skip


class PostgresStatOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[StatOrder]) -> int:
        """Rows of stat_orders written (an unchanged row is not rewritten)."""
        return (await bulk_upsert(self._session, STAT_SPEC, (stat_order_values(r) for r in rows))).written

    async def cancel_flags(self, cabinet_id: UUID, srids: Sequence[str]) -> Mapping[str, bool]:
        if not srids:
            return {}
        c = stat_orders.c
        stmt = sa.select(c.srid, c.is_cancel).where(c.cabinet_id == cabinet_id, c.srid.in_(list(srids)))
        return {row.srid: bool(row.is_cancel) for row in await self._session.execute(stmt)}

    async def order_counts_by_nm(self, cabinet_id: UUID, since: datetime) -> Mapping[int, int]:
        c = stat_orders.c
        stmt = (
            sa.select(c.nm_id, sa.func.count().label("n"))
            .where(c.cabinet_id == cabinet_id, c.date >= since, sa.not_(c.is_cancel), c.nm_id.is_not(None))
            .group_by(c.nm_id)
        )
        return {row.nm_id: row.n for row in await self._session.execute(stmt)}

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, stat_orders, cabinet_id)


class PostgresSaleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[Sale]) -> Sequence[str]:
        return (await bulk_upsert(self._session, SALE_SPEC, (sale_values(s) for s in rows))).new_keys

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, sales, cabinet_id)
