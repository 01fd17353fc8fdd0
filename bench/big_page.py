"""Peak RSS of a worker ingesting an 80,000-row statistics page, measured in a process of its own.

Run by bench/sync.py as `python -m bench.big_page DB_URL REDIS_URL SIM_URL`; prints one JSON line. The
seller has 100,000 orders over 30 days and a page cap of 80,000, so the first `supplier/orders` page is
80,000 rows; its key has only the Statistics category, so the sync runs just stat_orders and stat_sales.
"""

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench.env import ROOT, connect_cabinet, container, create_seller, http_json, peak_rss_mb

ORDERS = 100_000
PAGE_CAP = 80_000


async def _measure(db_url: str, redis_url: str, sim_url: str) -> dict[str, Any]:

    seller = create_seller(
        sim_url, preset="custom", orders=ORDERS, days=30, page_cap=PAGE_CAP, categories=["statistics"]
    )
    truth = http_json(f"{sim_url}/__sim/sellers/{seller['seller_id']}/truth")
    with tempfile.TemporaryDirectory() as data_dir:
        async with container(db_url, redis_url, sim_url, Path(data_dir)) as c:
            cabinet = await connect_cabinet(c, seller["api_key"], "Big page")
            sync = await c.use_cases.sync_cabinet()
            before = psutil.Process().memory_info().rss / 2**20  # current, not peak
            started = time.perf_counter()
            report = await sync(cabinet.id)
            wall = time.perf_counter() - started
            peak = peak_rss_mb()
    return {
        "stat_orders_rows": report.source("stat_orders").taken,
        "truth_rows": truth["stats_orders"]["rows"],
        "errors": [f"{s.source}: {s.error}" for s in report.sources if s.error],
        "rss_before_mb": before,
        "peak_rss_mb": peak,
        "wall_s": wall,
    }


def run_child(db_url: str, redis_url: str, sim_url: str) -> dict[str, Any]:
    """Runs this module in a fresh interpreter and returns its figures."""
    cmd = [sys.executable, "-m", "bench.big_page", db_url, redis_url, sim_url]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"big-page child failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_measure(*sys.argv[1:4]))))
