"""Dashboard API benchmark: `.venv/bin/python bench/api.py [--cabinets N --orders M]` (DATABASE_URL /
REDIS_URL optional). Issue 10's targets at a year of orders.

1. data: CABINETS cabinets of ORDERS FBS orders each over DAYS Moscow days (the simulator's hour and weekday
   profile, growth over the year, a late-November peak; ~60 % cancelled as in the seed), built inside Postgres
   (INSERT … SELECT over generate_series, month by month across the cabinets, so the heap interleaves them
   as a live sync would), a share with their statistics row (`stat_orders`) and with status history; the
   orders' secondary indexes are dropped for the load and made again from their own definitions; then
   VACUUM ANALYZE and the rollups rebuilt per cabinet (`RebuildRollups`, timed);
2. the API served by `wbpulse api` in a subprocess (its CPU apart from the client's), signed in with an
   access token minted by `JwtAccessTokens`; per endpoint, REQUESTS sequential requests uncached (each a
   key never asked before: another cabinet or a window shifted by a day), cached (one request repeated after
   a first one), and the same answers from the orders table by raw SQL (same keys, same shapes);
3. requests/s of 32 concurrent clients for DURATION s on a cached analytics answer and on `GET /health`.
Exit code 0 when every target is met. See bench/README.md, "api.py".
"""

import argparse
import asyncio
import base64
import math
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import attrs
import psycopg

from bench.env import ROOT, fresh_database, percentile, server_urls
from bench.weekly_data import RAW_BY_SKU, build_week
from bootstrap.net import free_port
from domain.moscow_time import MSK, day_range_utc, iso_week, moscow_day, parse_iso_week
from domain.order_status import CANCELLED_SUPPLIER, CANCELLED_WB
from domain.wb_token import WbCategory, mask_from_categories

HOUR_W = [float(w) for w in "0.9 0.5 0.3 0.2 0.2 0.3 0.6 1.2 2.0 2.8 3.3 3.5 3.6 3.5 3.3 3.2 3.2 3.4 3.8 4.3 4.6 4.3 3.2 1.8".split()]  # fmt: skip  # noqa: E501 - the simulator's
WEEKDAY_W = [1.02, 1.0, 0.97, 0.95, 0.93, 1.03, 1.10]  # Mon..Sun, the simulator's
PRODUCTS = 300
BASE_TELEGRAM_ID = 7_100_000
JWT_SECRET = "j" * 32
CACHE_HEADERS = ("X-Cache", "X-Cache-Status", "Cache-Status")
MSK_SQL = "'Europe/Moscow'"

P95_UNCACHED_MS = 50.0
SPEEDUP_TARGET = 10.0
P95_CACHED_MS = 5.0
P95_PAGES_MS = 50.0
P95_BY_SKU_MS = 150.0
BULK_ROWS, BULK_REPEATS, BULK_TARGET_S = 5000, 3, 2.0
RPS_TARGET = 0.5
# Requests a minute per user for the server: the limiter runs (a Redis call per request) but never refuses
# the bench's one user; `--server-env DASHBOARD_RATE_LIMIT=600` measures the shipped limit.
RATE_LIMIT_OFF = 1_000_000


# --- 1. data -------------------------------------------------------------------------------------


@attrs.frozen
class Shape:
    cabinets: int
    orders: int
    days: int
    stat_share: float
    history_share: float
    end: date  # the last Moscow day with orders (yesterday)
    skus: int = 5000  # articles in the by-sku week's report (cabinet 0)

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    @property
    def week(self) -> str:
        """The by-sku figure's week: the last whole Moscow ISO week before `end`'s."""
        return iso_week(parse_iso_week(iso_week(self.end))[0] - timedelta(days=7))


@attrs.frozen
class Built:
    cabinet_ids: tuple[uuid.UUID, ...]
    user_id: int
    orders: int
    stat_orders: int
    history: int
    load_s: float
    index_s: float
    vacuum_s: float
    rollup_s: tuple[float, ...]
    week_lines: int = 0


def _buckets(shape: Shape, rng: random.Random) -> list[tuple[datetime, int]]:
    """(UTC start of a Moscow hour, orders in it) for every hour of the period, adding up to shape.orders."""
    weights: list[tuple[datetime, float]] = []
    for i in range(shape.days):
        day = shape.start + timedelta(days=i)
        growth = 0.7 + 0.6 * i / max(1, shape.days - 1)
        peak = 1 + 0.35 * math.exp(-(((day.timetuple().tm_yday - 330) / 12) ** 2))
        w_day = growth * WEEKDAY_W[day.weekday()] * peak * rng.uniform(0.85, 1.15)
        for hour in range(24):
            start = datetime(day.year, day.month, day.day, hour, tzinfo=MSK).astimezone(UTC)
            weights.append((start, w_day * HOUR_W[hour]))
    total = sum(w for _, w in weights)
    exact = [shape.orders * w / total for _, w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: shape.orders - sum(counts)]:
        counts[i] += 1
    return [(t, n) for (t, _), n in zip(weights, counts, strict=True)]


