"""Readiness of Redis (PING within a timeout) and the worker's heartbeat kept in Redis."""

import asyncio
from datetime import datetime

from redis.asyncio import Redis

DEFAULT_TIMEOUT_S = 2.0
HEARTBEAT_KEY = "wbpulse:worker:heartbeat"


class RedisHealthCheck:
    """Implements the HealthCheck port. The reason never names the host or a password."""

    def __init__(self, client: Redis, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._client = client
        self._timeout_s = timeout_s

    @property
    def name(self) -> str:
        return "redis"

    async def __call__(self) -> str | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._client.ping()
        except TimeoutError:
            return f"no answer within {self._timeout_s:g} s"
        except Exception as exc:  # a health check reports, it never raises
            return f"unreachable ({type(exc).__name__})"
        return None


class RedisWorkerHeartbeat:
    """The last time a worker said it was alive, shared by every process through Redis.

    Writing is idempotent (last write wins); the key expires, so a dead worker fleet shows as no heartbeat.
    """

    def __init__(self, client: Redis, key: str = HEARTBEAT_KEY) -> None:
        self._client = client
        self._key = key

    async def record(self, at: datetime, ttl_s: int) -> None:
        await self._client.set(self._key, at.isoformat(), ex=ttl_s)

    async def last(self) -> datetime | None:
        value = await self._client.get(self._key)
        if value is None:
            return None
        text = value.decode() if isinstance(value, bytes) else str(value)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
