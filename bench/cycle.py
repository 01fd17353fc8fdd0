"""Steady-state cycle benchmark: `.venv/bin/python bench/cycle.py [N]` (default N = 300).

What limits how many sellers one host serves: N simulated sellers (the `small` preset) are connected and
synced once; their sim clocks move 3 minutes; then one steady-state cycle runs through the real worker
(`bootstrap.worker.create_worker` with the shipped settings, burst mode): the cron's `enqueue_syncs`, then
every sync job. Printed: cycle wall time, the worker's CPU and Postgres' CPU (every postgres process of
the server, psutil) per cabinet, the same with 200 ms of WB latency per request (the simulator's
`latency_ms` fault), and one cycle of a single seller of about 300 orders a day. The simulator runs in a
subprocess and its CPU is not counted (it stands for WB). Limits are off on both sides, as in bench/sync.py.
Exit code 0 when every target is met. See bench/README.md.
"""

import asyncio
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import attrs
import psutil

from bench.env import _settings_env, connect_cabinet, create_seller, fresh_database, http_json, server_urls
from bench.env import container as bench_container
from bench.env import simulator as simulator_process

CPU_TARGET_MS = 60.0  # host CPU (worker + Postgres) per small cabinet per cycle
LATENCY_WALL_TARGET = 1.5  # with 200 ms of WB latency: cycle wall <= 1.5 x the cycle's CPU time
BUSY_SELLER = {"preset": "custom", "orders": 300 * 14, "days": 14, "products": 60}


@attrs.frozen
class Cycle:
    cabinets: int
    wall_s: float
    worker_cpu_s: float
    postgres_cpu_s: float
    failed_jobs: int
    errors: tuple[str, ...]

    @property
    def cpu_s(self) -> float:
        return self.worker_cpu_s + self.postgres_cpu_s

    def per_cabinet_ms(self, cpu_s: float) -> float:
        return 1000 * cpu_s / self.cabinets


def _postgres_cpu_s() -> float:
    """CPU of every postgres process of the server, including backends that ended (the postmaster reaps
    them, so their time is in its children's times)."""
    total = 0.0
    for proc in psutil.process_iter(["name", "ppid"]):
        if proc.info["name"] != "postgres":
            continue
        try:
            t = proc.cpu_times()
            is_postmaster = psutil.Process(proc.info["ppid"]).name() != "postgres"
        except psutil.Error:  # a backend that ended meanwhile
            continue
        total += t.user + t.system
        if is_postmaster:
            total += t.children_user + t.children_system
    return total


def _worker_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


async def _cycle(settings: Any, c: Any, cabinet_ids: list[str]) -> Cycle:
    """One cron tick and every job it enqueues, on a fresh worker with the shipped settings."""
    from arq.connections import RedisSettings, create_pool

    from adapters.inbound import jobs
    from bootstrap import worker as worker_module
    from bootstrap.container import use_case_registry

    worker = worker_module.create_worker(settings, c)
    worker.queue_name = f"wbpulse:bench:queue:{secrets.token_hex(4)}"
    worker.health_check_key = f"{worker.queue_name}:health-check"
    worker.burst = True
    redis = await c.gateways.redis_client()
    await redis.delete(*(f"{jobs.SYNC_DUE_PREFIX}{i}" for i in cabinet_ids))
    queue = await create_pool(
        RedisSettings.from_dsn(settings.redis_url), default_queue_name=worker.queue_name
    )
    # The cron job's ctx, as the worker's startup builds it.
    ctx = {
        "redis": queue,
        jobs.USE_CASES: use_case_registry(c),
        jobs.SYNC_INTERVAL_S: settings.sync_interval_s,
    }
    cpu0, pg0, t0 = _worker_cpu_s(), _postgres_cpu_s(), time.perf_counter()
    await jobs.enqueue_syncs(ctx)
    await worker.async_run()
    wall, cpu, pg = time.perf_counter() - t0, _worker_cpu_s() - cpu0, _postgres_cpu_s() - pg0
    failed = worker.jobs_failed
    await queue.aclose()
    await worker.pool.aclose()
    errors = await _errors(c, cabinet_ids)
    return Cycle(len(cabinet_ids), wall, cpu, pg, failed, errors)