# One statement per (cabinet, slice of hours): the buckets' orders, their statuses drawn as WB's are seen
# a day or more later (sold ~40 %, cancelled ~60 % in the seed's kinds), in progress the last 2 days.
INSERT_ORDERS = """
INSERT INTO orders (cabinet_id, order_id, order_uid, rid, nm_id, chrt_id, vendor_code, product_name, price,
    sale_price, currency_code, buyer_price, buyer_sale_price, supplier_status, wb_status, is_final,
    warehouse_id, office_id, supply_id, delivery_type, is_b2b, cargo_type, created_at, status_updated_at)
SELECT %(cabinet)s, id, 'uid-' || id, %(prefix)s || id, 100000 + p, 1000000 + p * 10, 'ART-' || p,
    'Товар ' || p, price, round(price * 0.7, 2), 643, price, round(price * 0.7, 2),
    CASE WHEN fresh THEN (CASE WHEN u < 0.5 THEN 'new' ELSE 'confirm' END)
         WHEN u < 0.18 THEN 'cancel' WHEN u < 0.42 THEN 'new' WHEN u < 0.60 THEN 'complete'
         ELSE 'complete' END,
    CASE WHEN fresh THEN (CASE WHEN u < 0.5 THEN 'waiting' ELSE 'sorted' END)
         WHEN u < 0.18 THEN 'canceled' WHEN u < 0.42 THEN 'declined_by_client'
         WHEN u < 0.57 THEN 'canceled_by_client' WHEN u < 0.60 THEN 'defect' ELSE 'sold' END,
    NOT fresh, 1000 + (v * 3)::int, 2000 + (v * 40)::int, 'WB-GI-' || (id / 500), 'fbs', v < 0.03, '1',
    created_at, created_at + make_interval(secs => 600 + v * 172800)
FROM (
    SELECT b.first_id + k AS id, (power(random(), 2) * %(products)s)::int AS p, random() AS u, random() AS v,
        b.t + make_interval(secs => random() * 3599) AS created_at, b.t > %(fresh_from)s AS fresh,
        (300 + (random() * 4700)::int)::numeric AS price
    FROM unnest(%(starts)s::timestamptz[], %(counts)s::int[], %(first_ids)s::bigint[]) AS b(t, n, first_id),
        generate_series(0, b.n - 1) AS k
) AS g"""

INSERT_STAT_ORDERS = """
INSERT INTO stat_orders (cabinet_id, srid, date, last_change_date, nm_id, supplier_article, barcode,
    tech_size, brand, category, subject, warehouse_name, warehouse_type, country_name, oblast_okrug_name,
    region_name, total_price, discount_percent, spp, finished_price, price_with_disc, is_cancel, cancel_date,
    sticker, g_number)
SELECT cabinet_id, rid, created_at, status_updated_at, nm_id, vendor_code, '46' || chrt_id, '0', 'Бренд',
    'Одежда', 'Футболки', 'Склад продавца', 'Склад продавца', 'Россия', 'Центральный',
    'Московская область', price, 30, 10, round(sale_price * 0.9, 2), sale_price, c,
    CASE WHEN c THEN status_updated_at END, 'st-' || order_id, order_uid
FROM (SELECT o.*, (o.supplier_status = ANY(%(cs)s) OR o.wb_status = ANY(%(cw)s)) AS c FROM orders AS o
      WHERE o.cabinet_id = %(cabinet)s AND o.order_id %% 1000 < %(permille)s) AS x"""

INSERT_HISTORY = """
INSERT INTO order_status_history (cabinet_id, order_id, supplier_status, wb_status, prev_supplier_status,
    prev_wb_status, changed_at)
SELECT cabinet_id, order_id, supplier_status, wb_status, 'new', 'waiting', status_updated_at
FROM orders WHERE cabinet_id = %(cabinet)s AND order_id %% 1000 < %(permille)s AND is_final"""


def _identities(conn: psycopg.Connection[Any], n: int) -> tuple[list[uuid.UUID], int]:
    now = datetime.now(UTC)
    row = conn.execute(
        "INSERT INTO users (telegram_id, first_name) VALUES (%s, 'Bench') RETURNING id", [BASE_TELEGRAM_ID]
    ).fetchone()
    assert row is not None
    user_id = int(row[0])
    mask = mask_from_categories({WbCategory.MARKETPLACE, WbCategory.STATISTICS})
    ids = [uuid.uuid4() for _ in range(n)]
    for i, cabinet_id in enumerate(ids):
        conn.execute(
            "INSERT INTO cabinets (id, name, key_fingerprint, encrypted_key, seller_id, token_expires_at,"
            " categories, read_only, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, true, %s)",
            [cabinet_id, f"Bench shop {i}", secrets.token_hex(32), b"ciphertext", f"bench-api-{i}",
             now + timedelta(days=180), mask, now],
        )  # fmt: skip
        conn.execute(
            "INSERT INTO memberships (user_id, cabinet_id, role, joined_at) VALUES (%s, %s, 'owner', %s)",
            [user_id, cabinet_id, now],
        )
    return ids, user_id


