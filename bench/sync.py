"""Sync benchmark: `.venv/bin/python bench/sync.py` (DATABASE_URL / REDIS_URL optional).

1. the initial sync of a seed-scale cabinet (simulator preset `seed`, its limits off, ours scaled to ~0);
2. the repositories' upsert vs a raw COPY of the same rows into the same tables;
3. peak RSS of a worker (own process) ingesting an 80,000-row statistics page.
The simulator runs in a subprocess, so RSS figures are the worker's alone. See bench/README.md.
"""

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import attrs

from bench import big_page, upsert_vs_copy
from bench.env import (
    connect_cabinet,
    container,
    create_seller,
    fresh_database,
    peak_rss_mb,
    server_urls,
    simulator,
)
from bench.report import print_report

COPY_REPEATS = 3  # seed rows (~28k) x 3 cabinets per side: ~85k rows each for COPY and for upsert


@attrs.frozen
class InitialSync:
    wall_s: float
    rows: int
    peak_rss_mb: float
    errors: tuple[str, ...]
    by_source: dict[str, int]


async def _initial_sync(c: Any, sim_url: str) -> tuple[InitialSync, Any]:

    # FBS-only (as every figure in bench/README.md before the FBW simulator), so runs stay comparable.
    seller = create_seller(sim_url, preset="seed", fbw_share=0)
    cabinet = await connect_cabinet(c, seller["api_key"], "Seed")
    sync = await c.use_cases.sync_cabinet()
    started = time.perf_counter()
    report = await sync(cabinet.id)
    wall = time.perf_counter() - started
    errors = tuple(f"{s.source}: {s.error}" for s in report.sources if s.error)
    taken = {s.source: s.taken for s in report.sources}
    return InitialSync(wall, sum(taken.values()), peak_rss_mb(), errors, taken), cabinet.id


async def _in_process(db_url: str, redis_url: str, sim_url: str, data_dir: Path) -> tuple[Any, Any]:
    async with container(db_url, redis_url, sim_url, data_dir) as c:
        first, cabinet_id = await _initial_sync(c, sim_url)
        throughput = await upsert_vs_copy.measure(c, db_url, cabinet_id, COPY_REPEATS)
    return first, throughput


def main() -> int:
    server_url, redis_url = server_urls()
    with fresh_database(server_url) as db_url, simulator() as sim_url, tempfile.TemporaryDirectory() as d:
        first, throughput = asyncio.run(_in_process(db_url, redis_url, sim_url, Path(d)))
        big = big_page.run_child(db_url, redis_url, sim_url)
    return 0 if print_report(first, throughput, big) else 1


if __name__ == "__main__":
    raise SystemExit(main())
