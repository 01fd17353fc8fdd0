"""COGS bulk upload: `POST /v1/cogs/bulk` with N CSV rows (default 5,000 SKUs) against `wbpulse api` in its
own process, on a fresh migrated database. Target (issue 11): ≤ 2 s for 5,000 rows.

Three uploads per repeat, each of N different SKUs: `new` (every SKU's first cost), `closing` (a later cost
for each of those SKUs, so every stored window is closed in the same save), and `refused` (N rows, the last
one invalid: everything is checked and nothing is applied). Wall time of the whole HTTP request as the
dashboard sees it (parse, validate, one locked read, the rules in memory, one set-based save, commit).

    .venv/bin/python -m bench.cogs [--rows 5000] [--repeats 5]
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import psycopg

from adapters.outbound.jwt_tokens import JwtAccessTokens
from bench.api import JWT_SECRET, _identities, api_server
from bench.env import fresh_database, server_urls

TARGET_S = 2.0


def csv_body(first_nm: int, rows: int, valid_from: str, bad_last: bool = False) -> bytes:
    lines = ["nm_id,unit_cost,currency,valid_from,valid_to"]
    lines += [f"{first_nm + i},{100 + i % 900}.{i % 100:02d},RUB,{valid_from}," for i in range(rows)]
    if bad_last:
        lines[-1] = f"{first_nm + rows - 1},-1,RUB,{valid_from},"
    return ("\n".join(lines) + "\n").encode()


async def upload(session: aiohttp.ClientSession, url: str, body: bytes, expect: int) -> float:
    started = time.perf_counter()
    async with session.post(f"{url}/v1/cogs/bulk", data=body, headers={"Content-Type": "text/csv"}) as r:
        answer = await r.json()
        wall = time.perf_counter() - started
        if r.status != expect:
            raise SystemExit(f"bulk upload answered {r.status}, expected {expect}: {str(answer)[:300]}")
    return wall


async def measure(url: str, token: str, cabinet: str, rows: int, repeats: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {token}", "X-Cabinet-Id": cabinet}
    walls: dict[str, list[float]] = {"new": [], "closing": [], "refused": []}
    async with aiohttp.ClientSession(headers=headers) as session:
        for r in range(repeats):
            first = 1_000_000 + r * rows
            walls["new"].append(await upload(session, url, csv_body(first, rows, "2026-01-01"), 200))
            walls["closing"].append(await upload(session, url, csv_body(first, rows, "2026-02-01"), 200))
            refused = csv_body(first + 10 * rows * repeats, rows, "2026-01-01", bad_last=True)
            walls["refused"].append(await upload(session, url, refused, 400))
        async with session.get(f"{url}/v1/cogs/history?nm_id={1_000_000}") as h:
            versions = [(v["valid_from"], v["valid_to"]) for v in (await h.json())["data"]]
    if versions != [("2026-02-01", None), ("2026-01-01", "2026-01-31")]:
        raise SystemExit(f"unexpected history after the uploads: {versions}")
    return walls


def report(rows: int, walls: Mapping[str, Sequence[float]]) -> bool:
    print(f"\nPOST /v1/cogs/bulk, {rows:,} CSV rows, {len(walls['new'])} repeats (target <= {TARGET_S} s)")
    print("| upload | median | max | verdict |\n|---|---|---|---|")
    ok = True
    for name, values in walls.items():
        worst = max(values)
        passed = worst <= TARGET_S
        ok = ok and passed
        print(
            f"| {name} | {statistics.median(values):.3f} s | {worst:.3f} s | {'PASS' if passed else 'FAIL'} |"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    server_url, redis_url = server_urls()
    with fresh_database(server_url, "wbpulse_bench_cogs") as db, tempfile.TemporaryDirectory() as tmp:
        with psycopg.connect(db, autocommit=True) as conn:
            cabinets, user_id = _identities(conn, 1)
        token = JwtAccessTokens(JWT_SECRET).issue(user_id, datetime.now(UTC)).token
        with api_server(db, redis_url, {}, Path(tmp) / "api.log") as url:
            walls = asyncio.run(measure(url, token, str(cabinets[0]), args.rows, args.repeats))
    return 0 if report(args.rows, walls) else 1


if __name__ == "__main__":
    raise SystemExit(main())
