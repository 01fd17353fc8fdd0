"""Fixtures for integration tests: Postgres engines on the session's migrated database, throw-away
databases for migration tests, and the unit-of-work backends the contract tests run against."""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import attrs
import psycopg
import pytest
import sqlalchemy as sa
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.unit_of_work import UnitOfWorkFactory


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


@attrs.frozen
class Backend:
    """One implementation of the identity ports, plus a way to see everything it stored for a cabinet."""

    name: str
    uow: UnitOfWorkFactory
    stored_cabinet_text: Callable[[UUID], Awaitable[str]]


@pytest.fixture
async def pg_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def fresh_database_url(pg_server_url: str) -> Iterator[str]:
    """A libpq URL of an empty database, not migrated, dropped after the test."""
    dbname = f"wbpulse_m_{secrets.token_hex(4)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    yield with_database(pg_server_url, dbname)
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture
def own_database_url(fresh_database_url: str) -> str:
    """A migrated database of this test alone (SQLAlchemy URL), for tests that look at every cabinet."""
    from adapters.outbound.postgres.migrations import upgrade_to_head
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    url = to_sqlalchemy_url(fresh_database_url)
    upgrade_to_head(url)
    return url


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[ArqRedis]:
    """An arq pool on a queue of this test alone (deleted afterwards)."""
    name = f"test:wbpulse:queue:{secrets.token_hex(4)}"
    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=name)
    yield pool
    await pool.delete(name)
    await pool.aclose()


def _memory_backend() -> Backend:
    factory = InMemoryUnitOfWorkFactory()

    async def stored(cabinet_id: UUID) -> str:
        tables = factory.store.tables
        return repr((tables.cabinets.get(cabinet_id), tables.encrypted_keys.get(cabinet_id)))

    return Backend("memory", factory, stored)


def _postgres_backend(engine: AsyncEngine) -> Backend:
    async def stored(cabinet_id: UUID) -> str:
        query = sa.text("SELECT c::text FROM cabinets AS c WHERE c.id = :id")
        async with engine.connect() as conn:
            return str((await conn.execute(query, {"id": cabinet_id})).scalar_one())

    return Backend("postgres", PostgresUnitOfWorkFactory(engine), stored)


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        yield _memory_backend()
        return
    engine = create_engine(request.getfixturevalue("database_url"), pool_size=3)
    try:
        yield _postgres_backend(engine)
    finally:
        await engine.dispose()
