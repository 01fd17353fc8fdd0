"""finance week rollup: the weekly report's money and units to cost per article (issue 11, decision 0022)

`GET /v1/analytics/weekly/by-sku` reads a week's revenue and WB's charges per article from here instead of
summing every line of the report per request, and its units to cost per article and day; the finance
repository refreshes the weeks a page touches in the page's transaction. This migration fills both from the
report lines already stored (the units week by week, with the refresh's own statement).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = ("gross", "net", "logistics", "storage", "penalties", "other")
# The sums of adapters/outbound/postgres/repositories/finance_weeks.py as they stand at this revision.
_BACKFILL = """
INSERT INTO finance_week_skus (cabinet_id, date_from, date_to, nm_id, units, gross, net, logistics, storage,
    penalties, other)
SELECT r.cabinet_id, r.date_from, r.date_to, COALESCE(r.nm_id, 0) AS nm_id,
    COALESCE(sum(l.sign * COALESCE(r.quantity, 0)), 0) AS units,
    COALESCE(sum(l.sign * COALESCE(r.retail_price_with_disc, 0)), 0) AS gross,
    sum(COALESCE(l.sign, 1) * COALESCE(r.for_pay, 0) + COALESCE(r.additional_payment, 0)) AS net,
    sum(COALESCE(r.delivery_service, 0)) AS logistics, sum(COALESCE(r.paid_storage, 0)) AS storage,
    sum(COALESCE(r.penalty, 0)) AS penalties,
    sum(COALESCE(r.paid_acceptance, 0) + COALESCE(r.deduction, 0)) AS other
FROM finance_report_rows AS r, LATERAL (SELECT CASE WHEN r.nm_id IS NULL THEN NULL
    WHEN r.doc_type_name = 'Продажа' THEN 1 WHEN r.doc_type_name = 'Возврат' THEN -1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'продажа' THEN 1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'возврат' THEN -1 END AS sign) AS l
GROUP BY r.cabinet_id, r.date_from, r.date_to, COALESCE(r.nm_id, 0)
"""

# The units of finance_weeks.py's UNITS_SELECT as they stand at this revision (one cabinet's week).
_UNITS = """WITH goods AS MATERIALIZED (  -- the lines whose units need a cost, with their own Moscow day
    SELECT r.nm_id, r.srid, l.sign, l.sign * r.quantity AS units,
        COALESCE((r.sale_dt AT TIME ZONE 'Europe/Moscow')::date, r.rr_date, r.date_from) AS own_day
    FROM finance_report_rows AS r, LATERAL (SELECT CASE WHEN r.nm_id IS NULL THEN NULL
    WHEN r.doc_type_name = 'Продажа' THEN 1 WHEN r.doc_type_name = 'Возврат' THEN -1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'продажа' THEN 1
    WHEN lower(btrim(COALESCE(r.doc_type_name, ''))) = 'возврат' THEN -1 END AS sign) AS l
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
"""


def upgrade() -> None:
    op.create_table(
        "finance_week_skus",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.Numeric(precision=20, scale=4), nullable=False) for name in _MONEY),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_finance_week_skus_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cabinet_id", "date_from", "date_to", "nm_id", name=op.f("pk_finance_week_skus")
        ),
    )
    op.execute(_BACKFILL)
    op.create_table(
        "finance_week_units",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_finance_week_units_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cabinet_id", "date_from", "date_to", "nm_id", "day", name=op.f("pk_finance_week_units")
        ),
    )
    bind = op.get_bind()
    weeks = bind.execute(sa.text("SELECT DISTINCT cabinet_id, date_from, date_to FROM finance_report_rows"))
    insert = sa.text(
        "INSERT INTO finance_week_units (cabinet_id, date_from, date_to, nm_id, day, units) " + _UNITS
    )
    for cabinet_id, first, last in list(weeks):
        bind.execute(insert, {"cabinet_id": cabinet_id, "first": first, "last": last})


def downgrade() -> None:
    op.drop_table("finance_week_units")
    op.drop_table("finance_week_skus")
