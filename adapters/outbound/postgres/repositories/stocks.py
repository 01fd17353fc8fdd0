"""The stock of a cabinet, per size and warehouse: each report updates the rows it lists, and a row it no
longer lists is sold out (kept at zero), never deleted. Beside it, each nm_id's critical-stock level."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows
from adapters.outbound.postgres.tables import stock_alert_levels, stocks
from domain.stocks import StockLevel

SPEC = UpsertSpec(
    stocks,
    key=("cabinet_id", "nm_id", "chrt_id", "warehouse_id"),
    compare=("warehouse_name", "quantity", "in_way_to_client", "in_way_from_client"),
    stamp=("updated_at",),
)
LEVELS = UpsertSpec(
    stock_alert_levels, key=("cabinet_id", "nm_id"), compare=("level",), stamp=("updated_at",)
)

# Rows of the cabinet the new snapshot no longer lists, not yet at zero: WB drops a sold-out row.
_ZERO_VANISHED = sa.text("""
    UPDATE stocks AS t SET quantity = 0, in_way_to_client = 0, in_way_from_client = 0, updated_at = :at
    WHERE t.cabinet_id = :cabinet_id
      AND (t.quantity, t.in_way_to_client, t.in_way_from_client) IS DISTINCT FROM (0, 0, 0)
      AND (t.nm_id, t.chrt_id, t.warehouse_id) NOT IN (
          SELECT * FROM unnest(CAST(:nm AS bigint[]), CAST(:chrt AS bigint[]), CAST(:wh AS bigint[])))""")

_BY_NM = sa.select(stocks.c.nm_id, sa.func.sum(stocks.c.quantity).label("quantity")).group_by(stocks.c.nm_id)


def stock_values(row: StockLevel, at: datetime) -> tuple[Any, ...]:
    # 0 stands for "not given" in the key columns (see the table).
    return (
        row.cabinet_id, row.nm_id, row.chrt_id or 0, row.warehouse_id or 0, row.warehouse_name,
        row.quantity, row.in_way_to_client, row.in_way_from_client, at,
    )  # fmt: skip


class PostgresStockRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def apply_snapshot(self, cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> int:
        mine = [stock_values(r, at) for r in rows if r.cabinet_id == cabinet_id]
        written = (await bulk_upsert(self._session, SPEC, mine)).written if mine else 0
        params = {
            "cabinet_id": cabinet_id,
            "at": at,
            "nm": [v[1] for v in mine],
            "chrt": [v[2] for v in mine],
            "wh": [v[3] for v in mine],
        }
        zeroed = await self._session.execute(_ZERO_VANISHED, params)
        return written + zeroed.rowcount  # type: ignore[attr-defined]

    async def quantities_by_nm(self, cabinet_id: UUID) -> Mapping[int, int]:
        stmt = _BY_NM.where(stocks.c.cabinet_id == cabinet_id)
        return {row.nm_id: int(row.quantity) for row in await self._session.execute(stmt)}

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, stocks, cabinet_id)

    async def alert_levels(self, cabinet_id: UUID) -> Mapping[int, int | None]:
        t = stock_alert_levels
        stmt = sa.select(t.c.nm_id, t.c.level).where(t.c.cabinet_id == cabinet_id)
        return {row.nm_id: row.level for row in await self._session.execute(stmt)}

    async def save_alert_levels(
        self, cabinet_id: UUID, levels: Mapping[int, int | None], at: datetime
    ) -> None:
        rows = [(cabinet_id, nm_id, level, at) for nm_id, level in levels.items()]
        await bulk_upsert(self._session, LEVELS, rows)
