"""The arq worker: `WorkerSettings` (a plain class) plus the settings-dependent parts, and its jobs.

Jobs are thin: they take what they need from ctx, which `startup` fills from the container. Every job may
run twice (arq is at-least-once), so each is idempotent. Later issues add the sync and delivery jobs.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, cast

from arq.connections import RedisSettings
from arq.cron import cron
from arq.worker import Worker, func, get_kwargs

from adapters.inbound import jobs
from adapters.outbound.redis_health import RedisWorkerHeartbeat
from application.ports import Clock
from bootstrap.container import Container, init_resources, resolve, shutdown_resources
from bootstrap.settings import Settings

QUEUE_NAME = "wbpulse:queue"
HEARTBEAT_TTL_S = 120


async def record_heartbeat(ctx: dict[str, Any]) -> None:
    """Cron: the worker is alive. Idempotent (last write wins)."""
    await ctx["heartbeat"].record(ctx["clock"].now(), HEARTBEAT_TTL_S)


async def startup(ctx: dict[str, Any]) -> None:
    container: Container = ctx["container"]
    await init_resources(container)
    ctx["clock"] = container.clock()
    ctx["heartbeat"] = await resolve(container.worker_heartbeat)
    ctx["sync_cabinet"] = lambda: resolve(container.sync_cabinet)
    ctx["validate_cabinets"] = lambda: resolve(container.validate_cabinets)
    ctx["active_cabinet_ids"] = _active_cabinet_ids(container)
    ctx["sync_interval_s"] = container.settings().sync_interval_s


def _active_cabinet_ids(container: Container) -> Callable[[], Awaitable[list[Any]]]:
    async def ids() -> list[Any]:
        uow_factory = await resolve(container.unit_of_work_factory)
        async with uow_factory() as uow:
            return [c.id for c in await uow.cabinets.list_active()]

    return ids


async def shutdown(ctx: dict[str, Any]) -> None:
    await shutdown_resources(ctx["container"])


class WorkerSettings:
    """What arq needs beyond the Redis URL and the container (see `create_worker`)."""

    functions: ClassVar[list[Any]] = [
        # keep_result=0: the job id `sync:<cabinet>` is free again as soon as a sync ends.
        func(jobs.sync_cabinet, name=jobs.SYNC_JOB, keep_result=0, timeout=1800, max_tries=3),
    ]
    cron_jobs: ClassVar[list[Any]] = [
        cron(jobs.enqueue_syncs, second={0, 30}, unique=True, run_at_startup=True, timeout=60, keep_result=0),
        cron(jobs.validate_cabinets, hour={3}, minute={17}, unique=True, timeout=3600, keep_result=3600),
        # unique: with many workers, each tick runs once; run_at_startup: /ready sees a worker at once.
        cron(record_heartbeat, second={0, 30}, unique=True, run_at_startup=True, timeout=10, keep_result=60),
    ]
    on_startup = startup
    on_shutdown = shutdown
    queue_name = QUEUE_NAME
    max_jobs = 10
    job_timeout = 300
    keep_result = 3600


def create_worker(settings: Settings, container: Container, *, handle_signals: bool = False) -> Worker:
    """A worker on settings.redis_url (set by then: real or embedded) with `container` in its ctx."""
    if settings.redis_url is None:
        raise RuntimeError("REDIS_URL is not set and no embedded Redis was started")
    options: dict[str, Any] = {**get_kwargs(cast(Any, WorkerSettings))}
    return Worker(
        **options,
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        ctx={"container": container},
        handle_signals=handle_signals,
    )


def heartbeat_info(
    heartbeat: RedisWorkerHeartbeat, clock: Clock
) -> Callable[[], Awaitable[Mapping[str, object]]]:
    """For /ready: when a worker last beat. Informational only: the API can serve without a worker."""

    async def info() -> Mapping[str, object]:
        last = await heartbeat.last()
        if last is None:
            return {"worker": {"heartbeat": None}}
        age = round((clock.now() - last).total_seconds(), 1)
        return {"worker": {"heartbeat": last.isoformat(), "age_s": age}}

    return info
