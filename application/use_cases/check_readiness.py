"""CheckReadiness: can this process serve (its dependencies answer), and is a worker alive."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

import attrs

from application.ports.system import Clock, HealthCheck, WorkerHeartbeat

CHECK_TIMEOUT_S = 3.0
log = logging.getLogger(__name__)


@attrs.frozen
class WorkerSeen:
    """The worker's last heartbeat (None: no worker has beaten lately) and its age in seconds."""

    heartbeat: datetime | None
    age_s: float | None


@attrs.frozen
class Readiness:
    checks: dict[str, str | None]
    """Each dependency's reason for not being ready, or None when it is."""
    worker: WorkerSeen | None
    """Informational: the API serves without a worker. None when the heartbeat could not be read."""

    @property
    def ready(self) -> bool:
        return all(reason is None for reason in self.checks.values())


@attrs.frozen
class CheckReadiness:
    """Run every HealthCheck concurrently, each bounded by CHECK_TIMEOUT_S, and read the worker heartbeat.

    Never raises: a check that raises or hangs is reported as not ready with a short reason (never a
    secret). Read-only, so safe to call as often as a load balancer likes.
    """

    checks: Sequence[HealthCheck]
    heartbeat: WorkerHeartbeat
    clock: Clock

    async def __call__(self) -> Readiness:
        reasons, worker = await asyncio.gather(
            asyncio.gather(*(_bounded(check) for check in self.checks)), self._worker()
        )
        return Readiness(dict(zip((c.name for c in self.checks), reasons, strict=True)), worker)

    async def _worker(self) -> WorkerSeen | None:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                last = await self.heartbeat.last()
        except Exception:  # informational by definition
            log.debug("worker heartbeat unavailable", exc_info=True)
            return None
        if last is None:
            return WorkerSeen(None, None)
        return WorkerSeen(last, round((self.clock.now() - last).total_seconds(), 1))


async def _bounded(check: HealthCheck) -> str | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            return await check()
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_S:g} s"
    except Exception as exc:  # a check must not raise; if one does, it is a failed check, not a 500
        return f"check failed ({type(exc).__name__})"
