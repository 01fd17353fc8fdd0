"""RecordWorkerHeartbeat: a worker says it is alive, so `/ready` can tell whether anyone runs the jobs."""

import attrs

from application.ports.system import Clock, WorkerHeartbeat

HEARTBEAT_TTL_S = 120


@attrs.frozen
class RecordWorkerHeartbeat:
    """Record "alive now", expiring after HEARTBEAT_TTL_S. Idempotent (last write wins). Raises what the
    heartbeat store raises when it is down (the cron job then fails and runs again at the next tick)."""

    heartbeat: WorkerHeartbeat
    clock: Clock

    async def __call__(self) -> None:
        await self.heartbeat.record(self.clock.now(), HEARTBEAT_TTL_S)
