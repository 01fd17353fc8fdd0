"""The stock snapshot of a cabinet: replaced as a whole by each stocks report."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows
from adapters.outbound.postgres.tables import stocks
from domain.stocks import StockLevel

SPEC = UpsertSpec(
    stocks,
    key=("cabinet_id", "nm_id", "chrt_id", "warehouse_id"),
    compare=("warehouse_name", "quantity", "in_way_to_client", "in_way_from_client"),
    stamp=("updated_at",),
)

# Rows of the cabinet the new snapshot no longer has (the staging table holds the snapshot).
_DELETE_VANISHED = sa.text("""
    DELETE FROM stocks AS t WHERE t.cabinet_id = :cabinet_id AND NOT EXISTS (
        SELECT 1 FROM stage_stocks AS s WHERE (s.cabinet_id, s.nm_id, s.chrt_id, s.warehouse_id)
            = (t.cabinet_id, t.nm_id, t.chrt_id, t.warehouse_id))""")


def stock_values(row: StockLevel, at: datetime) -> tuple[Any, ...]:
    # 0 stands for "not given" in the key columns (see the table).
    return (
        row.cabinet_id, row.nm_id, row.chrt_id or 0, row.warehouse_id or 0, row.warehouse_name,
        row.quantity, row.in_way_to_client, row.in_way_from_client, at,
    )  # fmt: skip


class PostgresStockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def replace_all(self, cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> int:
        mine = [stock_values(r, at) for r in rows if r.cabinet_id == cabinet_id]
        if not mine:
            stmt = sa.delete(stocks).where(stocks.c.cabinet_id == cabinet_id)
            return (await self._session.execute(stmt)).rowcount  # type: ignore[attr-defined]
        written = await bulk_upsert(self._session, SPEC, mine)
        removed = await self._session.execute(_DELETE_VANISHED, {"cabinet_id": cabinet_id})
        return written.written + removed.rowcount  # type: ignore[attr-defined]

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, stocks, cabinet_id)
