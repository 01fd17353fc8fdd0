"""Many cabinets per worker (issue 7, point 9): one real arq worker with the shipped settings syncs 30
cabinets in one cycle with zero errors. Before the fix the held cabinet locks took the pool's connections
and every unit of work waited for one until it failed (`QueuePool limit … reached`)."""

import asyncio
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from arq.connections import ArqRedis
from dependency_injector import providers

from adapters.inbound import jobs
from adapters.outbound.memory.system import RecordingSyncScheduler
from bootstrap import worker as worker_module
from bootstrap.container import build_container, shutdown_resources
from bootstrap.settings import load_settings
from tests.integration.sync_harness import (
    assert_store_equals_truth,
    connect,
    new_seller,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
)

CABINETS = 30


async def test_one_worker_with_the_shipped_settings_syncs_thirty_cabinets_in_one_cycle(
    sim: TestClient, own_database_url: str, redis_url: str, queue: ArqRedis, tmp_path: Path
) -> None:
    settings = load_settings(
        settings_env(own_database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    )
    assert settings.worker_max_jobs > 10  # more jobs at once than the old pool had connections
    ctx: dict[str, Any] = {"container": build_container(settings), "redis": queue}
    # Connecting asks for a sync at once (job id sync:<cabinet>); here the cron's enqueueing is the subject.
    ctx["container"].gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    await worker_module.startup(ctx)
    worker = None
    ids: list[str] = []
    try:
        container = ctx["container"]
        sellers = [await new_seller(sim, seed=n + 1) for n in range(CABINETS)]
        cabinets = [await connect(container, s.key) for s in sellers]
        ids = [str(c.id) for c in cabinets]
        assert await jobs.enqueue_syncs(ctx) == CABINETS

        worker = worker_module.create_worker(settings, build_container(settings))
        worker.queue_name = queue.default_queue_name  # the shipped settings otherwise, poll delay included
        worker.health_check_key = f"{worker.queue_name}:health-check"
        worker.burst = True
        await asyncio.wait_for(worker.run_check(), 120)

        assert worker.jobs_complete >= CABINETS and worker.jobs_failed == 0  # + the crons run at start-up
        health = await container.use_cases.cabinet_data_health()
        for seller, cabinet in zip(sellers, cabinets, strict=True):
            sources = (await health(cabinet.id)).sources
            assert [(s.source, s.last_error) for s in sources if s.last_error] == []
            assert all(s.last_success_at for s in sources), sources
            await assert_store_equals_truth(container, cabinet.id, await seller.truth())
            assert (await seller.stats())["violations_total"] == 0
    finally:
        if worker is not None:
            await worker.close()
        if ids:
            await queue.delete(*(f"{jobs.SYNC_DUE_PREFIX}{i}" for i in ids))
        await shutdown_resources(ctx["container"])
