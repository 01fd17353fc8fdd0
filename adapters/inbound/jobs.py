"""arq jobs: thin wrappers that call a use case. Every job may run twice (arq is at-least-once) and the
use cases are idempotent. ctx is filled by bootstrap.worker with use-case factories, never the container.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

log = logging.getLogger(__name__)

SYNC_JOB = "sync_cabinet"
SYNC_DUE_PREFIX = "wbpulse:sync:due:"


async def sync_cabinet(ctx: dict[str, Any], cabinet_id: str) -> dict[str, Any]:
    """Sync one cabinet. Two at once for one cabinet: the second does nothing (the use case's lock)."""
    use_case = await ctx["sync_cabinet"]()
    report = await use_case(UUID(cabinet_id))
    summary = {
        "cabinet_id": cabinet_id,
        "skipped": report.skipped,
        "invalidated": report.invalidated,
        "sources": {
            s.source: {"taken": s.taken, "written": s.written, "error": s.error} for s in report.sources
        },
    }
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
    return summary


async def enqueue_syncs(ctx: dict[str, Any]) -> int:
    """Cron: enqueue a sync for every active cabinet whose interval has passed.

    A Redis key per cabinet (SET NX EX interval) keeps the cadence across any number of workers, and the
    job id `sync:<cabinet>` keeps one queued sync per cabinet. Returns how many were enqueued.
    """
    list_ids: Callable[[], Awaitable[Sequence[UUID]]] = ctx["active_cabinet_ids"]
    interval_s: int = ctx["sync_interval_s"]
    redis = ctx["redis"]
    enqueued = 0
    for cabinet_id in await list_ids():
        due = await redis.set(f"{SYNC_DUE_PREFIX}{cabinet_id}", "1", nx=True, ex=max(1, interval_s - 5))
        if due and await redis.enqueue_job(SYNC_JOB, str(cabinet_id), _job_id=f"sync:{cabinet_id}"):
            enqueued += 1
    return enqueued


async def validate_cabinets(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron (daily): re-check every key; a rejected key marks its cabinet invalid and leaves an event."""
    use_case = await ctx["validate_cabinets"]()
    summary = await use_case()
    return {"checked": summary.checked, "invalid": summary.invalid, "skipped": summary.skipped}
