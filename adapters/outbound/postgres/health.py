"""Readiness of Postgres: reachable, answering, and migrated to the revision this code expects."""

import asyncio

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.migrate import head_revision, revision_of_async

DEFAULT_TIMEOUT_S = 2.0


class PostgresHealthCheck:
    """`SELECT 1` and the Alembic revision, within a timeout. Reasons name no host, user or password."""

    def __init__(self, engine: AsyncEngine, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._engine = engine
        self._timeout_s = timeout_s

    @property
    def name(self) -> str:
        return "postgres"

    async def __call__(self) -> str | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                return await self._check()
        except TimeoutError:
            return f"no answer within {self._timeout_s:g} s"
        except Exception as exc:  # a health check reports, it never raises
            return f"unreachable ({type(exc).__name__})"

    async def _check(self) -> str | None:
        async with self._engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))
            revision = await revision_of_async(connection)
        expected = head_revision()
        if revision is None:
            return "schema not migrated (run the migrations)"
        if revision != expected:
            return f"schema at revision {revision}, expected {expected}"
        return None
