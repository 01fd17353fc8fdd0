"""The arq worker: `WorkerSettings` (a plain class) plus the settings-dependent parts.

The jobs (`adapters.inbound.jobs`) are thin: `startup` puts the use-case registry in their ctx, never the
container. Every job may run twice (arq is at-least-once), so each is idempotent.
"""

from typing import Any, ClassVar, cast

from arq.connections import RedisSettings
from arq.cron import cron
from arq.worker import Worker, func, get_kwargs

from adapters.inbound import jobs
from bootstrap.container import Container, init_resources, shutdown_resources, use_case_registry
from bootstrap.settings import Settings

QUEUE_NAME = "wbpulse:queue"


async def startup(ctx: dict[str, Any]) -> None:
    container: Container = ctx["container"]
    await init_resources(container)
    ctx[jobs.USE_CASES] = use_case_registry(container)
    ctx[jobs.SYNC_INTERVAL_S] = container.settings().sync_interval_s
    ctx[jobs.NEW_ORDERS_INTERVAL_S] = container.settings().new_orders_interval_s


async def shutdown(ctx: dict[str, Any]) -> None:
    await shutdown_resources(ctx["container"])


class WorkerSettings:
    """What arq needs beyond the Redis URL and the container (see `create_worker`)."""

    functions: ClassVar[list[Any]] = [
        # keep_result=0: the job id `sync:<cabinet>` is free again as soon as a sync ends.
        func(jobs.sync_cabinet, name=jobs.SYNC_JOB, keep_result=0, timeout=1800, max_tries=3),
        func(jobs.deliver_notifications, name=jobs.DELIVER_JOB, keep_result=0, timeout=600, max_tries=1),
        # The fast lane: one try (the next poll is a minute away); keep_result=0 frees `new_orders:<cabinet>`.
        func(jobs.poll_new_orders, name=jobs.NEW_ORDERS_JOB, keep_result=0, timeout=300, max_tries=1),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(jobs.enqueue_syncs, second={0, 30}, unique=True, run_at_startup=True, timeout=60, keep_result=0),
        # The safety net of delivery (a sync wakes it at once): retries fall due, a lost wake-up, a dead
        # worker's lease ends. Not unique: several workers draining together is what the claims allow.
        cron(jobs.deliver_notifications, second=set(range(0, 60, 5)), timeout=600, keep_result=0),
        # Every 5 s, so a cabinet's poll falls due within 5 s of its NEW_ORDERS_INTERVAL.
        cron(
            jobs.enqueue_new_order_polls, second=set(range(0, 60, 5)), unique=True, timeout=60, keep_result=0
        ),
        cron(jobs.validate_cabinets, hour={3}, minute={17}, unique=True, timeout=3600, keep_result=3600),
        # The purge also runs inside validate_cabinets; on its own it still runs when WB is down all night.
        cron(jobs.purge_cabinets, hour={4}, minute={41}, unique=True, timeout=3600, keep_result=3600),
        # 12:00 Moscow (09:00 UTC: arq reads cron times in the worker's zone, UTC in our image) on Monday to
        # Wednesday: the last closed week once its finance report is in, or on Wednesday without it
        # (decision 0021). Any extra run is harmless: the events dedupe by cabinet and week.
        cron(
            jobs.report_missing_cogs,
            weekday={0, 1, 2},
            hour={9},
            minute={0},
            unique=True,
            timeout=3600,
            keep_result=3600,
        ),
        # unique: with many workers, each tick runs once; run_at_startup: /ready sees a worker at once.
        cron(
            jobs.record_heartbeat,
            second={0, 30},
            unique=True,
            run_at_startup=True,
            # Short of the next tick, not shorter: on a worker whose loop is busy with many syncs, one Redis
            # SET can wait seconds for a pooled connection, and a heartbeat is worth waiting for (TTL 120 s).
            timeout=25,
            keep_result=60,
        ),
    ]
    on_startup = startup
    on_shutdown = shutdown
    queue_name = QUEUE_NAME
    max_jobs = 40  # the default of WORKER_MAX_JOBS; create_worker takes the setting
    # arq starts new jobs only on its poll: at its default 0.5 s, a slot freed by a finished sync stays
    # idle until the next poll, and the cycle runs in waves. A poll is one cheap Redis read.
    poll_delay = 0.05
    job_timeout = 300
    keep_result = 3600


def create_worker(settings: Settings, container: Container, *, handle_signals: bool = False) -> Worker:
    """A worker on settings.redis_url (set by then: real or embedded) with `container` in its ctx."""
    if settings.redis_url is None:
        raise RuntimeError("REDIS_URL is not set and no embedded Redis was started")
    options: dict[str, Any] = {**get_kwargs(cast(Any, WorkerSettings)), "max_jobs": settings.worker_max_jobs}
    return Worker(
        **options,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        ctx={"container": container},
        handle_signals=handle_signals,
    )
