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
NEW_ORDERS_INTERVAL_S = "new_orders_interval_s"
NEW_ORDERS_JOB = "poll_new_orders"
NEW_ORDERS_DUE_PREFIX = "wbpulse:new_orders:due:"
# The cadence key expires this much before the interval ends, so the cron tick (every 5 s) at the
# interval's end finds it gone rather than a few milliseconds short of it.
_NEW_ORDERS_SLACK_S = 2


def _use_cases(ctx: dict[str, Any]) -> UseCases:
    registry: UseCases = ctx[USE_CASES]
    return registry


async def sync_cabinet(ctx: dict[str, Any], cabinet_id: str) -> dict[str, Any]:
    """Sync one cabinet. Two at once for one cabinet: the second does nothing (the use case's lock). A sync
    that found the lock held (by a fast-lane poll, a fraction of a second) frees its cadence key, so the
    next cron tick tries again instead of waiting a whole SYNC_INTERVAL."""
    use_case = await _use_cases(ctx).sync_cabinet()
    report = await use_case(UUID(cabinet_id))
    if report.skipped == "already running":
        await ctx["redis"].delete(f"{SYNC_DUE_PREFIX}{cabinet_id}")
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


async def poll_new_orders(ctx: dict[str, Any], cabinet_id: str) -> dict[str, Any]:
    """The fast lane: store one cabinet's new FBS orders and tell them now, between full syncs (nothing
    while its sync runs: that reads them itself). Wakes delivery when it wrote notifications."""
    report = await (await _use_cases(ctx).poll_new_orders())(UUID(cabinet_id))
    if report.notified:
        await wake_delivery(ctx)
    if report.new_orders or report.error:
        log.info(
            "new orders polled",
            extra={"cabinet_id": cabinet_id, "new_orders": report.new_orders, "error": report.error},
        )
    return {
        "cabinet_id": cabinet_id,
        "listed": report.listed,
        "new_orders": report.new_orders,
        "notified": report.notified,
        "skipped": report.skipped,
        "error": report.error,
    }


async def enqueue_new_order_polls(ctx: dict[str, Any]) -> int:
    """Cron (every 5 s): enqueue the fast lane's poll for every active cabinet whose NEW_ORDERS_INTERVAL
    has passed. As in `enqueue_syncs`, a Redis key per cabinet (SET NX EX) keeps the cadence across any
    number of workers, and the job id `new_orders:<cabinet>` keeps one queued poll per cabinet. Returns
    how many were enqueued."""
    interval_s: int = ctx[NEW_ORDERS_INTERVAL_S]
    redis = ctx["redis"]
    enqueued = 0
    for cabinet_id in await (await _use_cases(ctx).list_active_cabinets())():
        key, ttl = f"{NEW_ORDERS_DUE_PREFIX}{cabinet_id}", max(1, interval_s - _NEW_ORDERS_SLACK_S)
        if await redis.set(key, "1", nx=True, ex=ttl) and await redis.enqueue_job(
            NEW_ORDERS_JOB, str(cabinet_id), _job_id=f"new_orders:{cabinet_id}"
        ):
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


async def report_missing_cogs(ctx: dict[str, Any]) -> dict[str, Any]:
    """Cron: tell each cabinet's members about the SKUs the last closed Moscow week sold without a cost
    (once per cabinet and week; a week whose finance report is late is waited for until Wednesday, then
    told from the statistics sales). Safe at any time and on many workers: the events dedupe by week."""
    run = await (await _use_cases(ctx).report_missing_cogs())()
    if run.notified:
        await wake_delivery(ctx)
    return {
        "week": run.week,
        "reported": run.reported,
        "clean": run.clean,
        "waiting": run.waiting,
        "failed": run.failed,
        "notified": run.notified,
    }


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
