"""The SQL that recomputes order rollups for a set of Moscow days of one cabinet (decision 0015).

One counting statement per refresh: the days' order facts are read once (FBS orders by `created_at` through
ix_orders_cabinet_id_created_at, joined to their statistics row by its primary key, one lookup per order:
a LATERAL with LIMIT 1, which the planner cannot turn into a hash join over every statistics row of the
cabinet, as it did misjudging a day at a tenth of the orders; FBW statistics orders
by `date` through ix_stat_orders_cabinet_id_date; returns by `date`), aggregated three ways, and inserted
into the rollup tables, whose rows of those days DELETE_DAYS removed just before.
"""

from typing import Any
from uuid import UUID

from domain.order_status import CANCELLED_SUPPLIER, CANCELLED_WB
from domain.stat_orders import FBW_WAREHOUSE_TYPE

MSK = "'Europe/Moscow'"

_FACTS = f"""
d AS MATERIALIZED (
    SELECT day, (day::timestamp AT TIME ZONE {MSK}) AS t0, ((day + 1)::timestamp AT TIME ZONE {MSK}) AS t1
    FROM unnest(CAST(:days AS date[])) AS day
),
facts AS MATERIALIZED (
    SELECT d.day, 'fbs' AS delivery, o.nm_id,
        EXTRACT(HOUR FROM o.created_at AT TIME ZONE {MSK})::smallint AS hour,
        (COALESCE(o.supplier_status = ANY(CAST(:cancel_supplier AS text[])), false)
         OR COALESCE(o.wb_status = ANY(CAST(:cancel_wb AS text[])), false)
         OR COALESCE(s.is_cancel, false)) AS cancelled,
        o.is_b2b AS b2b, COALESCE(s.price_with_disc, o.sale_price, o.price) AS amount,
        o.supplier_status AS status
    FROM d JOIN orders AS o
        ON o.cabinet_id = :cabinet_id AND o.created_at >= d.t0 AND o.created_at < d.t1
    LEFT JOIN LATERAL (
        SELECT s.is_cancel, s.price_with_disc FROM stat_orders AS s
        WHERE s.cabinet_id = o.cabinet_id AND s.srid = o.rid LIMIT 1
    ) AS s ON true
    UNION ALL
    SELECT d.day, 'fbw', s.nm_id, EXTRACT(HOUR FROM s.date AT TIME ZONE {MSK})::smallint,
        s.is_cancel, false, s.price_with_disc, CASE WHEN s.is_cancel THEN 'cancel' END
    FROM d JOIN stat_orders AS s ON s.cabinet_id = :cabinet_id AND s.date >= d.t0 AND s.date < d.t1
    WHERE s.warehouse_type = :fbw
),
returned AS MATERIALIZED (
    SELECT d.day, CASE WHEN s.warehouse_type = :fbw THEN 'fbw' ELSE 'fbs' END AS delivery,
        count(*) AS returns
    FROM d JOIN sales AS r
        ON r.cabinet_id = :cabinet_id AND r.kind = 'return' AND r.date >= d.t0 AND r.date < d.t1
    LEFT JOIN LATERAL (
        SELECT s.warehouse_type FROM stat_orders AS s
        WHERE s.cabinet_id = r.cabinet_id AND s.srid = r.srid LIMIT 1
    ) AS s ON true
    GROUP BY 1, 2
),
day_facts AS (
    SELECT day, delivery, count(*) AS orders, count(*) FILTER (WHERE cancelled) AS cancelled,
        count(*) FILTER (WHERE b2b) AS b2b,
        COALESCE(sum(amount) FILTER (WHERE NOT cancelled), 0) AS revenue,
        count(*) FILTER (WHERE status = 'new') AS status_new,
        count(*) FILTER (WHERE status = 'confirm') AS status_confirm,
        count(*) FILTER (WHERE status = 'complete') AS status_complete,
        count(*) FILTER (WHERE status = 'cancel') AS status_cancel,
        count(*) FILTER (WHERE status = 'cancel_carrier') AS status_cancel_carrier,
        count(*) FILTER (WHERE status IS NULL
            OR status NOT IN ('new', 'confirm', 'complete', 'cancel', 'cancel_carrier')) AS status_unknown
    FROM facts GROUP BY day, delivery
),
day_rows AS (
    SELECT day, delivery, COALESCE(f.orders, 0) AS orders, COALESCE(f.cancelled, 0) AS cancelled,
        COALESCE(f.b2b, 0) AS b2b, COALESCE(f.revenue, 0) AS revenue, COALESCE(r.returns, 0) AS returns,
        COALESCE(f.status_new, 0) AS status_new, COALESCE(f.status_confirm, 0) AS status_confirm,
        COALESCE(f.status_complete, 0) AS status_complete, COALESCE(f.status_cancel, 0) AS status_cancel,
        COALESCE(f.status_cancel_carrier, 0) AS status_cancel_carrier,
        COALESCE(f.status_unknown, 0) AS status_unknown
    FROM day_facts AS f FULL JOIN returned AS r USING (day, delivery)
),
hour_rows AS (
    SELECT day, hour, delivery, count(*) AS orders FROM facts GROUP BY day, hour, delivery
),
sku_rows AS (
    SELECT day, nm_id, delivery, count(*) AS orders, count(*) FILTER (WHERE cancelled) AS cancelled,
        COALESCE(sum(amount) FILTER (WHERE NOT cancelled), 0) AS revenue
    FROM facts WHERE nm_id IS NOT NULL GROUP BY day, nm_id, delivery
)"""  # noqa: S608 - constants only

