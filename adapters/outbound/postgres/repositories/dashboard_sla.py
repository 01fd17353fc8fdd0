"""FBS handling times (application/ports/dashboard.py `DashboardSla`): one statement on its own short
connection. The period's orders come through ix_orders_cabinet_id_created_at, their first `confirm` /
`complete` through ix_order_status_history_cabinet_id_order_id_changed_at, their statistics row (for the
cancel flag) by its primary key; percentiles are Postgres's `percentile_cont` (linear interpolation)."""

from datetime import datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports.dashboard import Percentiles, SlaFigures
from application.ports.reports import Period
from domain.order_status import CANCELLED_SUPPLIER, CANCELLED_WB

_SQL = sa.text("""
WITH o AS MATERIALIZED (
    SELECT order_id, rid, created_at, supplier_status, wb_status FROM orders
    WHERE cabinet_id = :cabinet_id AND created_at >= :start AND created_at < :end
),
firsts AS (
    SELECT h.order_id,
        min(h.changed_at) FILTER (WHERE h.supplier_status IN ('confirm', 'complete')) AS confirmed_at,
        min(h.changed_at) FILTER (WHERE h.supplier_status = 'complete') AS handed_at
    FROM o JOIN order_status_history AS h ON h.cabinet_id = :cabinet_id AND h.order_id = o.order_id
    GROUP BY h.order_id
),
t AS (
    SELECT o.created_at,
        CASE WHEN f.confirmed_at IS NOT NULL
            THEN greatest(0, EXTRACT(EPOCH FROM f.confirmed_at - o.created_at)) END AS to_confirm,
        CASE WHEN f.handed_at IS NOT NULL
            THEN greatest(0, EXTRACT(EPOCH FROM f.handed_at - o.created_at)) END AS to_hand,
        (COALESCE(o.supplier_status = ANY(CAST(:cancel_supplier AS text[])), false)
         OR COALESCE(o.wb_status = ANY(CAST(:cancel_wb AS text[])), false)
         OR COALESCE(s.is_cancel, false)) AS cancelled
    FROM o LEFT JOIN firsts AS f ON f.order_id = o.order_id
    LEFT JOIN LATERAL (
        SELECT s.is_cancel FROM stat_orders AS s WHERE s.cabinet_id = :cabinet_id AND s.srid = o.rid LIMIT 1
    ) AS s ON true
)
SELECT count(*) AS orders, count(to_confirm) AS confirmed, count(to_hand) AS handed_over,
    count(*) FILTER (WHERE to_hand IS NULL AND cancelled) AS cancelled,
    count(*) FILTER (WHERE to_hand IS NULL AND NOT cancelled AND created_at < :overdue_before) AS overdue,
    count(*) FILTER (WHERE to_hand <= :deadline_s) AS within_deadline,
    percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY to_confirm) AS confirm_p,
    percentile_cont(ARRAY[0.5, 0.9, 0.95]) WITHIN GROUP (ORDER BY to_hand) AS hand_p
FROM t
""")


def _percentiles(values: list[float] | None) -> Percentiles | None:
    return None if values is None or values[0] is None else Percentiles(*(float(v) for v in values))


class PostgresDashboardSla:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def sla(self, cabinet_id: UUID, period: Period, deadline: timedelta, now: datetime) -> SlaFigures:
        params = {
            "cabinet_id": cabinet_id,
            "start": period.start,
            "end": period.end,
            "cancel_supplier": sorted(s.value for s in CANCELLED_SUPPLIER),
            "cancel_wb": sorted(s.value for s in CANCELLED_WB),
            "overdue_before": now - deadline,
            "deadline_s": deadline.total_seconds(),
        }
        async with self._engine.connect() as conn:
            row = (await conn.execute(_SQL, params)).mappings().one()
        handed_over, cancelled = row["handed_over"], row["cancelled"]
        return SlaFigures(
            orders=row["orders"],
            confirmed=row["confirmed"],
            handed_over=handed_over,
            cancelled=cancelled,
            open=row["orders"] - handed_over - cancelled,
            to_confirm=_percentiles(row["confirm_p"]),
            to_hand_over=_percentiles(row["hand_p"]),
            due=handed_over + row["overdue"],
            within_deadline=row["within_deadline"],
        )
