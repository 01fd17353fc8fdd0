"""Caching and limits of the dashboard (issue 10 part 6, decision 0017) on the real app, Postgres and
Redis: answers are cached in Redis under the cabinet's data version with the contract's TTL, a sync page
that recomputes a day makes the next request recompute, the ETag is honoured, a user over
DASHBOARD_RATE_LIMIT gets 429 with Retry-After; and the Redis adapters are best effort when Redis is down."""

import asyncio
import secrets
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.jwt_tokens import JwtAccessTokens
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.outbound.redis_answers import BUDGET_PREFIX, LEASE_SHARE, RedisAnswerCache, RedisRequestBudget
from application.ports.answers import StoredAnswer
from bootstrap.app import create_app
from bootstrap.container import build_container
from tests.integration.test_http_app import Client, settings_for
from tests.integration.test_openapi_conformance import MEMBER_IDS, stored_cabinet
from tests.unit.use_cases import builders

LIMIT = 8
VOLUME = "/v1/analytics/orders/volume"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture(autouse=True)
async def fresh_budgets(redis: Redis) -> None:
    """Every test database numbers its users from 1 and they all share this Redis: a budget spent this
    minute by an earlier session's user of the same id would count against this module's low limit."""
    async for key in redis.scan_iter(f"{BUDGET_PREFIX}*"):
        await redis.delete(key)


@pytest.fixture
async def client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    settings = attrs.evolve(settings_for(database_url, redis_url), dashboard_rate_limit=LIMIT)
    app: web.Application = create_app(build_container(settings))
    return await aiohttp_client(app)


def headers_for(cabinet_id: uuid.UUID, user_id: int | None = None) -> dict[str, str]:
    user = MEMBER_IDS[cabinet_id] if user_id is None else user_id
    access = JwtAccessTokens("j" * 32).issue(user, datetime.now(UTC)).token
    return {"Authorization": f"Bearer {access}", "X-Cabinet-Id": str(cabinet_id)}


def week() -> str:
    return "from=2026-01-24&to=2026-01-31"  # the stored cabinet's FBS order is of January 31


async def sync_page(engine: AsyncEngine, cabinet_id: uuid.UUID) -> None:
    """What a sync page does: store a new order of January 31 and recompute the day it touched, in its
    transaction (the stored cabinet's rollups already count its own order of that day)."""
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        order = builders.order(cabinet_id, 5151, datetime(2026, 1, 31, 10, 0, tzinfo=UTC))
        await uow.orders.upsert_many([order])
        uow.rollups.touch(cabinet_id, days=[date(2026, 1, 31)])
        await uow.rollups.refresh_touched()
        await uow.commit()


async def version_of(engine: AsyncEngine, cabinet_id: uuid.UUID) -> int:
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        return await uow.rollups.version(cabinet_id)


async def test_answers_are_cached_per_data_version_and_a_sync_outlives_them(
    client: TestClient, pg_engine: AsyncEngine, redis: Redis
) -> None:
    cab = await stored_cabinet(pg_engine)
    mine = headers_for(cab)
    first = await client.get(f"{VOLUME}?{week()}", headers=mine)
    second = await client.get(f"{VOLUME}?{week()}", headers=mine)
    assert (first.status, second.status) == (200, 200)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert await first.read() == await second.read()
    version = await version_of(pg_engine, cab)
    keys = [k.decode() async for k in redis.scan_iter(f"dash:{cab}:*")]
    assert len(keys) == 1 and keys[0].startswith(f"dash:{cab}:{version}:")
    assert 0 < await redis.ttl(keys[0]) <= 300  # the contract's 5 minutes for volume

    await sync_page(pg_engine, cab)
    for _ in range(100):  # the bump's notice reaches the API process a few ms after the commit
        after = await client.get(f"{VOLUME}?{week()}", headers=mine)
        if after.headers["X-Cache"] == "miss":
            break
        await asyncio.sleep(0.02)
    assert after.headers["X-Cache"] == "miss"
    assert await version_of(pg_engine, cab) == version + 1
    assert (await first.json())["totalOrders"] == 1  # the stored order
    assert (await after.json())["totalOrders"] == 2  # and the page's, in the day it recomputed

    etag = after.headers["ETag"]
    held = await client.get(f"{VOLUME}?{week()}", headers=mine | {"If-None-Match": etag})
    assert (held.status, held.headers["ETag"], await held.read()) == (304, etag, b"")


