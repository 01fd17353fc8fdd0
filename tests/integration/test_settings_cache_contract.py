"""One contract for the SettingsCache port, run against the in-memory cache and the Redis one; then what
only Redis can show: the key and its TTL, a value no writer of ours stored, and Redis being down."""

import json
import logging
import secrets
import socket
from collections.abc import AsyncIterator

import attrs
import pytest
from redis.asyncio import Redis

from adapters.outbound.memory.settings_cache import InMemorySettingsCache
from adapters.outbound.redis_settings_cache import RedisSettingsCache
from application.ports.notifications import SettingsCache
from domain.notifications import NotificationSettings

CHOSEN = NotificationSettings(
    notifications_enabled=False,
    order_returns_enabled=False,
    review_rating_threshold=0,
    stock_analysis_days=14,
    grouping_enabled=False,
    max_group_size=50,
    group_timeout=1,
    excluded_stock_nm_ids=frozenset({9, 2**63 - 1, 1}),
)


@attrs.frozen
class Cache:
    cache: SettingsCache
    raw: Redis | None = None  # for looking at, or planting, what Redis holds
    prefix: str = ""


@pytest.fixture(params=["memory", "redis"])
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield Cache(InMemorySettingsCache())
        return
    client = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"wbpulse:test:{secrets.token_hex(4)}:notifications:settings:"
    yield Cache(RedisSettingsCache(client, prefix=prefix), client, prefix)
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_nothing_put_reads_as_a_miss(subject: Cache) -> None:
    assert await subject.cache.get(1) is None


async def test_what_is_put_is_read_back_whole_and_per_user(subject: Cache) -> None:
    await subject.cache.put(1, CHOSEN)
    await subject.cache.put(2, NotificationSettings())
    assert await subject.cache.get(1) == CHOSEN
    assert await subject.cache.get(2) == NotificationSettings()
    assert await subject.cache.get(3) is None


async def test_a_put_replaces_the_value(subject: Cache) -> None:
    await subject.cache.put(1, CHOSEN)
    await subject.cache.put(1, NotificationSettings())
    assert await subject.cache.get(1) == NotificationSettings()


async def test_invalidate_forgets_one_user_and_is_idempotent(subject: Cache) -> None:
    await subject.cache.put(1, CHOSEN)
    await subject.cache.put(2, CHOSEN)
    await subject.cache.invalidate(1)
    await subject.cache.invalidate(1)
    await subject.cache.invalidate(3)
    assert await subject.cache.get(1) is None
    assert await subject.cache.get(2) == CHOSEN


async def test_redis_holds_every_field_as_json_under_the_users_key_with_a_ttl(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    user_id = 10**15 + secrets.randbelow(10**12)  # no real user's id: the key is the production one
    key = f"notifications:settings:{user_id}"
    try:
        await RedisSettingsCache(client, ttl_s=600).put(user_id, CHOSEN)
        stored = json.loads(await client.get(key))
        ttl = await client.ttl(key)
    finally:
        await client.delete(key)
        await client.aclose()
    assert stored == attrs.asdict(CHOSEN) | {"excluded_stock_nm_ids": [1, 9, 2**63 - 1]}
    assert 590 <= ttl <= 600


@pytest.mark.parametrize(
    "planted",
    [b"not json", b"[1, 2]", b'{"notifications_enabled": true}', b"\xff\xfe", b""],
    ids=["junk", "a list", "fields missing", "not utf-8", "empty"],
)
async def test_a_value_no_writer_of_ours_stored_reads_as_a_miss(
    subject: Cache, planted: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    if subject.raw is None:
        pytest.skip("only a shared store can hold a value we did not write")
    await subject.raw.set(subject.prefix + "1", planted)
    assert await subject.cache.get(1) is None
    assert "unreadable" in caplog.text


async def test_a_value_out_of_the_domains_range_reads_as_a_miss(subject: Cache) -> None:
    if subject.raw is None:
        pytest.skip("only a shared store can hold a value we did not write")
    bad = attrs.asdict(NotificationSettings()) | {"max_group_size": 51, "excluded_stock_nm_ids": []}
    await subject.raw.set(subject.prefix + "1", json.dumps(bad))
    assert await subject.cache.get(1) is None


async def test_redis_down_reads_as_a_miss_and_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = Redis.from_url(f"redis://:pw-not-shown@127.0.0.1:{closed}/0", socket_connect_timeout=1)
    cache = RedisSettingsCache(down)
    with caplog.at_level(logging.WARNING, logger="adapters.outbound.redis_settings_cache"):
        await cache.put(1, CHOSEN)
        assert await cache.get(1) is None
        await cache.invalidate(1)
    await down.aclose()
    assert [r.levelno for r in caplog.records] == [logging.WARNING] * 3
    assert "pw-not-shown" not in caplog.text


async def test_a_redis_that_does_not_answer_in_time_reads_as_a_miss() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        client = Redis.from_url(f"redis://127.0.0.1:{port}/0")
        cache = RedisSettingsCache(client, timeout_s=0.2)
        assert await cache.get(1) is None
        await cache.put(1, CHOSEN)
        await client.aclose()
