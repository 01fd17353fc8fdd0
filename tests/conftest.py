"""Shared fixtures: real Postgres and Redis for integration tests.

TEST_DATABASE_URL / TEST_REDIS_URL point at running servers (CI, docker-compose); without them the
embedded servers (the `embedded` extra) are started once per test session in a temporary folder.
Each test session gets its own freshly migrated database, dropped at the end.
"""

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest


def _with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def embedded_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="wbpulse-test-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def pg_server_url(embedded_dir: Path) -> Iterator[str]:
    """A libpq URL of a Postgres server on which tests may create databases."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url.replace("postgresql+psycopg://", "postgresql://")
        return
    from bootstrap.embedded import start_embedded_postgres

    server = start_embedded_postgres(embedded_dir / "pg")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> Iterator[str]:
    """A SQLAlchemy URL (postgresql+psycopg) of a fresh database migrated to head, dropped afterwards."""
    from adapters.outbound.postgres.migrations import upgrade_to_head
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    dbname = f"wbpulse_t_{secrets.token_hex(4)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    url = to_sqlalchemy_url(_with_database(pg_server_url, dbname))
    upgrade_to_head(url)
    yield url
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url(embedded_dir: Path) -> Iterator[str]:
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        # Each run's database numbers its users from 1, and the per-user rate limit (decision 0017) lives
        # in Redis: a run started within a minute of another would inherit its counters. The test Redis
        # database starts empty.
        import redis

        with redis.Redis.from_url(url) as client:
            client.flushdb()
        yield url
        return
    from bootstrap.embedded import start_embedded_redis

    server = start_embedded_redis(embedded_dir / "redis")
    yield server.url
    server.stop()