def _secondary_indexes(conn: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    rows = conn.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index AS x"
        " JOIN pg_class AS i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)",
        [table],
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def _load_slice(db_url: str, jobs: Sequence[dict[str, Any]]) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit TO off")
        for params in jobs:
            conn.execute(INSERT_ORDERS, params)


def _load_orders(db_url: str, shape: Shape, cabinet_ids: Sequence[uuid.UUID]) -> None:
    """Month-long slices, every cabinet's slice before the next slice, two connections at once."""
    fresh_from = datetime.combine(shape.end - timedelta(days=1), datetime.min.time(), MSK)
    plans = []
    for n, cabinet_id in enumerate(cabinet_ids):
        buckets = _buckets(shape, random.Random(1000 + n))
        first, firsts = 3_000_000_000 + n * 50_000_000, []
        for _, count in buckets:
            firsts.append(first)
            first += count
        plans.append((cabinet_id, n, buckets, firsts))
    slice_hours = 24 * 31
    with ThreadPoolExecutor(2) as pool:
        for lo in range(0, shape.days * 24, slice_hours):
            jobs = [
                {"cabinet": cabinet_id, "prefix": f"{n}.", "products": PRODUCTS, "fresh_from": fresh_from,
                 "starts": [t for t, _ in buckets[lo : lo + slice_hours]],
                 "counts": [c for _, c in buckets[lo : lo + slice_hours]],
                 "first_ids": firsts[lo : lo + slice_hours]}
                for cabinet_id, n, buckets, firsts in plans
            ]  # fmt: skip
            list(pool.map(lambda part: _load_slice(db_url, part), [jobs[0::2], jobs[1::2]]))


async def _rebuild_rollups(db_url: str, cabinet_ids: Sequence[uuid.UUID]) -> tuple[float, ...]:
    from adapters.outbound.postgres.engine import create_engine
    from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
    from application.use_cases.rebuild_rollups import RebuildRollups

    engine = create_engine(db_url, pool_size=2)
    rebuild = RebuildRollups(PostgresUnitOfWorkFactory(engine))
    walls = []
    try:
        for cabinet_id in cabinet_ids:
            t = time.perf_counter()
            await rebuild(cabinet_id)
            walls.append(time.perf_counter() - t)
    finally:
        await engine.dispose()
    return tuple(walls)


def build(db_url: str, shape: Shape) -> Built:
    cs, cw = sorted(s.value for s in CANCELLED_SUPPLIER), sorted(s.value for s in CANCELLED_WB)
    with psycopg.connect(db_url, autocommit=True) as conn:
        cabinet_ids, user_id = _identities(conn, shape.cabinets)
        indexes = _secondary_indexes(conn, "orders")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        t = time.perf_counter()
        _load_orders(db_url, shape, cabinet_ids)
        for cabinet_id in cabinet_ids:
            stat = {"cabinet": cabinet_id, "permille": round(1000 * shape.stat_share), "cs": cs, "cw": cw}
            conn.execute(INSERT_STAT_ORDERS, stat)
            conn.execute(
                INSERT_HISTORY, {"cabinet": cabinet_id, "permille": round(1000 * shape.history_share)}
            )
        load_s = time.perf_counter() - t
        print(f"  loaded in {load_s:.1f} s", flush=True)
        t = time.perf_counter()
        conn.execute("SET maintenance_work_mem TO '512MB'")
        for _, definition in indexes:
            conn.execute(definition)
        index_s = time.perf_counter() - t
        print(f"  indexes made in {index_s:.1f} s", flush=True)
        t = time.perf_counter()
        conn.execute("VACUUM ANALYZE orders, stat_orders, order_status_history")
        vacuum_s = time.perf_counter() - t
        counts = [
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]  # noqa: S608
            for table in ("orders", "stat_orders", "order_status_history")
        ]
    rollup_s = asyncio.run(_rebuild_rollups(db_url, cabinet_ids))
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE order_rollup_days, order_rollup_hours, order_rollup_sku_days")
        lines = build_week(db_url, conn, cabinet_ids[0], parse_iso_week(shape.week)[0], shape.skus)
    orders, stats, history = counts
    built = (tuple(cabinet_ids), user_id, orders, stats, history, load_s, index_s, vacuum_s, rollup_s, lines)
    return Built(*built)


# --- 2. the server -------------------------------------------------------------------------------


