"""The arq adapter of SyncScheduler against real Redis: it queues the workers' sync job, once per cabinet,
on the workers' queue; with Redis down it only warns (the cron covers the cabinet)."""

import logging
import secrets
import uuid

import pytest
from arq.connections import ArqRedis
from redis.asyncio import ConnectionPool

from adapters.inbound.jobs import SYNC_JOB
from adapters.outbound.arq_sync_scheduler import ArqSyncScheduler
from bootstrap import container, worker


def test_the_api_queues_on_the_workers_queue() -> None:
    assert container.ARQ_QUEUE_NAME == worker.QUEUE_NAME == worker.WorkerSettings.queue_name


async def test_a_sync_now_is_queued_once_per_cabinet(redis_url: str) -> None:
    queue = f"test:sync-now:{secrets.token_hex(4)}"
    redis = ArqRedis(ConnectionPool.from_url(redis_url), default_queue_name="elsewhere")
    try:
        scheduler = ArqSyncScheduler(redis, SYNC_JOB, queue)
        one, two = uuid.uuid4(), uuid.uuid4()
        for cabinet_id in (one, two, one):
            await scheduler.sync_now(cabinet_id)
        jobs = await redis.queued_jobs(queue_name=queue)
    finally:
        await redis.delete(queue, *[f"arq:job:sync:{c}" for c in (one, two)])
        await redis.aclose()
    assert sorted((j.function, j.args, j.job_id) for j in jobs) == sorted(
        (SYNC_JOB, (str(c),), f"sync:{c}") for c in (one, two)
    )


async def test_redis_down_is_a_warning_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    redis = ArqRedis(ConnectionPool.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5))
    try:
        await ArqSyncScheduler(redis, SYNC_JOB, "q").sync_now(uuid.uuid4())
    finally:
        await redis.aclose()
    assert [r.levelno for r in caplog.records if r.name.endswith("arq_sync_scheduler")] == [logging.WARNING]
