"""The weekly report per article (decision 0022): its money (`finance_week_skus`) and its units to cost per
article and day (`finance_week_units`), recomputed from the report's stored lines for the weeks a write
touched, in the writer's transaction. The sums follow the ledger of
domain/unit_economics/ledger.py: a line's sign by its document type (sale +1, return −1; any other document
counts its for_pay as sent and has no units), the lines without an article (nm_id 0 here) their money only.
A returned unit is costed on the day of the sale it reverses: the statistics sale with its srid stored at
refresh time, else the report's own sale line, else its own day (a statistics sale stored later does not
move it). `tests/integration/test_weekly_sums.py` shows a week read through these tables equals the domain's
sums."""

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
    for first, last in pairs:
        week = {"cabinet_id": cabinet_id, "first": first, "last": last}
        await conn.execute(_DELETE_UNITS, week)
        await conn.execute(_INSERT_UNITS, week)


# One report period of one cabinet (:cabinet_id, :first, :last): the lines whose units need a cost, each
# article's units per cost day. A (nm, day) whose units net to 0 is kept: those units still need a cost.
UNITS_SELECT = f"""
WITH goods AS MATERIALIZED (  -- the lines whose units need a cost, with their own Moscow day
    SELECT r.nm_id, r.srid, l.sign, l.sign * r.quantity AS units,
        COALESCE((r.sale_dt AT TIME ZONE 'Europe/Moscow')::date, r.rr_date, r.date_from) AS own_day
    FROM finance_report_rows AS r, LATERAL (SELECT {SIGN} AS sign) AS l
    WHERE r.cabinet_id = :cabinet_id AND r.date_from = :first AND r.date_to = :last
        AND r.nm_id IS NOT NULL AND COALESCE(r.quantity, 0) <> 0 AND l.sign IS NOT NULL
),
returned AS (SELECT DISTINCT srid FROM goods WHERE sign = -1 AND COALESCE(srid, '') <> ''),
report_sales AS (  -- any sale line of the report names its srid's sale day (with or without units)
    SELECT r.srid,
        min(COALESCE((r.sale_dt AT TIME ZONE 'Europe/Moscow')::date, r.rr_date, r.date_from)) AS day
    FROM finance_report_rows AS r JOIN returned USING (srid)
    WHERE r.cabinet_id = :cabinet_id AND r.date_from = :first AND r.date_to = :last
        AND (r.doc_type_name = 'Продажа' OR lower(btrim(COALESCE(r.doc_type_name, ''))) = 'продажа')
    GROUP BY r.srid
),
sale_days AS (
    SELECT r.srid, COALESCE(
        (SELECT min((s.date AT TIME ZONE 'Europe/Moscow')::date) FROM sales AS s
         WHERE s.cabinet_id = :cabinet_id AND s.srid = r.srid AND s.kind = 'sale'), p.day) AS day
    FROM returned AS r LEFT JOIN report_sales AS p USING (srid)
),
units AS (  -- summed by article and day: one COGS lookup each
    SELECT g.nm_id, CASE WHEN g.sign = -1 THEN COALESCE(d.day, g.own_day) ELSE g.own_day END AS day,
        sum(g.units) AS units
    FROM goods AS g LEFT JOIN sale_days AS d ON g.sign = -1 AND d.srid = g.srid
    GROUP BY 1, 2
)
SELECT CAST(:cabinet_id AS uuid), CAST(:first AS date), CAST(:last AS date), nm_id, day, units FROM units
"""  # noqa: S608 - constants only
_DELETE_UNITS = sa.text(
    "DELETE FROM finance_week_units WHERE cabinet_id = :cabinet_id AND date_from = :first AND date_to = :last"
)
_INSERT_UNITS = sa.text(
    f"INSERT INTO finance_week_units (cabinet_id, date_from, date_to, nm_id, day, units) {UNITS_SELECT}"
)