@contextmanager
def api_server(db_url: str, redis_url: str, extra_env: dict[str, str], log: Path) -> Iterator[str]:
    """`wbpulse api` in its own process (shipped settings, access log at INFO into `log`); its base URL."""
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": to_sqlalchemy_url(db_url),
        "REDIS_URL": redis_url,
        "API_SECRET_KEY": "bench-secret-key",
        "JWT_SECRET": JWT_SECRET,
        "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"e" * 32).decode(),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATA_DIR": str(log.parent),
        "DASHBOARD_RATE_LIMIT": str(RATE_LIMIT_OFF),
        **extra_env,
    }
    wbpulse = Path(sys.executable).with_name("wbpulse")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(wbpulse), "api"], cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_health(url, proc, log)
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def _wait_health(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`wbpulse api` exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("`wbpulse api` did not answer /health within 60 s")


# --- 3. requests ---------------------------------------------------------------------------------


@attrs.frozen
class Request:
    path: str
    params: dict[str, str]
    cabinet: int  # index into Built.cabinet_ids


@attrs.frozen
class Endpoint:
    """One figure: how the API is asked (uncached key k, and the cached key) and the raw SQL of key k."""

    name: str
    request: Callable[[int], Request]  # key k -> the request; k = -1 is the cached key
    raw: Callable[[int], tuple[int, list[tuple[str, dict[str, Any]]]]]  # key k -> (cabinet, statements)
    p95_target_ms: float
    speedup_target: float | None
    cached_target_ms: float | None = None


def _iso(d: date) -> str:
    return d.isoformat()


def _bounds(start: date, end: date) -> dict[str, Any]:
    t0, t1 = day_range_utc(start, end)
    return {"t0": t0, "t1": t1}


_JOIN = "FROM orders AS o LEFT JOIN stat_orders AS s ON s.cabinet_id = o.cabinet_id AND s.srid = o.rid"
_WHERE = "WHERE o.cabinet_id = %(cabinet)s AND o.created_at >= %(t0)s AND o.created_at < %(t1)s"
_CANCELLED = "(o.supplier_status = ANY(%(cs)s) OR o.wb_status = ANY(%(cw)s) OR COALESCE(s.is_cancel, false))"
_AMOUNT = "COALESCE(s.price_with_disc, o.sale_price, o.price)"
_DAY = f"(o.created_at AT TIME ZONE {MSK_SQL})::date"
RAW_TRENDS = f"""
SELECT {_DAY} AS day, count(*), count(*) FILTER (WHERE {_CANCELLED}),
    COALESCE(sum({_AMOUNT}) FILTER (WHERE NOT {_CANCELLED}), 0)
{_JOIN} {_WHERE} GROUP BY 1 ORDER BY 1"""
RAW_RETURNS = f"""
SELECT (date AT TIME ZONE {MSK_SQL})::date, count(*) FROM sales
WHERE cabinet_id = %(cabinet)s AND kind = 'return' AND date >= %(t0)s AND date < %(t1)s GROUP BY 1"""  # noqa: S608
RAW_VOLUME = f"""
SELECT {_DAY} AS day, EXTRACT(HOUR FROM o.created_at AT TIME ZONE {MSK_SQL})::int AS hour, count(*),
    count(*) FILTER (WHERE {_CANCELLED}), count(*) FILTER (WHERE o.is_b2b), o.supplier_status
{_JOIN} {_WHERE} GROUP BY 1, 2, 6"""  # noqa: S608 - constants only
RAW_TOTALS = f"""
SELECT count(*), count(*) FILTER (WHERE {_CANCELLED}),
    COALESCE(sum({_AMOUNT}) FILTER (WHERE NOT {_CANCELLED}), 0)
{_JOIN} {_WHERE}"""
RAW_PAGE = f"""
SELECT o.order_id, o.order_uid, o.nm_id, o.vendor_code, o.product_name,
    COALESCE(s.total_price, o.sale_price, o.price), {_AMOUNT}, o.supplier_status, o.wb_status,
    o.warehouse_id, o.is_b2b, o.cargo_type, o.created_at, o.status_updated_at
{_JOIN} {_WHERE} ORDER BY o.created_at DESC, o.order_id DESC LIMIT 100 OFFSET %(offset)s"""
RAW_COUNT = "SELECT count(*) FROM orders AS o " + _WHERE  # noqa: S608 - constants only


def endpoints(shape: Shape, n_cabinets: int) -> list[Endpoint]:
    """Key k asks cabinet k % C, its window shifted back by k // C days (never asked before); k = -1 is the
    cached key (cabinet 0, no shift), asked once before its series."""
    cs, cw = sorted(s.value for s in CANCELLED_SUPPLIER), sorted(s.value for s in CANCELLED_WB)
    end = shape.end

    def cab(k: int) -> int:
        return 0 if k < 0 else k % n_cabinets

    def shift(k: int) -> int:
        return 0 if k < 0 else k // n_cabinets + 1  # the cached key is shift 0, never an uncached one

    def trends_window(k: int) -> tuple[date, date]:
        return end - timedelta(days=364 + shift(k)), end - timedelta(days=shift(k))

    def volume_window(k: int) -> tuple[date, date]:
        return end - timedelta(days=30 + shift(k)), end - timedelta(days=shift(k))

    def compare_windows(k: int) -> tuple[date, date, date, date]:
        e1 = end - timedelta(days=shift(k))
        return e1 - timedelta(days=29), e1, e1 - timedelta(days=59), e1 - timedelta(days=30)

    def page_window(k: int) -> tuple[date, date]:  # every order of the cabinet; `from` makes the key
        return shape.start - timedelta(days=shift(k)), end

    def trends(k: int) -> Request:
        a, b = trends_window(k)
        return Request(
            "/v1/analytics/orders/trends", {"from": _iso(a), "to": _iso(b), "aggregation": "day"}, cab(k)
        )

    def volume(k: int) -> Request:
        a, b = volume_window(k)
        return Request("/v1/analytics/orders/volume", {"from": _iso(a), "to": _iso(b)}, cab(k))

    def compare(k: int) -> Request:
        a1, b1, a2, b2 = compare_windows(k)
        params = {
            "period1_from": _iso(a1),
            "period1_to": _iso(b1),
            "period2_from": _iso(a2),
            "period2_to": _iso(b2),
        }
        return Request("/v1/analytics/orders/compare", params, cab(k))

    def page(offset: int) -> Callable[[int], Request]:
        def make(k: int) -> Request:
            a, b = page_window(k)
            params = {"from": _iso(a), "to": _iso(b), "limit": "100", "offset": str(offset)}
            return Request("/v1/orders", params, cab(k))

        return make

    base = {"cs": cs, "cw": cw}

    def raw_trends(k: int) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
        p = {**base, **_bounds(*trends_window(k))}
        return cab(k), [(RAW_TRENDS, p), (RAW_RETURNS, p)]

    def raw_volume(k: int) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
        return cab(k), [(RAW_VOLUME, {**base, **_bounds(*volume_window(k))})]

    def raw_compare(k: int) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
        a1, b1, a2, b2 = compare_windows(k)
        stmts = []
        for a, b in ((a1, b1), (a2, b2)):
            p = {**base, **_bounds(a, b)}
            stmts += [(RAW_TOTALS, p), (RAW_RETURNS, p)]
        return cab(k), stmts

    def raw_page(offset: int) -> Callable[[int], tuple[int, list[tuple[str, dict[str, Any]]]]]:
        def make(k: int) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
            p = {**_bounds(*page_window(k)), "offset": offset}
            return cab(k), [(RAW_PAGE, p), (RAW_COUNT, p)]

        return make

    def by_sku(k: int) -> Request:  # the offset makes the key; every key computes the whole week
        params = {"week": shape.week, "includeCogs": "true", "limit": "100", "offset": str(max(0, k + 1))}
        return Request("/v1/analytics/weekly/by-sku", params, 0)

    def raw_by_sku(k: int) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
        first, last = parse_iso_week(shape.week)
        return 0, [(RAW_BY_SKU, {"mon": first, "sun": last})]

    cached = P95_CACHED_MS
    return [
        Endpoint("trends (day, 365 days)", trends, raw_trends, P95_UNCACHED_MS, SPEEDUP_TARGET, cached),
        Endpoint("volume (31 days)", volume, raw_volume, P95_UNCACHED_MS, SPEEDUP_TARGET, cached),
        Endpoint("compare (30 vs 30 days)", compare, raw_compare, P95_UNCACHED_MS, SPEEDUP_TARGET, cached),
        Endpoint("/v1/orders first page", page(0), raw_page(0), P95_PAGES_MS, None),
        Endpoint("/v1/orders offset 5,000", page(5000), raw_page(5000), P95_PAGES_MS, None),
        Endpoint(f"by-sku ({shape.skus:,} SKUs)", by_sku, raw_by_sku, P95_BY_SKU_MS, None, cached),
    ]  # fmt: skip


@attrs.frozen
class Series:
    latencies_ms: tuple[float, ...]
    statuses: Counter[int]
    cache_header: Counter[str]  # "<header>: <value>" of each answer, "" when it had none
    etag: str | None

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)

    @property
    def hits(self) -> int:
        return sum(n for value, n in self.cache_header.items() if "hit" in value.lower())

    @property
    def with_header(self) -> int:
        return sum(n for value, n in self.cache_header.items() if value)


