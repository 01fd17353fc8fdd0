"""One contract for the WorkerHeartbeat port, run against the in-memory heartbeat and the Redis one."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from redis.asyncio import Redis

from adapters.outbound.clock import SystemClock
from adapters.outbound.memory.system import InMemoryWorkerHeartbeat
from adapters.outbound.redis_health import RedisWorkerHeartbeat
from application.ports.system import WorkerHeartbeat

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@attrs.frozen
class Beat:
    heartbeat: WorkerHeartbeat
    raw: Redis | None = None  # for planting a value no worker wrote
    key: str = ""


@pytest.fixture(params=["memory", "redis"])
async def beat(request: pytest.FixtureRequest) -> AsyncIterator[Beat]:
    if request.param == "memory":
        yield Beat(InMemoryWorkerHeartbeat(SystemClock()))
        return
    client = Redis.from_url(request.getfixturevalue("redis_url"))
    key = f"wbpulse:test:{secrets.token_hex(4)}:heartbeat"
    yield Beat(RedisWorkerHeartbeat(client, key=key), client, key)
    await client.delete(key)
    await client.aclose()


async def test_no_beat_reads_as_none(beat: Beat) -> None:
    assert await beat.heartbeat.last() is None


async def test_the_last_beat_wins(beat: Beat) -> None:
    await beat.heartbeat.record(AT, ttl_s=60)
    await beat.heartbeat.record(AT + timedelta(seconds=30), ttl_s=60)
    assert await beat.heartbeat.last() == AT + timedelta(seconds=30)


async def test_a_beat_expires_after_its_ttl(beat: Beat) -> None:
    await beat.heartbeat.record(AT, ttl_s=1)
    assert await beat.heartbeat.last() == AT
    await asyncio.sleep(1.1)
    assert await beat.heartbeat.last() is None


async def test_an_unreadable_stored_value_reads_as_none(beat: Beat) -> None:
    if beat.raw is None:
        pytest.skip("only a shared store can hold a value no worker wrote")
    await beat.raw.set(beat.key, "not a date")
    assert await beat.heartbeat.last() is None
