"""The sync the way it runs in production: arq jobs on a real worker and real Redis, and the `wbpulse`
CLI as child processes against the simulator as its own process."""

import asyncio
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import aiohttp
from aiohttp.test_utils import TestClient
from arq.connections import ArqRedis
from dependency_injector import providers

from adapters.inbound import jobs
from adapters.outbound.memory.system import RecordingSyncScheduler
from application.sync.sources import SOURCE_NAMES as SOURCES
from bootstrap import worker as worker_module
from bootstrap.container import build_container, shutdown_resources
from bootstrap.settings import load_settings
from tests.integration.sync_harness import (
    STATS_INTERVAL_S,
    SimProcess,
    assert_no_duplicates,
    assert_store_equals_truth,
    connect,
    new_seller,
    new_telegram_id,
    proc_container_fixture,  # noqa: F401 - fixture proc_container
    proc_control_fixture,  # noqa: F401 - fixture proc_control
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
    sim_process_fixture,  # noqa: F401 - fixture sim_process
)
from tests.integration.wbpulse_process import clean_env, run_to_end

# --- arq -------------------------------------------------------------------------------------------------


async def test_enqueue_syncs_twice_queues_one_sync_per_active_cabinet_and_the_worker_runs_them(
    sim: TestClient,
    own_database_url: str,
    redis_url: str,
    queue: ArqRedis,
    tmp_path: Path,
) -> None:
    settings = load_settings(
        settings_env(own_database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    )
    # The cron's ctx, built by the worker's own startup, on a container of its own.
    ctx: dict[str, Any] = {"container": build_container(settings), "redis": queue}
    # Connecting asks for a sync at once (job id sync:<cabinet>); here the cron's enqueueing is the subject.
    ctx["container"].gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    await worker_module.startup(ctx)
    worker = None
    ids: set[str] = set()
    try:
        container = ctx["container"]
        sellers = [await new_seller(sim), await new_seller(sim)]
        cabinets = [await connect(container, s.key) for s in sellers]
        ids = {str(c.id) for c in cabinets}

        assert await jobs.enqueue_syncs(ctx) == 2
        assert await jobs.enqueue_syncs(ctx) == 0  # within the interval: the due key holds
        await queue.delete(*(f"{jobs.SYNC_DUE_PREFIX}{i}" for i in ids))
        assert await jobs.enqueue_syncs(ctx) == 0  # due again, but a sync is still queued: the job id holds
        queued = await queue.queued_jobs()
        assert sorted((j.function, j.args) for j in queued) == sorted((jobs.SYNC_JOB, (i,)) for i in ids)

        worker = worker_module.create_worker(settings, build_container(settings))
        worker.queue_name = queue.default_queue_name
        worker.health_check_key = f"{worker.queue_name}:health-check"
        worker.burst = True
        worker.poll_delay_s = 0.05
        completed = await asyncio.wait_for(worker.run_check(), 60)

        assert completed >= 2 and worker.jobs_failed == 0
        assert await queue.queued_jobs() == []
        for seller, cabinet in zip(sellers, cabinets, strict=True):
            await assert_store_equals_truth(container, cabinet.id, await seller.truth())
            await assert_no_duplicates(container, cabinet.id)
            assert (await seller.stats())["violations_total"] == 0
    finally:
        if worker is not None:
            await worker.close()
        if ids:
            await queue.delete(*(f"{jobs.SYNC_DUE_PREFIX}{i}" for i in ids))
        await shutdown_resources(ctx["container"])


# --- CLI -------------------------------------------------------------------------------------------------

CABINET_LINE = re.compile(r"^cabinet ([0-9a-f-]{36}) created", re.MULTILINE)


def _source_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.split()[:1] and line.split()[0] in SOURCES]


async def wbpulse(env: dict[str, str], cwd: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    done = await asyncio.to_thread(run_to_end, list(args), env, cwd, 60, stdin)
    return done.returncode, done.stdout + done.stderr


async def test_cli_connects_a_cabinet_and_syncs_it_with_one_line_per_source_and_never_prints_the_key(
    sim_process: SimProcess,
    proc_control: aiohttp.ClientSession,
    proc_container: Any,
    database_url: str,
    redis_url: str,
    tmp_path: Path,
) -> None:
    seller = await new_seller(proc_control)
    env = clean_env(**settings_env(database_url, redis_url, sim_process.base_url, tmp_path))
    telegram_id = str(new_telegram_id())

    connect = ("cabinet", "connect", "--telegram-id", telegram_id, "--name", "Shop")
    code, out = await wbpulse(env, tmp_path, *connect, stdin=f"{seller.key}\n")  # never an argument
    assert code == 0, out
    match = CABINET_LINE.search(out)
    assert match, out
    cabinet_id = match.group(1)

    code, sync_out = await wbpulse(env, tmp_path, "sync", "--cabinet", cabinet_id)

    assert code == 0, sync_out
    lines = _source_lines(sync_out)
    assert [line.split()[0] for line in lines] == list(SOURCES), sync_out
    assert all(line.endswith("ok") for line in lines), sync_out
    for output in (out, sync_out):
        assert seller.key not in output
        assert seller.key.split(".")[1] not in output  # not even the JWT's payload

    await assert_store_equals_truth(proc_container, UUID(cabinet_id), await seller.truth())
    await assert_no_duplicates(proc_container, UUID(cabinet_id))

    await asyncio.sleep(STATS_INTERVAL_S)
    code, again = await wbpulse(env, tmp_path, "sync", "--cabinet", cabinet_id)
    assert code == 0, again
    assert [int(line.split()[4]) for line in _source_lines(again)] == [0] * len(SOURCES), again
    assert (await seller.stats())["violations_total"] == 0
