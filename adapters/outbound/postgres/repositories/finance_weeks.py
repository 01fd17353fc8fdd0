"""The weekly report's money per article (`finance_week_skus`, decision 0022), recomputed from the report's
stored lines for the weeks a write touched, in the writer's transaction. The sums follow the ledger of
domain/unit_economics/ledger.py: a line's sign by its document type (sale +1, return −1; any other document
counts its for_pay as sent and has no units), the lines without an article (nm_id 0 here) their money only.
`tests/integration/test_weekly_sums.py` shows the week read through this table equals the domain's sums."""

from collections.abc import Iterable
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

SIGN = """CASE WHEN r.nm_id IS NULL THEN NULL
    WHEN r.doc_type_name = 'Продажа' THEN 1 WHEN r.doc_type_name = 'Возврат' THEN -1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'продажа' THEN 1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'возврат' THEN -1 END"""

# For one cabinet's weeks (the arrays pair date_from[i] with date_to[i]); also the migration's backfill
# (without the cabinet and week filter).
SUMS_SELECT = f"""
SELECT r.cabinet_id, r.date_from, r.date_to, COALESCE(r.nm_id, 0) AS nm_id,
    COALESCE(sum(l.sign * COALESCE(r.quantity, 0)), 0) AS units,
    COALESCE(sum(l.sign * COALESCE(r.retail_price_with_disc, 0)), 0) AS gross,
    sum(COALESCE(l.sign, 1) * COALESCE(r.for_pay, 0) + COALESCE(r.additional_payment, 0)) AS net,
    sum(COALESCE(r.delivery_service, 0)) AS logistics, sum(COALESCE(r.paid_storage, 0)) AS storage,
    sum(COALESCE(r.penalty, 0)) AS penalties,
    sum(COALESCE(r.paid_acceptance, 0) + COALESCE(r.deduction, 0)) AS other
FROM finance_report_rows AS r, LATERAL (SELECT {SIGN} AS sign) AS l
{{where}}
GROUP BY r.cabinet_id, r.date_from, r.date_to, COALESCE(r.nm_id, 0)
"""  # noqa: S608 - constants only

_WEEKS = "(r.date_from, r.date_to) IN (SELECT * FROM unnest(CAST(:froms AS date[]), CAST(:tos AS date[])))"
_DELETE = sa.text("DELETE FROM finance_week_skus AS r WHERE r.cabinet_id = :cabinet_id AND " + _WEEKS)  # noqa: S608
_COLUMNS = "cabinet_id, date_from, date_to, nm_id, units, gross, net, logistics, storage, penalties, other"
_FOR_WEEKS = SUMS_SELECT.format(where="WHERE r.cabinet_id = :cabinet_id AND " + _WEEKS)
_INSERT = sa.text(f"INSERT INTO finance_week_skus ({_COLUMNS}) {_FOR_WEEKS}")


async def refresh_finance_weeks(
    conn: AsyncSession | AsyncConnection, cabinet_id: UUID, weeks: Iterable[tuple[date, date]]
) -> None:
    """Recompute the rollup of these (date_from, date_to) report periods of the cabinet from its lines."""
    pairs = sorted(set(weeks))
    if not pairs:
        return
    args = {"cabinet_id": cabinet_id, "froms": [p[0] for p in pairs], "tos": [p[1] for p in pairs]}
    await conn.execute(_DELETE, args)
    await conn.execute(_INSERT, args)