async def test_another_cabinet_with_the_same_query_never_gets_this_ones_answer(
    client: TestClient, pg_engine: AsyncEngine
) -> None:
    a, b = await stored_cabinet(pg_engine), await stored_cabinet(pg_engine)
    await sync_page(pg_engine, a)
    answer_a = await client.get(f"{VOLUME}?{week()}", headers=headers_for(a))
    answer_b = await client.get(f"{VOLUME}?{week()}", headers=headers_for(b))
    assert answer_b.headers["X-Cache"] == "miss"
    assert ((await answer_a.json())["totalOrders"], (await answer_b.json())["totalOrders"]) == (2, 1)
    refused = await client.get(f"{VOLUME}?{week()}", headers=headers_for(a, MEMBER_IDS[b]))
    assert refused.status == 403


async def test_a_user_over_the_rate_limit_gets_429_with_retry_after(
    client: TestClient, pg_engine: AsyncEngine
) -> None:
    a, b = await stored_cabinet(pg_engine), await stored_cabinet(pg_engine)
    answers = []  # a minute's edge may fall inside the loop once: 2 windows' worth at most
    for _ in range(2 * LIMIT + 1):
        answers.append(await client.get(f"{VOLUME}?{week()}", headers=headers_for(a)))
        if answers[-1].status == 429:
            break
    refused = answers[-1]
    assert [r.status for r in answers].count(200) >= LIMIT
    assert (refused.status, (await refused.json())["error"]["code"]) == (429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert (await client.get("/v1/me", headers=headers_for(b))).status == 200


async def test_the_redis_adapters_store_with_ttl_and_count_per_window(redis: Redis) -> None:
    cache, budget = RedisAnswerCache(redis), RedisRequestBudget(redis, prefix=f"test:{secrets.token_hex(4)}:")
    key = f"dash:test:{secrets.token_hex(8)}"
    assert await cache.get(key) is None
    stored = StoredAnswer(b'{"a":1}', "d" * 32)
    await cache.put(key, stored, 60)
    assert (await cache.get(key), 0 < await redis.ttl(key) <= 60) == (stored, True)
    waits = [await budget.spend("user:1", 3, 3600) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0] and 0 < waits[3] <= 3600
    assert await budget.spend("user:2", 3, 3600) == 0.0


async def test_processes_lease_shares_of_a_budget_and_never_admit_more_than_the_limit_together(
    redis: Redis,
) -> None:
    """Two processes (two adapters on one Redis) spend one user's 100 a window: each leases 5 at a time
    (100 // LEASE_SHARE), one Redis round trip per 5 requests, and together they admit exactly 100."""
    prefix = f"test:{secrets.token_hex(4)}:"
    one, two = RedisRequestBudget(redis, prefix=prefix), RedisRequestBudget(redis, prefix=prefix)
    assert await one.spend("user:1", 100, 3600) == 0.0
    [counter] = [k async for k in redis.scan_iter(f"{prefix}user:1:*")]
    assert int(await redis.get(counter)) == 100 // LEASE_SHARE  # one lease taken, one request spent
    for _ in range(3):
        assert await one.spend("user:1", 100, 3600) == 0.0
    assert int(await redis.get(counter)) == 5  # spent from the lease: no round trip
    waits = [await budget.spend("user:1", 100, 3600) for _ in range(60) for budget in (one, two)]
    admitted = 4 + waits.count(0.0)
    assert admitted == 100 and all(0 < w <= 3600 for w in waits if w)
    refused_reads = int(await redis.get(counter))
    assert await one.spend("user:1", 100, 3600) > 0
    assert int(await redis.get(counter)) == refused_reads  # a refused window is known without Redis


async def test_concurrent_requests_of_one_user_take_one_lease_at_a_time(redis: Redis) -> None:
    """32 requests at once with an empty lease ask Redis for one share, not 32 shares (which would spend
    the whole window's budget in one go)."""
    prefix = f"test:{secrets.token_hex(4)}:"
    budget = RedisRequestBudget(redis, prefix=prefix)
    waits = await asyncio.gather(*(budget.spend("user:1", 100, 3600) for _ in range(32)))
    assert waits == [0.0] * 32
    [counter] = [k async for k in redis.scan_iter(f"{prefix}user:1:*")]
    assert int(await redis.get(counter)) == 35  # 7 shares of 5 for 32 requests


async def test_the_redis_adapters_serve_uncached_and_admit_when_redis_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = Redis.from_url(f"redis://127.0.0.1:{closed}/0")
    cache, budget = RedisAnswerCache(down), RedisRequestBudget(down)
    await cache.put("k", StoredAnswer(b"x", "d" * 32), 60)
    assert (await cache.get("k"), await budget.spend("user:1", 1, 60)) == (None, 0.0)
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 3
    await down.aclose()