DAY_COLUMNS = (
    "orders", "cancelled", "b2b", "revenue", "returns", "status_new", "status_confirm", "status_complete",
    "status_cancel", "status_cancel_carrier", "status_unknown",
)  # fmt: skip
_TABLES = (
    ("order_rollup_days", "day_rows", ("day", "delivery"), DAY_COLUMNS),
    ("order_rollup_hours", "hour_rows", ("day", "hour", "delivery"), ("orders",)),
    ("order_rollup_sku_days", "sku_rows", ("day", "nm_id", "delivery"), ("orders", "cancelled", "revenue")),
)


def _insert(n: int, table: str, source: str, key: tuple[str, ...], values: tuple[str, ...]) -> str:
    keys, cols = ", ".join(key), ", ".join((*key, *values))
    new = ", ".join(f"excluded.{v}" for v in values)
    # No row of these days is left (DELETE_DAYS ran first under the days' locks); the update is a safety net.
    return f"""
put_{n} AS (
    INSERT INTO {table} (cabinet_id, {cols}) SELECT :cabinet_id, {cols} FROM {source}
    ON CONFLICT (cabinet_id, {keys}) DO UPDATE SET ({", ".join(values)}) = ROW({new})
)"""  # noqa: S608 - constants only


# Two statements, the days' rows deleted then counted again: an anti-join of the stored rows against the
# new groups ("delete what vanished") is what the planner, unable to size a CTE, ran as a nested loop,
# quadratic in the days' articles (10 s for 30 days); a delete by primary-key prefix never is.
_DAYS_ONLY = "cabinet_id = :cabinet_id AND day = ANY(CAST(:days AS date[]))"
DELETE_DAYS = (
    "WITH "  # noqa: S608 - constants only
    + ", ".join(
        f"del_{n} AS (DELETE FROM {table} WHERE {_DAYS_ONLY})"  # noqa: S608 - constants only
        for n, (table, *_) in enumerate(_TABLES)
    )
    + "\nSELECT 1"
)

REFRESH = (
    "WITH"
    + _FACTS
    + ","
    + ",".join(_insert(n, *spec) for n, spec in enumerate(_TABLES))
    + "\nSELECT count(*) FROM d"
)

# One transaction lock per (cabinet, day), taken in order before a refresh reads anything: a concurrent
# refresh of the same day waits for this transaction's commit, and its next statement (a new snapshot)
# sees what this one wrote. The two-int4 key space is apart from the cabinet lock's bigint keys.
LOCK_DAYS = """
SELECT count(pg_advisory_xact_lock(hashtext(CAST(:cabinet_id AS text)), day - DATE '2000-01-01'))
FROM (SELECT DISTINCT day FROM unnest(CAST(:days AS date[])) AS day ORDER BY day OFFSET 0) AS ordered"""

# The days an srid's statistics row counts on: its FBS order's and its returns'.
SRID_DAYS = f"""
SELECT (o.created_at AT TIME ZONE {MSK})::date AS day FROM orders AS o
WHERE o.cabinet_id = :cabinet_id AND o.rid = ANY(CAST(:srids AS text[]))
UNION
SELECT (r.date AT TIME ZONE {MSK})::date FROM sales AS r
WHERE r.cabinet_id = :cabinet_id AND r.kind = 'return' AND r.srid = ANY(CAST(:srids AS text[]))"""  # noqa: S608 - constants only

# Every day a rebuild recomputes: the span of the cabinet's orders and returns, and the days it has rows.
ALL_DAYS = f"""
WITH span AS (
    SELECT min(lo) AS lo, max(hi) AS hi FROM (
        SELECT min(created_at) AS lo, max(created_at) AS hi FROM orders WHERE cabinet_id = :cabinet_id
        UNION ALL
        SELECT min(date), max(date) FROM stat_orders
        WHERE cabinet_id = :cabinet_id AND warehouse_type = :fbw
        UNION ALL
        SELECT min(date), max(date) FROM sales WHERE cabinet_id = :cabinet_id AND kind = 'return'
    ) AS bounds
)
SELECT day::date FROM span, generate_series(
    (span.lo AT TIME ZONE {MSK})::date, (span.hi AT TIME ZONE {MSK})::date, interval '1 day') AS day
UNION
SELECT day FROM order_rollup_days WHERE cabinet_id = :cabinet_id"""  # noqa: S608 - constants only


def refresh_params(cabinet_id: UUID, days: list[Any]) -> dict[str, Any]:
    return {
        "cabinet_id": cabinet_id,
        "days": days,
        "fbw": FBW_WAREHOUSE_TYPE,
        "cancel_supplier": sorted(s.value for s in CANCELLED_SUPPLIER),
        "cancel_wb": sorted(s.value for s in CANCELLED_WB),
    }
