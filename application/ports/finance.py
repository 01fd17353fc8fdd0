"""Finance ports: WB's weekly realization report rows and the paid storage report, as the sync stores them.

Both are upserted by WB's own keys (a report row by `rrd_id`, a paid storage row by its date, warehouse,
SKU, size and barcode), so a re-sync writes nothing twice; a row whose facts are unchanged is not touched.
"""

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from domain.finance import FinanceReportRow, PaidStorageRow


class FinanceReportRepository(Protocol):
    """Realization report rows, keyed (cabinet_id, rrd_id). Storno and correction rows are rows of their
    own (their own rrd_id): nothing is merged or netted here (docs/metrics.md, "Finance report rows")."""

    async def upsert_many(self, rows: Sequence[FinanceReportRow]) -> int:
        """Insert new rows, rewrite changed ones; returns rows actually written (0 for a re-read page).
        The last row per rrd_id in one call wins. Idempotent."""
        ...

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[FinanceReportRow]:
        """The rows of every report whose period starts within [date_from, date_to], by rrd_id. Read-only."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many report rows the cabinet holds."""
        ...


class PaidStorageRepository(Protocol):
    """Paid storage per day, warehouse and size, keyed (cabinet_id, date, office_id, nm_id, chrt_id,
    barcode)."""

    async def upsert_many(self, rows: Sequence[PaidStorageRow]) -> int:
        """Insert new rows, rewrite changed ones (WB recalculates a day now and then); returns rows
        actually written. The last row per key in one call wins. Idempotent."""
        ...

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[PaidStorageRow]:
        """The rows dated within [date_from, date_to], by date, office, nm_id, chrt_id. Read-only."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many paid storage rows the cabinet holds."""
        ...