class Client:
    def __init__(
        self, base_url: str, session: aiohttp.ClientSession, token: str, cabinets: Sequence[uuid.UUID]
    ):
        self.base_url, self.session, self.token, self.cabinets = base_url, session, token, cabinets

    def headers(self, req: Request, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Cabinet-Id": str(self.cabinets[req.cabinet]),
                **(extra or {})}  # fmt: skip

    async def get(self, req: Request, extra: dict[str, str] | None = None) -> tuple[float, int, Any, bytes]:
        t = time.perf_counter()
        url = self.base_url + req.path
        async with self.session.get(url, params=req.params, headers=self.headers(req, extra)) as resp:
            body = await resp.read()
        return 1000 * (time.perf_counter() - t), resp.status, resp.headers, body

    async def series(self, reqs: Sequence[Request], extra: dict[str, str] | None = None) -> Series:
        lat, statuses, cache, etag = [], Counter[int](), Counter[str](), None
        for req in reqs:
            ms, status, headers, _ = await self.get(req, extra)
            lat.append(ms)
            statuses[status] += 1
            found = next((f"{h}: {headers[h]}" for h in CACHE_HEADERS if h in headers), "")
            cache[found] += 1
            etag = headers.get("ETag", etag)
        return Series(tuple(lat), statuses, cache, etag)


