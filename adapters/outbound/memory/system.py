"""In-memory system ports: a worker heartbeat and a health check whose answer a test sets."""

from datetime import datetime, timedelta

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