async def _errors(c: Any, cabinet_ids: list[str]) -> tuple[str, ...]:
    """Sources whose last run failed, or that never succeeded."""
    from uuid import UUID

    health = await c.use_cases.cabinet_data_health()
    out = []
    for cabinet_id in cabinet_ids:
        for s in (await health(UUID(cabinet_id))).sources:
            if s.last_error or not s.last_success_at:
                out.append(f"{cabinet_id} {s.source}: {s.last_error or 'never synced'}")
    return tuple(out)


def _each(sim_url: str, sellers: list[dict[str, Any]], path: str, body: dict[str, Any] | None) -> None:
    def one(seller: dict[str, Any]) -> None:
        http_json(f"{sim_url}/__sim/sellers/{seller['seller_id']}{path}", body)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(one, sellers))


def _sellers(sim_url: str, n: int, **options: Any) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda k: create_seller(sim_url, seed=k + 1, **options), range(n)))


async def _measure(settings: Any, c: Any, sim_url: str, sellers: list[dict[str, Any]]) -> dict[str, Cycle]:
    ids = [str((await connect_cabinet(c, s["api_key"], f"Shop {k}")).id) for k, s in enumerate(sellers)]
    first = await _cycle(settings, c, ids)
    _each(sim_url, sellers, "/advance", {"minutes": 3})
    steady = await _cycle(settings, c, ids)
    _each(sim_url, sellers, "/faults", {"latency_ms": 200})
    _each(sim_url, sellers, "/advance", {"minutes": 3})
    slow = await _cycle(settings, c, ids)
    _each(sim_url, sellers, "/faults", None)
    return {"first syncs": first, "steady cycle": steady, "steady cycle, 200 ms WB latency": slow}


async def _run(db_url: str, redis_url: str, sim_url: str, data_dir: Path, n: int) -> dict[str, Cycle]:
    from bootstrap.settings import load_settings

    settings = load_settings(_settings_env(db_url, redis_url, sim_url, data_dir))
    async with bench_container(db_url, redis_url, sim_url, data_dir) as c:
        cycles = await _measure(settings, c, sim_url, _sellers(sim_url, n, preset="small"))
        busy = await _measure(settings, c, sim_url, _sellers(sim_url, 1, **BUSY_SELLER))
    return {**cycles, **{f"1 seller of ~300 orders/day: {k}": v for k, v in busy.items()}}


def _lines(cycles: dict[str, Cycle]) -> Iterator[tuple[str, bool]]:
    for name, cy in cycles.items():
        per_host = cy.per_cabinet_ms(cy.cpu_s)
        ok = cy.failed_jobs == 0 and not cy.errors
        line = (
            f"{name:<52} {cy.cabinets:>4} cabinets  wall {cy.wall_s:7.2f} s  "
            f"worker CPU {cy.per_cabinet_ms(cy.worker_cpu_s):6.1f} ms/cab  "
            f"Postgres CPU {cy.per_cabinet_ms(cy.postgres_cpu_s):6.1f} ms/cab  host {per_host:6.1f} ms/cab  "
            f"errors {len(cy.errors) + cy.failed_jobs}"
        )
        if name == "steady cycle":
            ok = ok and per_host <= CPU_TARGET_MS
            line += f"  [{per_host / CPU_TARGET_MS:.2f} x the {CPU_TARGET_MS:g} ms target]"
        if name == "steady cycle, 200 ms WB latency":
            ratio = cy.wall_s / cy.cpu_s
            ok = ok and ratio <= LATENCY_WALL_TARGET
            target = LATENCY_WALL_TARGET
            line += f"  [wall/CPU {ratio:.2f}, {ratio / target:.2f} x the {target:g} target]"
        yield line + ("" if ok else "  FAIL"), ok


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    server_url, redis_url = server_urls()
    with (
        fresh_database(server_url) as db_url,
        simulator_process() as sim_url,
        tempfile.TemporaryDirectory() as d,
    ):
        cycles = asyncio.run(_run(db_url, redis_url, sim_url, Path(d), n))
    results = list(_lines(cycles))
    for line, _ in results:
        print(line)
    for name, cy in cycles.items():
        for error in cy.errors[:5]:
            print(f"  {name}: {error}")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