async def _raw_series(
    conn: psycopg.AsyncConnection[Any], endpoint: Endpoint, keys: Sequence[int], cabinets: Sequence[uuid.UUID]
) -> tuple[float, ...]:
    lat = []
    for k in keys:
        cabinet, stmts = endpoint.raw(k)
        t = time.perf_counter()
        for sql, params in stmts:
            cur = await conn.execute(sql, {**params, "cabinet": cabinets[cabinet]})
            await cur.fetchall()
        lat.append(1000 * (time.perf_counter() - t))
    return tuple(lat)


@attrs.frozen
class Measured:
    endpoint: Endpoint
    uncached: Series
    cached: Series
    raw_ms: tuple[float, ...]
    not_modified: Series | None  # If-None-Match with the cached answer's ETag, when it has one


async def measure_endpoint(
    client: Client, conn: psycopg.AsyncConnection[Any], endpoint: Endpoint, n: int, n_cabinets: int
) -> Measured:
    keys = list(range(n))
    warm = n + n_cabinets  # a key of neither series: a shift no series asks
    await client.get(endpoint.request(warm))
    uncached = await client.series([endpoint.request(k) for k in keys])
    await client.get(endpoint.request(-1))  # the cached key's first answer
    cached = await client.series([endpoint.request(-1)] * n)
    not_modified = None
    if cached.etag:
        not_modified = await client.series([endpoint.request(-1)] * n, {"If-None-Match": cached.etag})
    await _raw_series(conn, endpoint, [warm], client.cabinets)
    raw = await _raw_series(conn, endpoint, keys, client.cabinets)
    return Measured(endpoint, uncached, cached, raw, not_modified)


@attrs.frozen
class Load:
    label: str
    completed: int
    wall_s: float
    statuses: Counter[int]
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        return self.completed / self.wall_s


