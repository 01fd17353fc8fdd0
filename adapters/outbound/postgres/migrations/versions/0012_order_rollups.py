"""order rollups (dashboard issue, part 5): orders by Moscow day, hour and article, per delivery (FBS/FBW)

The dashboard's analytics read these instead of aggregating orders per request (decision 0015). The sync
keeps them current in its own transactions; this migration fills them once from the rows already stored,
with the definitions of docs/metrics.md ("Dashboard analytics") as they stand at this revision.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DELIVERY = "delivery IN ('fbs', 'fbw')"
_DAY_COUNTS = (
    "orders", "cancelled", "b2b", "returns", "status_new", "status_confirm", "status_complete",
    "status_cancel", "status_cancel_carrier", "status_unknown",
)  # fmt: skip


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False)


def _keys(table: str, *columns: sa.Column) -> list[Any]:
    return [
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *columns,
        sa.Column("delivery", sa.Text(), nullable=False),
        sa.CheckConstraint(_DELIVERY, name=op.f(f"ck_{table}_delivery")),
        sa.ForeignKeyConstraint(
            ["cabinet_id"], ["cabinets.id"], name=op.f(f"fk_{table}_cabinet_id_cabinets"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "order_rollup_days",
        *_keys("order_rollup_days"),
        *(_count(c) for c in _DAY_COUNTS[:3]),
        _money("revenue"),
        *(_count(c) for c in _DAY_COUNTS[3:]),
        sa.PrimaryKeyConstraint("cabinet_id", "day", "delivery", name=op.f("pk_order_rollup_days")),
    )
    op.create_table(
        "order_rollup_hours",
        *_keys("order_rollup_hours", sa.Column("hour", sa.SmallInteger(), nullable=False)),
        _count("orders"),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_order_rollup_hours_hour")),
        sa.PrimaryKeyConstraint("cabinet_id", "day", "hour", "delivery", name=op.f("pk_order_rollup_hours")),
    )
    op.create_table(
        "order_rollup_sku_days",
        *_keys("order_rollup_sku_days", sa.Column("nm_id", sa.BigInteger(), nullable=False)),
        _count("orders"),
        _count("cancelled"),
        _money("revenue"),
        sa.PrimaryKeyConstraint(
            "cabinet_id", "day", "nm_id", "delivery", name=op.f("pk_order_rollup_sku_days")
        ),
    )
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("order_rollup_sku_days")
    op.drop_table("order_rollup_hours")
    op.drop_table("order_rollup_days")


# The rows already stored, as the sync would have rolled them up (a frozen copy of the definitions in
# adapters/outbound/postgres/repositories/rollup_sql.py at this revision).
_FACTS = """
CREATE TEMPORARY TABLE rollup_facts ON COMMIT DROP AS
SELECT o.cabinet_id, (o.created_at AT TIME ZONE 'Europe/Moscow')::date AS day,
    EXTRACT(HOUR FROM o.created_at AT TIME ZONE 'Europe/Moscow')::smallint AS hour, 'fbs' AS delivery,
    o.nm_id, (COALESCE(o.supplier_status IN ('cancel', 'cancel_carrier'), false)
      OR COALESCE(o.wb_status IN ('canceled', 'canceled_by_client', 'declined_by_client', 'defect',
                                  'canceled_by_carrier'), false)
      OR COALESCE(s.is_cancel, false)) AS cancelled,
    o.is_b2b AS b2b, COALESCE(s.price_with_disc, o.sale_price, o.price) AS amount, o.supplier_status AS status
FROM orders AS o LEFT JOIN stat_orders AS s ON s.cabinet_id = o.cabinet_id AND s.srid = o.rid
UNION ALL
SELECT s.cabinet_id, (s.date AT TIME ZONE 'Europe/Moscow')::date,
    EXTRACT(HOUR FROM s.date AT TIME ZONE 'Europe/Moscow')::smallint, 'fbw', s.nm_id, s.is_cancel, false,
    s.price_with_disc, CASE WHEN s.is_cancel THEN 'cancel' END
FROM stat_orders AS s WHERE s.warehouse_type = 'Склад WB'"""

_DAYS = """
INSERT INTO order_rollup_days (cabinet_id, day, delivery, orders, cancelled, b2b, revenue, returns,
    status_new, status_confirm, status_complete, status_cancel, status_cancel_carrier, status_unknown)
SELECT cabinet_id, day, delivery, COALESCE(f.orders, 0), COALESCE(f.cancelled, 0), COALESCE(f.b2b, 0),
    COALESCE(f.revenue, 0), COALESCE(r.returns, 0), COALESCE(f.st_new, 0), COALESCE(f.st_confirm, 0),
    COALESCE(f.st_complete, 0), COALESCE(f.st_cancel, 0), COALESCE(f.st_carrier, 0), COALESCE(f.st_unknown, 0)
FROM (
    SELECT cabinet_id, day, delivery, count(*) AS orders, count(*) FILTER (WHERE cancelled) AS cancelled,
        count(*) FILTER (WHERE b2b) AS b2b, COALESCE(sum(amount) FILTER (WHERE NOT cancelled), 0) AS revenue,
        count(*) FILTER (WHERE status = 'new') AS st_new,
        count(*) FILTER (WHERE status = 'confirm') AS st_confirm,
        count(*) FILTER (WHERE status = 'complete') AS st_complete,
        count(*) FILTER (WHERE status = 'cancel') AS st_cancel,
        count(*) FILTER (WHERE status = 'cancel_carrier') AS st_carrier,
        count(*) FILTER (WHERE status IS NULL
            OR status NOT IN ('new', 'confirm', 'complete', 'cancel', 'cancel_carrier')) AS st_unknown
    FROM rollup_facts GROUP BY cabinet_id, day, delivery
) AS f
FULL JOIN (
    SELECT r.cabinet_id, (r.date AT TIME ZONE 'Europe/Moscow')::date AS day,
        CASE WHEN s.warehouse_type = 'Склад WB' THEN 'fbw' ELSE 'fbs' END AS delivery, count(*) AS returns
    FROM sales AS r LEFT JOIN stat_orders AS s ON s.cabinet_id = r.cabinet_id AND s.srid = r.srid
    WHERE r.kind = 'return' GROUP BY 1, 2, 3
) AS r USING (cabinet_id, day, delivery)"""

_HOURS = """
INSERT INTO order_rollup_hours (cabinet_id, day, hour, delivery, orders)
SELECT cabinet_id, day, hour, delivery, count(*) FROM rollup_facts GROUP BY cabinet_id, day, hour, delivery"""

_SKUS = """
INSERT INTO order_rollup_sku_days (cabinet_id, day, nm_id, delivery, orders, cancelled, revenue)
SELECT cabinet_id, day, nm_id, delivery, count(*), count(*) FILTER (WHERE cancelled),
    COALESCE(sum(amount) FILTER (WHERE NOT cancelled), 0)
FROM rollup_facts WHERE nm_id IS NOT NULL GROUP BY cabinet_id, day, nm_id, delivery"""

_BACKFILL = (_FACTS, _DAYS, _HOURS, _SKUS, "DROP TABLE rollup_facts")
