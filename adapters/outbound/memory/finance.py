"""In-memory finance repositories: realization report rows by (cabinet_id, rrd_id) and paid storage rows
by their Postgres primary key, with the Postgres adapters' upsert semantics (adapters/outbound/memory/
sync_writes.py: an unchanged row is not written, the last row per key in a call wins)."""

from collections.abc import Sequence
from datetime import date
from typing import cast
from uuid import UUID

from adapters.outbound.memory.identity import Staging
from adapters.outbound.memory.sync_writes import upsert_keyed
from domain.finance import FinanceReportRow, PaidStorageRow


class InMemoryFinanceReportRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def upsert_many(self, rows: Sequence[FinanceReportRow]) -> int:
        write = upsert_keyed("finance_rows", rows, lambda r: (r.cabinet_id, r.rrd_id))
        written, _new = cast(tuple[int, list[object]], self._unit.stage(write))
        return written

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[FinanceReportRow]:
        rows = self._unit.view.finance_rows
        mine = [r for k, r in rows.items() if k[0] == cabinet_id and date_from <= r.date_from <= date_to]
        return sorted(mine, key=lambda r: r.rrd_id)

    async def count(self, cabinet_id: UUID) -> int:
        return sum(1 for k in self._unit.view.finance_rows if k[0] == cabinet_id)


class InMemoryPaidStorageRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def upsert_many(self, rows: Sequence[PaidStorageRow]) -> int:
        write = upsert_keyed("paid_storage", rows, lambda r: r.key)
        written, _new = cast(tuple[int, list[object]], self._unit.stage(write))
        return written

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[PaidStorageRow]:
        rows = self._unit.view.paid_storage
        mine = [r for k, r in rows.items() if k[0] == cabinet_id and date_from <= r.date <= date_to]
        return sorted(mine, key=lambda r: r.key[1:])

    async def count(self, cabinet_id: UUID) -> int:
        return sum(1 for k in self._unit.view.paid_storage if k[0] == cabinet_id)