async def concurrent_load(
    base_url: str, label: str, req: Request, headers: dict[str, str], clients: int, duration_s: float
) -> Load:
    """`clients` loops, each on its own connection, asking `req` back to back for `duration_s`."""
    url = base_url + req.path
    lat: list[float] = []
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        for _ in range(2):  # connections open before the clock starts
            await asyncio.gather(
                *(session.get(url, params=req.params, headers=headers) for _ in range(clients))
            )
        deadline = time.perf_counter() + duration_s

        async def loop() -> None:
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                async with session.get(url, params=req.params, headers=headers) as resp:
                    await resp.read()
                lat.append(1000 * (time.perf_counter() - t))
                statuses[resp.status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        wall = time.perf_counter() - started
    return Load(label, len(lat), wall, statuses, percentile(lat, 0.5), percentile(lat, 0.95))


# --- checks: the API's answers against the raw SQL ones -----------------------------------------


async def check_answers(
    client: Client, conn: psycopg.AsyncConnection[Any], eps: Sequence[Endpoint]
) -> list[str]:
    """Differences between the API's answers for key 0 and the raw SQL's (empty: they agree)."""
    import json

    problems = []
    trends, volume, _, first_page, *_ = eps
    cab = client.cabinets

    async def raw(ep: Endpoint) -> list[list[Any]]:
        cabinet, stmts = ep.raw(0)
        out = []
        for sql, params in stmts:
            out.append(await (await conn.execute(sql, {**params, "cabinet": cab[cabinet]})).fetchall())
        return out

    answer = json.loads((await client.get(trends.request(0)))[3])
    rows = {r[0]: r for r in (await raw(trends))[0]}
    for point in answer["trends"]:
        r = rows.get(date.fromisoformat(point["date"]))
        got = (point["ordersCount"], point["cancellations"], Decimal(str(point["revenue"])))
        want = (0, 0, Decimal(0)) if r is None else (r[1], r[2], Decimal(r[3]).quantize(Decimal("0.01")))
        if got != want:
            problems.append(f"trends {point['date']}: API {got}, raw SQL {want}")
            break
    answer = json.loads((await client.get(volume.request(0)))[3])
    vol = (await raw(volume))[0]
    by_hour = Counter[int]()
    for r in vol:
        by_hour[r[1]] += r[2]
    api_hours = {h["hour"]: h["count"] for h in answer["hourlyTrend"] if h["count"]}
    if api_hours != dict(by_hour) or answer["totalOrders"] != sum(r[2] for r in vol):
        problems.append(f"volume: API total {answer['totalOrders']}, raw SQL {sum(r[2] for r in vol)}")
    answer = json.loads((await client.get(first_page.request(0)))[3])
    page, count = await raw(first_page)
    if [int(i["orderId"]) for i in answer["items"]] != [r[0] for r in page]:
        problems.append("orders first page: the API's order ids differ from the raw SQL's")
    if answer["pagination"]["total"] != count[0][0]:
        problems.append(f"orders total: API {answer['pagination']['total']}, raw SQL {count[0][0]}")
    return problems


# --- report --------------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def cache_state(m: Measured) -> tuple[bool, str]:
    """(did the repeated request come from a cache, how we know)."""
    c, u = m.cached, m.uncached
    if c.with_header:
        head = ", ".join(f"{v or '(none)'} x{n}" for v, n in c.cache_header.most_common(3))
        missed = f"; uncached series had {u.hits} hits" if u.hits else ""
        return c.hits >= 0.9 * len(c.latencies_ms), f"header {head}{missed}"
    faster = c.p50 <= 0.5 * u.p50
    how = f"no cache header; repeat p50 {c.p50:.2f} ms vs first-ask p50 {u.p50:.2f} ms"
    return faster, how + (" (taken as cached)" if faster else " (no cache layer seen)")


def report(built: Built, shape: Shape, measured: Sequence[Measured], loads: Sequence[Load],
           problems: Sequence[str], bulk: dict[str, list[float]]) -> bool:  # fmt: skip
    rows: list[tuple[str, ...]] = []
    verdicts: list[str] = []

    def row(figure: str, value: str, target: str, ok: bool | None) -> None:
        rows.append((figure, value, target, _verdict(ok)))
        if ok is not None:
            verdicts.append(_verdict(ok))

    notes = []
    for m in measured:
        ep, u, c = m.endpoint, m.uncached, m.cached
        raw50, raw95 = percentile(m.raw_ms, 0.5), percentile(m.raw_ms, 0.95)
        bad = {s: n for s, n in (u.statuses + c.statuses).items() if s != 200}
        if bad:
            notes.append(f"{ep.name}: non-200 answers {bad}")
        uncached_ok = u.p95 <= ep.p95_target_ms and not bad
        figure = f"p50 {u.p50:.1f} / p95 {u.p95:.1f} ms"
        row(f"{ep.name}: uncached", figure, f"p95 <= {ep.p95_target_ms:g} ms", uncached_ok)
        row(f"{ep.name}: raw SQL", f"p50 {raw50:.1f} / p95 {raw95:.1f} ms", "reference", None)
        speed50, speed95 = raw50 / u.p50, raw95 / u.p95
        target = f">= {ep.speedup_target:g} x (p95)" if ep.speedup_target else ""
        ok = speed95 >= ep.speedup_target if ep.speedup_target else None
        row(f"{ep.name}: raw / uncached", f"{speed50:.1f} x (p50), {speed95:.1f} x (p95)", target, ok)
        is_cached, how = cache_state(m)
        if ep.cached_target_ms is not None:  # the cached target is the analytics'
            figure, target = f"p50 {c.p50:.2f} / p95 {c.p95:.2f} ms", f"p95 <= {ep.cached_target_ms:g} ms"
            if is_cached:
                row(f"{ep.name}: cached", figure, target, c.p95 <= ep.cached_target_ms)
            else:
                row(f"{ep.name}: cached", f"NOT MEASURED (no cache): repeat {figure}", target, False)
        else:
            row(f"{ep.name}: repeated", f"p50 {c.p50:.1f} / p95 {c.p95:.1f} ms", "", None)
        notes.append(f"{ep.name}: cache: {how}")
        if m.not_modified is not None:
            nm = m.not_modified
            row(
                f"{ep.name}: If-None-Match",
                f"p50 {nm.p50:.2f} / p95 {nm.p95:.2f} ms, {dict(nm.statuses)}",
                "",
                None,
            )
    health = next(load for load in loads if load.label == "health")
    for load in loads:
        figure = (
            f"{load.rps:,.0f} req/s (p50 {load.p50_ms:.1f} / p95 {load.p95_ms:.1f} ms, {dict(load.statuses)})"
        )
        if load.label == "health":
            row("GET /health, 32 clients", figure, "reference", None)
        else:
            ok = load.rps >= RPS_TARGET * health.rps and set(load.statuses) == {200}
            row(f"{load.label}, 32 clients", f"{figure} = {load.rps / health.rps:.2f} x /health",
                f">= {RPS_TARGET:g} x /health", ok)  # fmt: skip
    row("API answers = raw SQL answers", "yes" if not problems else "; ".join(problems), "", not problems)
    for (
        kind,
        walls,
    ) in bulk.items():  # new SKUs, closing every window, refused (last row bad: nothing applied)
        figure = f"median {statistics.median(walls):.3f} / max {max(walls):.3f} s ({len(walls)} uploads)"
        row(f"COGS bulk CSV {BULK_ROWS:,} rows: {kind}", figure, f"max <= {BULK_TARGET_S:g} s",
            max(walls) <= BULK_TARGET_S)  # fmt: skip

    print(
        f"\ndata: {shape.cabinets} cabinets x {shape.orders:,} FBS orders over {shape.days} Moscow days "
        f"({shape.start} .. {shape.end}): orders {built.orders:,}, stat_orders {built.stat_orders:,}, "
        f"status history {built.history:,}; load {built.load_s:.1f} s, indexes {built.index_s:.1f} s, "
        f"VACUUM ANALYZE {built.vacuum_s:.1f} s; rollups rebuilt in {sum(built.rollup_s):.1f} s "
        f"({statistics_line(built.rollup_s)} per cabinet); by-sku week {shape.week}: {shape.skus:,} SKUs, "
        f"{built.week_lines:,} report lines in cabinet 0"
    )
    header = ("figure", "measured", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    for note in notes:
        print(f"  {note}")
    ok = all(v == "PASS" for v in verdicts)
    met = "all targets met" if ok else "TARGET MISSED"
    print(f"summary: {verdicts.count('PASS')}/{len(verdicts)} targets met ({met})")
    return ok


def statistics_line(walls: Sequence[float]) -> str:
    return f"min {min(walls):.1f} / max {max(walls):.1f} s" if walls else "-"


# --- main ----------------------------------------------------------------------------------------


async def _measure(
    base_url: str, db_url: str, built: Built, shape: Shape, n: int, clients: int, duration_s: float
) -> tuple[list[Measured], list[Load], list[str], dict[str, list[float]]]:
    from adapters.outbound.jwt_tokens import JwtAccessTokens

    token = JwtAccessTokens(JWT_SECRET).issue(built.user_id, datetime.now(UTC)).token
    eps = endpoints(shape, len(built.cabinet_ids))
    measured = []
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=4)) as session,
        await psycopg.AsyncConnection.connect(db_url, autocommit=True) as conn,
    ):
        client = Client(base_url, session, token, built.cabinet_ids)
        for ep in eps:
            m = await measure_endpoint(client, conn, ep, n, len(built.cabinet_ids))
            measured.append(m)
            print(f"  {ep.name}: uncached p95 {m.uncached.p95:.1f} ms, repeated p95 {m.cached.p95:.2f} ms, "
                  f"raw p95 {percentile(m.raw_ms, 0.95):.1f} ms", flush=True)  # fmt: skip
        problems = await check_answers(client, conn, eps)
        cached_req = eps[0].request(-1)
        headers = client.headers(cached_req)
    from bench.cogs import measure as measure_bulk  # bench/cogs.py imports this module

    # COGS bulk uploads into the last cabinet (its version bumps do not touch the cached series' cabinet 0)
    bulk = await measure_bulk(base_url, token, str(built.cabinet_ids[-1]), BULK_ROWS, BULK_REPEATS)
    health = Request("/health", {}, 0)
    loads = [
        await concurrent_load(base_url, "health", health, {}, clients, duration_s),
        await concurrent_load(
            base_url, "cached trends (day, 365 days)", cached_req, headers, clients, duration_s
        ),
    ]
    return measured, loads, problems, bulk


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cabinets", type=int, default=10)
    parser.add_argument("--orders", type=int, default=1_000_000, help="FBS orders per cabinet")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skus", type=int, default=5000, help="articles in the by-sku week (cabinet 0)")
    parser.add_argument("--stat-share", type=float, default=0.3, help="orders with a stat_orders row")
    parser.add_argument("--history-share", type=float, default=0.05, help="final orders with status history")
    parser.add_argument("--requests", type=int, default=50, help="requests per series")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each concurrent run")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment of `wbpulse api` (e.g. a rate limit setting)")  # fmt: skip
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.server_env)
    server_url, redis_url = server_urls()
    shape = Shape(args.cabinets, args.orders, args.days, args.stat_share, args.history_share,
                  moscow_day(datetime.now(UTC)) - timedelta(days=1), args.skus)  # fmt: skip
    with (
        fresh_database(server_url, "wbpulse_bench_api", args.keep) as db_url,
        tempfile.TemporaryDirectory() as d,
    ):
        t = time.perf_counter()
        built = build(db_url, shape)
        print(f"built in {time.perf_counter() - t:.1f} s: {built.orders:,} orders; rollups "
              f"{sum(built.rollup_s):.1f} s", flush=True)  # fmt: skip
        with api_server(db_url, redis_url, extra_env, Path(d) / "api.log") as base_url:
            measured, loads, problems, bulk = asyncio.run(
                _measure(base_url, db_url, built, shape, args.requests, args.clients, args.duration)
            )
    return 0 if report(built, shape, measured, loads, problems, bulk) else 1


if __name__ == "__main__":
    raise SystemExit(main())
