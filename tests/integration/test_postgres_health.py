"""The Postgres readiness check: ready when reachable and migrated; otherwise a short reason, no secrets."""

import asyncio

from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.health import PostgresHealthCheck


async def check(url: str, timeout_s: float = 2.0) -> str | None:
    engine = create_engine(url)
    try:
        health = PostgresHealthCheck(engine, timeout_s=timeout_s)
        assert health.name == "postgres"
        return await health()
    finally:
        await engine.dispose()


async def test_migrated_database_is_ready(database_url: str) -> None:
    assert await check(database_url) is None


async def test_unmigrated_database_is_not_ready(fresh_database_url: str) -> None:
    assert await check(fresh_database_url) == "schema not migrated (run the migrations)"


async def test_unreachable_server_is_reported_without_the_password() -> None:
    reason = await check("postgresql://wbpulse:s3cret-pass@127.0.0.1:9/wbpulse")  # nothing listens on port 9
    assert reason is not None and reason.startswith(("unreachable", "no answer"))
    assert "s3cret" not in reason and "wbpulse" not in reason


async def test_a_server_that_never_answers_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accept the connection, never answer the startup message

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        reason = await check(f"postgresql://u:p@127.0.0.1:{port}/db", timeout_s=0.3)
    assert reason == "no answer within 0.3 s"
