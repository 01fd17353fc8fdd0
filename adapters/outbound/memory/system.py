"""In-memory system ports: a worker heartbeat, a health check whose answer a test sets, and a sync
scheduler that records what it was asked."""

from datetime import datetime, timedelta
from uuid import UUID

from application.ports.system import Clock


class InMemoryWorkerHeartbeat:
    """The heartbeat in process memory; it expires by `clock`, as the Redis key expires by its TTL."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last: tuple[datetime, datetime] | None = None  # (beat, expires at)

    async def record(self, at: datetime, ttl_s: int) -> None:
        self._last = (at, self._clock.now() + timedelta(seconds=ttl_s))

    async def last(self) -> datetime | None:
        if self._last is None or self._clock.now() >= self._last[1]:
            return None
        return self._last[0]


class SettableHealthCheck:
    """A dependency that is ready (`reason` None) or not, as the test says."""

    def __init__(self, name: str, reason: str | None = None) -> None:
        self._name = name
        self.reason = reason

    @property
    def name(self) -> str:
        return self._name

    async def __call__(self) -> str | None:
        return self.reason


class RecordingSyncScheduler:
    """Remembers which cabinets were asked for a sync now, in order; a repeat while queued is one request,
    as the arq job id makes it. `ran` empties the queue (the worker took the jobs)."""

    def __init__(self) -> None:
        self.requested: list[UUID] = []
        self._queued: set[UUID] = set()

    async def sync_now(self, cabinet_id: UUID) -> None:
        if cabinet_id not in self._queued:
            self._queued.add(cabinet_id)
            self.requested.append(cabinet_id)

    def ran(self) -> None:
        self._queued.clear()


class RecordingDeliveryScheduler:
    """Counts the requests to deliver now."""

    def __init__(self) -> None:
        self.requests = 0

    async def deliver_now(self) -> None:
        self.requests += 1
