"""The Redis health check against a real Redis (the heartbeat has its own contract test)."""

import secrets
import socket
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.outbound.redis_health import RedisHealthCheck


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[Redis]:
    redis = Redis.from_url(redis_url)
    yield redis
    await redis.aclose()


@pytest.fixture
def prefix() -> str:
    return f"wbpulse:test:{secrets.token_hex(4)}:"


async def test_health_check_ok_and_unreachable(client: Redis) -> None:
    assert await RedisHealthCheck(client)() is None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = Redis.from_url(f"redis://:pw-not-shown@127.0.0.1:{closed}/0")
    reason = await RedisHealthCheck(down, timeout_s=1)()
    await down.aclose()
    assert reason is not None and reason.startswith("unreachable") and "pw-not-shown" not in reason
