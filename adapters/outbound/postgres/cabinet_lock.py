"""A cross-process lock per cabinet: a session-level Postgres advisory lock on a dedicated connection.

The connection is taken from the engine's pool for as long as the lock is held and runs in autocommit,
so holding the lock never holds a transaction open. If the connection dies, Postgres releases the lock.
Give it an engine of its own (bootstrap does: one connection per worker job slot), so that held locks and
the units of work never wait for each other's connections.
"""

import hashlib
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

_NAMESPACE = b"wb-pulse:cabinet-sync:"


def lock_key(cabinet_id: UUID) -> int:
    """A signed int64 advisory-lock key for the cabinet, in this application's own namespace."""
    digest = hashlib.blake2b(_NAMESPACE + cabinet_id.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresCabinetLockHandle:
    def __init__(self, engine: AsyncEngine, cabinet_id: UUID) -> None:
        self._engine = engine
        self._key = lock_key(cabinet_id)
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> bool:
        if self._conn is not None:
            raise RuntimeError("this lock handle is already in use")
        conn = await self._engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            query = sa.text("SELECT pg_try_advisory_lock(:key)")
            held = bool((await conn.execute(query, {"key": self._key})).scalar_one())
        except BaseException:
            await conn.close()
            raise
        if not held:
            await conn.close()
            return False
        self._conn = conn
        return True

    async def __aexit__(self, *exc: object) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
        finally:
            await conn.close()


class PostgresCabinetLock:
    """`async with lock.hold(cabinet_id) as held:` — `held` is False when another process syncs it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def hold(self, cabinet_id: UUID) -> PostgresCabinetLockHandle:
        return PostgresCabinetLockHandle(self._engine, cabinet_id)
