"""The Redis adapters against a real Redis: the cache port, the health check and the worker heartbeat."""

import secrets
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from adapters.outbound.redis_cache import RedisCache
from adapters.outbound.redis_health import RedisHealthCheck, RedisWorkerHeartbeat


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[Redis]:
    redis = Redis.from_url(redis_url)
    yield redis
    await redis.aclose()


@pytest.fixture
def prefix() -> str:
    return f"wbpulse:test:{secrets.token_hex(4)}:"


async def test_cache_round_trip_with_expiry_and_prefix(client: Redis, prefix: str) -> None:
    cache = RedisCache(client, prefix)
    assert await cache.get("k") is None
    await cache.set("k", b"\x00value", ttl_s=30)
    assert await cache.get("k") == b"\x00value"
    assert 0 < await client.ttl(prefix + "k") <= 30
    await cache.delete("k")
    assert await cache.get("k") is None


async def test_cache_incr_counts_from_one(client: Redis, prefix: str) -> None:
    cache = RedisCache(client, prefix)
    assert [await cache.incr("version") for _ in range(3)] == [1, 2, 3]
    await cache.delete("version")


async def test_health_check_ok_and_unreachable(client: Redis) -> None:
    assert await RedisHealthCheck(client)() is None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = Redis.from_url(f"redis://:pw-not-shown@127.0.0.1:{closed}/0")
    reason = await RedisHealthCheck(down, timeout_s=1)()
    await down.aclose()
    assert reason is not None and reason.startswith("unreachable") and "pw-not-shown" not in reason


async def test_heartbeat_round_trip(client: Redis, prefix: str) -> None:
    heartbeat = RedisWorkerHeartbeat(client, key=prefix + "heartbeat")
    assert await heartbeat.last() is None
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    await heartbeat.record(at, ttl_s=60)
    assert await heartbeat.last() == at
    await client.delete(prefix + "heartbeat")
