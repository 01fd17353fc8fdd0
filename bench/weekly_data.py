"""A week of WB's realization report for bench/api.py's by-sku figure (issue 11): SKUS articles in one
cabinet's weekly report, made inside Postgres. Per article: 5 sales spread over the week, a return of the
first sale, a logistics line and a penalty line; plus 50 lines without an nmId (storage, acceptance,
deductions) to be spread. COGS: 9 articles in 10 have two versions, the second from the week's Thursday
(each sale is costed at its own day's version); every tenth has none (missing_cogs_flag)."""

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import psycopg

from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.repositories.finance_weeks import refresh_finance_weeks

LINES_PER_SKU = 8
FIRST_NM_ID = 500_000

INSERT_LINES = """
INSERT INTO finance_report_rows (cabinet_id, rrd_id, report_id, date_from, date_to, nm_id, vendor_code,
    doc_type_name, seller_oper_name, quantity, retail_price_with_disc, for_pay, delivery_service, penalty,
    paid_storage, paid_acceptance, deduction, additional_payment, srid, sale_dt, rr_date)
SELECT %(cabinet)s, 900000000 + g, 7001, %(mon)s, %(sun)s, %(first_nm)s + s, 'art-' || s,
    CASE WHEN j < 5 THEN 'Продажа' WHEN j = 5 THEN 'Возврат' ELSE '' END,
    CASE WHEN j < 5 THEN 'Продажа' WHEN j = 5 THEN 'Возврат' WHEN j = 6 THEN 'Логистика' ELSE 'Штраф' END,
    CASE WHEN j < 6 THEN 1 ELSE 0 END,
    CASE WHEN j < 6 THEN price ELSE 0 END, CASE WHEN j < 6 THEN round(price * 0.8, 2) ELSE 0 END,
    CASE WHEN j = 6 THEN 63 ELSE 0 END, CASE WHEN j = 7 AND s %% 20 = 0 THEN 100 ELSE 0 END,
    0, 0, 0, 0,
    'srid-' || s || '-' || CASE WHEN j = 5 THEN 0 ELSE j END,
    (%(mon)s::date + (CASE WHEN j < 5 THEN j ELSE 5 END) + time '12:00') AT TIME ZONE 'Europe/Moscow',
    %(mon)s::date + (CASE WHEN j < 5 THEN j ELSE 5 END)
FROM generate_series(0, %(skus)s * 8 - 1) AS g,
    LATERAL (SELECT g / 8 AS s, g %% 8 AS j) AS ids,
    LATERAL (SELECT (500 + (g / 8) %% 50 * 20)::numeric AS price) AS p
"""

INSERT_UNATTRIBUTED = """
INSERT INTO finance_report_rows (cabinet_id, rrd_id, report_id, date_from, date_to, nm_id, doc_type_name,
    seller_oper_name, quantity, retail_price_with_disc, for_pay, delivery_service, penalty, paid_storage,
    paid_acceptance, deduction, additional_payment, rr_date)
SELECT %(cabinet)s, 950000000 + g, 7001, %(mon)s, %(sun)s, NULL, '',
    (ARRAY['Хранение', 'Платная приемка', 'Удержание'])[g %% 3 + 1], 0, 0, 0, 0, 0,
    CASE WHEN g %% 3 = 0 THEN 1000 ELSE 0 END, CASE WHEN g %% 3 = 1 THEN 500 ELSE 0 END,
    CASE WHEN g %% 3 = 2 THEN 250 ELSE 0 END, 0, %(sun)s
FROM generate_series(0, 49) AS g
"""

INSERT_COGS = """
INSERT INTO cogs_versions (id, cabinet_id, nm_id, unit_cost, currency, valid_from, valid_to, created_at)
SELECT gen_random_uuid(), %(cabinet)s, %(first_nm)s + s,
    round(price * CASE WHEN v = 0 THEN 0.30 ELSE 0.35 END, 2),
    'RUB', CASE WHEN v = 0 THEN date '2025-01-01' ELSE %(mon)s::date + 3 END,
    CASE WHEN v = 0 THEN %(mon)s::date + 2 END, now()
FROM generate_series(0, %(skus)s - 1) AS s, generate_series(0, 1) AS v,
    LATERAL (SELECT (500 + s %% 50 * 20)::numeric AS price) AS p
WHERE s %% 10 <> 0
"""


async def _refresh(db_url: str, cabinet_id: uuid.UUID, monday: date) -> None:
    engine = create_engine(db_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await refresh_finance_weeks(conn, cabinet_id, [(monday, monday + timedelta(days=6))])
    finally:
        await engine.dispose()


def build_week(
    db_url: str, conn: psycopg.Connection[Any], cabinet_id: uuid.UUID, monday: date, skus: int
) -> int:
    """Store the week; returns how many report lines were written."""
    args = {"cabinet": cabinet_id, "mon": monday, "sun": monday + timedelta(days=6), "skus": skus,
            "first_nm": FIRST_NM_ID}  # fmt: skip
    conn.execute(INSERT_LINES, args)
    conn.execute(INSERT_UNATTRIBUTED, args)
    conn.execute(INSERT_COGS, args)
    # The rollups (money and units to cost) the finance repository refreshes as a sync writes report rows.
    asyncio.run(_refresh(db_url, cabinet_id, monday))
    conn.execute("VACUUM ANALYZE finance_report_rows, cogs_versions, finance_week_skus, finance_week_units")
    return skus * LINES_PER_SKU + 50


# What a raw-SQL reader would do at least: the week's lines summed by article (no COGS, no spread).
RAW_BY_SKU = """
SELECT nm_id, sum(quantity), sum(retail_price_with_disc), sum(for_pay), sum(delivery_service)
FROM finance_report_rows WHERE cabinet_id = %(cabinet)s AND date_from = %(mon)s AND date_to = %(sun)s
GROUP BY nm_id ORDER BY sum(retail_price_with_disc) DESC LIMIT 100
"""
