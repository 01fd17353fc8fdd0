"""Asking the arq workers for a sync now: the same job, with the same job id, as the cron enqueues."""

import logging
from datetime import timedelta
from uuid import UUID

from arq.connections import ArqRedis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ArqSyncScheduler:
    """Enqueues `job_name(cabinet_id)` with job id `sync:<cabinet>` on the workers' queue, so a sync
    already queued (by the cron or an earlier connect) is not queued twice. Redis down: a warning, and
    the cron picks the cabinet up at its next tick. A request no worker started within `expires_s` is
    dropped: by then the cron has enqueued the cabinet anyway."""

    def __init__(self, redis: ArqRedis, job_name: str, queue_name: str, expires_s: float = 600) -> None:
        self._redis = redis
        self._job_name = job_name
        self._queue_name = queue_name
        self._expires = timedelta(seconds=expires_s)

    async def sync_now(self, cabinet_id: UUID) -> None:
        try:
            await self._redis.enqueue_job(
                self._job_name,
                str(cabinet_id),
                _job_id=f"sync:{cabinet_id}",
                _queue_name=self._queue_name,
                _expires=self._expires,
            )
        except (RedisError, OSError) as exc:
            logger.warning("could not queue a sync of cabinet %s now: %s", cabinet_id, type(exc).__name__)


class ArqDeliveryScheduler:
    """Enqueues the delivery job (no job id: several at once are safe, their claims skip each other's
    rows). Redis down: a warning, and the delivery cron runs within seconds anyway."""

    def __init__(self, redis: ArqRedis, job_name: str, queue_name: str) -> None:
        self._redis = redis
        self._job_name = job_name
        self._queue_name = queue_name

    async def deliver_now(self) -> None:
        try:
            await self._redis.enqueue_job(self._job_name, _queue_name=self._queue_name)
        except (RedisError, OSError) as exc:
            logger.warning("could not queue a delivery now: %s", type(exc).__name__)
