"""finance week rollup: the weekly report's money per article (issue 11, decision 0022)

`GET /v1/analytics/weekly/by-sku` reads a week's revenue and WB's charges per article from here instead of
summing every line of the report per request; the finance repository refreshes the weeks a page touches
in the page's transaction. This migration fills it from the report lines already stored.

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


def downgrade() -> None:
    op.drop_table("finance_week_skus")
