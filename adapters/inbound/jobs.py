"""arq jobs: thin wrappers that call a use case. Every job may run twice (arq is at-least-once) and the
use cases are idempotent. ctx carries the use-case registry (`ctx[USE_CASES]`), never the container.
"""

import logging
from typing import Any
from uuid import UUID

from application.registry import UseCases

log = logging.getLogger(__name__)

USE_CASES = "use_cases"
SYNC_INTERVAL_S = "sync_interval_s"
SYNC_JOB = "sync_cabinet"
SYNC_DUE_PREFIX = "wbpulse:sync:due:"
DELIVER_JOB = "deliver_notifications"


def _use_cases(ctx: dict[str, Any]) -> UseCases:
    registry: UseCases = ctx[USE_CASES]
    return registry


async def sync_cabinet(ctx: dict[str, Any], cabinet_id: str) -> dict[str, Any]:
    """Sync one cabinet. Two at once for one cabinet: the second does nothing (the use case's lock)."""
    use_case = await _use_cases(ctx).sync_cabinet()
    report = await use_case(UUID(cabinet_id))
    await wake_delivery(ctx)
    for source in report.sources:
        log.info(
            "sync source done",
            extra={
                "cabinet_id": cabinet_id,
                "source": source.source,
                "taken": source.taken,
                "written": source.written,
                "error": source.error,
                "skipped": source.skipped,
            },
        )
    return {
        "cabinet_id": cabinet_id,
        "skipped": report.skipped,
        "invalidated": report.invalidated,
        "sources": {
            s.source: {"taken": s.taken, "written": s.written, "error": s.error} for s in report.sources
        },
    }


async def enqueue_syncs(ctx: dict[str, Any]) -> int:
    """Cron: enqueue a sync for every active cabinet whose interval has passed.

    A Redis key per cabinet (SET NX EX interval) keeps the cadence across any number of workers, and the
    job id `sync:<cabinet>` keeps one queued sync per cabinet. Returns how many were enqueued.
    """
    interval_s: int = ctx[SYNC_INTERVAL_S]
    redis = ctx["redis"]
    enqueued = 0
    for cabinet_id in await (await _use_cases(ctx).list_active_cabinets())():
        due = await redis.set(f"{SYNC_DUE_PREFIX}{cabinet_id}", "1", nx=True, ex=max(1, interval_s - 5))
        if due and await redis.enqueue_job(SYNC_JOB, str(cabinet_id), _job_id=f"sync:{cabinet_id}"):
            enqueued += 1
    return enqueued


async def validate_cabinets(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron (daily): re-check every key; a rejected key marks its cabinet invalid and leaves an event, and
    cabinets past their retention period are deleted. Counts only: the result is stored in Redis."""
    summary = await (await _use_cases(ctx).validate_cabinets())()
    return {
        "total": summary.total,
        "valid": summary.valid,
        "invalid": summary.invalid,
        "removed": summary.removed,
        "errors": len(summary.errors),
    }


async def purge_cabinets(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron (daily): delete the cabinets invalid or memberless for longer than CABINET_RETENTION_DAYS.
    Idempotent: a re-run finds nothing more due."""
    summary = await (await _use_cases(ctx).purge_cabinets())()
    return {"marked": summary.marked, "removed": len(summary.removed)}


async def record_heartbeat(ctx: dict[str, Any]) -> None:
    """Cron: the worker is alive (for `/ready`). Idempotent (last write wins)."""
    await (await _use_cases(ctx).record_worker_heartbeat())()


async def wake_delivery(ctx: dict[str, Any]) -> None:
    """Ask a worker to deliver now (right after a commit that may have written notifications). Several
    delivery jobs at once are safe (their claims skip each other's rows); the cron is the safety net."""
    try:
        await ctx["redis"].enqueue_job(DELIVER_JOB)
    except Exception:  # the cron delivers within seconds anyway
        log.warning("could not enqueue a delivery job", exc_info=True)


async def deliver_notifications(ctx: dict[str, Any]) -> dict[str, int]:
    """Deliver every due notification (a job woken after a sync, and a cron every few seconds)."""
    report = await (await _use_cases(ctx).deliver_notifications())()
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead}
