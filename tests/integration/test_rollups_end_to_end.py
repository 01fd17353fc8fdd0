"""Order rollups over real syncs: a simulated seller (FBS and FBW orders, cancellations, returns) synced into
Postgres again and again while the simulator's clock leaps; the rollup tables then equal a raw GROUP BY over
the orders tables, written here independently of the adapter's SQL."""

import asyncio
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.outbound.memory.clock import ManualClock
from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)
from tests.integration.wbpulse_process import clean_env, run_to_end

STEPS_MINUTES = (3, 45, 180, 24 * 60, 7, 2 * 24 * 60)

_FACTS = """
WITH facts AS (
    SELECT timezone('Europe/Moscow', o.created_at) AS local, 'fbs' AS delivery, o.nm_id,
        (o.supplier_status IN ('cancel', 'cancel_carrier')
         OR o.wb_status IN ('canceled', 'canceled_by_client', 'declined_by_client', 'defect',
                            'canceled_by_carrier')
         OR s.is_cancel) IS TRUE AS cancelled,
        o.is_b2b AS b2b, CASE WHEN s.srid IS NOT NULL THEN s.price_with_disc
                              ELSE COALESCE(o.sale_price, o.price) END AS amount,
        o.supplier_status AS status
    FROM orders AS o LEFT JOIN stat_orders AS s ON s.cabinet_id = o.cabinet_id AND s.srid = o.rid
    WHERE o.cabinet_id = :c
    UNION ALL
    SELECT timezone('Europe/Moscow', s.date), 'fbw', s.nm_id, s.is_cancel, false, s.price_with_disc,
        CASE WHEN s.is_cancel THEN 'cancel' END
    FROM stat_orders AS s WHERE s.cabinet_id = :c AND s.warehouse_type = 'Склад WB'
), returns AS (
    SELECT timezone('Europe/Moscow', r.date)::date AS day,
        CASE WHEN s.warehouse_type = 'Склад WB' THEN 'fbw' ELSE 'fbs' END AS delivery, count(*) AS n
    FROM sales AS r LEFT JOIN stat_orders AS s ON s.cabinet_id = r.cabinet_id AND s.srid = r.srid
    WHERE r.cabinet_id = :c AND r.kind = 'return' GROUP BY 1, 2
)"""

_DAYS = """
    SELECT day, delivery, COALESCE(f.orders, 0), COALESCE(f.cancelled, 0), COALESCE(f.b2b, 0),
        COALESCE(f.revenue, 0), COALESCE(r.n, 0), COALESCE(f.st, '{}')
    FROM (
        SELECT local::date AS day, delivery, count(*) AS orders, sum(cancelled::int) AS cancelled,
            sum(b2b::int) AS b2b, sum(CASE WHEN cancelled THEN 0 ELSE amount END) AS revenue,
            array_agg(COALESCE(status, 'unknown') ORDER BY COALESCE(status, 'unknown')) AS st
        FROM facts GROUP BY 1, 2
    ) AS f FULL JOIN returns AS r USING (day, delivery) ORDER BY 1, 2"""
_HOURS = """
    SELECT local::date, extract(hour FROM local)::int, delivery, count(*) FROM facts GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3"""
_SKUS = """
    SELECT local::date, nm_id, delivery, count(*), sum(cancelled::int),
        sum(CASE WHEN cancelled THEN 0 ELSE amount END)
    FROM facts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""

RAW = {
    "order_rollup_days": _FACTS + _DAYS,
    "order_rollup_hours": _FACTS + _HOURS,
    "order_rollup_sku_days": _FACTS + _SKUS,
}

STORED = {
    "order_rollup_days": """
    SELECT day, delivery, orders, cancelled, b2b, revenue, returns, array_remove(
        array_fill('cancel'::text, ARRAY[status_cancel]) || array_fill('cancel_carrier'::text,
        ARRAY[status_cancel_carrier]) || array_fill('complete'::text, ARRAY[status_complete])
        || array_fill('confirm'::text, ARRAY[status_confirm]) || array_fill('new'::text, ARRAY[status_new])
        || array_fill('unknown'::text, ARRAY[status_unknown]), NULL)
    FROM order_rollup_days WHERE cabinet_id = :c ORDER BY 1, 2""",
    "order_rollup_hours": """
    SELECT day, hour, delivery, orders FROM order_rollup_hours WHERE cabinet_id = :c ORDER BY 1, 2, 3""",
    "order_rollup_sku_days": """
    SELECT day, nm_id, delivery, orders, cancelled, revenue FROM order_rollup_sku_days
    WHERE cabinet_id = :c ORDER BY 1, 2, 3""",
}


async def rows(container: Any, sql: str, cabinet_id: Any) -> list[tuple[Any, ...]]:
    engine = await container.gateways.engine()
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(sa.text(sql), {"c": cabinet_id})]


async def sim_now(seller: Seller) -> datetime:
    described = await seller._call("GET", "")
    return datetime.fromtimestamp(described["sim_clock_unix"], UTC)


async def assert_rollups_equal_raw(container: Any, cabinet_id: Any) -> list[tuple[Any, ...]]:
    for table, raw in RAW.items():
        expected = await rows(container, raw, cabinet_id)
        assert await rows(container, STORED[table], cabinet_id) == expected, table
    return await rows(container, STORED["order_rollup_days"], cabinet_id)


async def test_rollups_equal_a_raw_group_by_after_syncs_as_the_clock_leaps(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, fbw_share=0.5, return_share=0.2)
    clock = ManualClock(await sim_now(seller))
    container.gateways.clock.override(providers.Object(clock))
    cabinet = await connect(container, seller.key)
    await sync_until_clean(container, cabinet.id)
    await assert_rollups_equal_raw(container, cabinet.id)
    for minutes in STEPS_MINUTES:
        await seller._call("POST", "/advance", {"minutes": minutes})
        clock.set(await sim_now(seller))
        await sync_until_clean(container, cabinet.id)
    days = await assert_rollups_equal_raw(container, cabinet.id)
    # The history exercised what the rollups count: both deliveries, cancellations, B2B-free FBW, returns.
    assert {d[1] for d in days} == {"fbs", "fbw"}
    assert sum(d[3] for d in days) > 0 and sum(d[6] for d in days) > 0, days
    rebuild = await container.use_cases.rebuild_rollups()
    await rebuild(cabinet.id)
    assert await assert_rollups_equal_raw(container, cabinet.id) == days


async def test_the_rollups_rebuild_command(database_url: str, redis_url: str, tmp_path: Path) -> None:
    env = clean_env(**settings_env(database_url, redis_url, "http://127.0.0.1:9", tmp_path))
    missing = uuid.uuid4()
    done = await asyncio.to_thread(
        run_to_end, ["rollups", "rebuild", "--cabinet", str(missing)], env, tmp_path, 60
    )
    assert done.returncode == 1 and f"cabinet UUID('{missing}') not found" in done.stderr, done.stderr
    done = await asyncio.to_thread(run_to_end, ["rollups", "rebuild"], env, tmp_path, 120)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^rebuilt the order rollups of \d+ cabinet\(s\)$", done.stdout, re.M), done.stdout
