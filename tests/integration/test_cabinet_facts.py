"""ListeningCabinetFacts on real Postgres (decision 0019): memberships and data versions are kept in memory
while the LISTEN connection is up, every committed change (a version bump, a membership added, removed,
or cascaded away with its user) is seen as soon as its notice arrives, a rolled-back change sends none,
and a lost connection means reading the store until it is back."""

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import attrs
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.cabinet_facts import ListeningCabinetFacts
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.dashboard.answers import StoredCabinetFacts
from domain.identity import Membership, Role, User
from tests.integration.test_openapi_conformance import stored_cabinet

NOW = datetime(2026, 11, 30, tzinfo=UTC)


@attrs.define
class CountingStore:
    """StoredCabinetFacts that counts how often the store is read."""

    inner: StoredCabinetFacts
    reads: int = 0

    async def is_member(self, user_id: int, cabinet_id: uuid.UUID) -> bool:
        self.reads += 1
        return await self.inner.is_member(user_id, cabinet_id)

    async def data_version(self, cabinet_id: uuid.UUID) -> int:
        self.reads += 1
        return await self.inner.data_version(cabinet_id)


@attrs.define
class Rig:
    facts: ListeningCabinetFacts
    store: CountingStore
    uow: PostgresUnitOfWorkFactory
    engine: AsyncEngine
    url: str


@pytest.fixture
async def rig(pg_engine: AsyncEngine, database_url: str) -> AsyncIterator[Rig]:
    uow = PostgresUnitOfWorkFactory(pg_engine)
    store = CountingStore(StoredCabinetFacts(uow))
    facts = ListeningCabinetFacts(database_url, store, retry_s=0.05)
    yield Rig(facts, store, uow, pg_engine, database_url)
    await facts.close()


async def until(check: Callable[[], Awaitable[bool]], what: str, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"not within {seconds} s: {what}"
        await asyncio.sleep(0.01)


async def live(rig: Rig) -> None:
    await rig.facts.data_version(uuid.uuid4())  # the first question opens the LISTEN connection

    async def is_live() -> bool:
        return rig.facts.live

    await until(is_live, "the LISTEN connection is up")


async def bump(rig: Rig, cabinet_id: uuid.UUID, commit: bool = True) -> None:
    async with rig.uow() as uow:
        await uow.rollups.bump_version(cabinet_id)
        if commit:
            await uow.commit()


async def new_user(rig: Rig) -> int:
    async with rig.uow() as uow:
        user = await uow.users.add(User(telegram_id=secrets.randbelow(10**12) + 1))
        await uow.commit()
    assert user.id is not None
    return user.id


async def test_a_kept_version_is_answered_without_the_store_until_a_bump_commits(rig: Rig) -> None:
    cab = await stored_cabinet(rig.engine)
    await live(rig)
    first = await rig.facts.data_version(cab)
    reads = rig.store.reads
    assert [await rig.facts.data_version(cab) for _ in range(5)] == [first] * 5
    assert rig.store.reads == reads  # kept

    await bump(rig, cab, commit=False)  # rolled back: no notice, nothing changes
    await asyncio.sleep(0.1)
    assert (await rig.facts.data_version(cab), rig.store.reads) == (first, reads)

    await bump(rig, cab)

    async def bumped() -> bool:
        return await rig.facts.data_version(cab) == first + 1

    await until(bumped, "the committed bump is seen")


async def test_memberships_added_removed_and_cascaded_are_seen_once_committed(rig: Rig) -> None:
    cab = await stored_cabinet(rig.engine)
    user = await new_user(rig)
    await live(rig)
    assert await rig.facts.is_member(user, cab) is False
    reads = rig.store.reads
    assert await rig.facts.is_member(user, cab) is False and rig.store.reads == reads  # a refusal is kept too

    async with rig.uow() as uow:
        await uow.memberships.add(Membership(user, cab, Role.MEMBER, NOW))
        await uow.commit()

    async def member() -> bool:
        return await rig.facts.is_member(user, cab)

    async def not_member() -> bool:
        return not await rig.facts.is_member(user, cab)

    await until(member, "the added membership")
    async with rig.uow() as uow:
        assert await uow.memberships.remove(user, cab)
        await uow.commit()
    await until(not_member, "the removed membership")

    async with rig.uow() as uow:
        await uow.memberships.add(Membership(user, cab, Role.MEMBER, NOW))
        await uow.commit()
    await until(member, "the membership added again")
    async with rig.engine.begin() as conn:  # the user goes, the membership with it (ON DELETE CASCADE)
        await conn.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": user})
    await until(not_member, "the membership cascaded away with its user")


async def test_a_lost_connection_reads_the_store_until_it_is_back_and_misses_nothing(rig: Rig) -> None:
    cab = await stored_cabinet(rig.engine)
    await live(rig)
    version = await rig.facts.data_version(cab)
    with psycopg.connect(rig.url.replace("+psycopg", ""), autocommit=True) as admin:
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'wb-pulse-listen' AND datname = current_database()"
        ).fetchall()
    assert killed == [(True,)]
    await bump(rig, cab)  # possibly while nobody listens: the notice is lost

    async def fresh() -> bool:
        return await rig.facts.data_version(cab) == version + 1

    await until(fresh, "the bump made while the connection was down")
    await live(rig)
    reads = rig.store.reads
    assert await rig.facts.data_version(cab) == version + 1
    assert await rig.facts.data_version(cab) == version + 1
    assert rig.store.reads - reads <= 1  # kept again once live


async def test_this_processs_own_commit_is_read_at_once_without_waiting_for_its_notice(rig: Rig) -> None:
    """A dashboard user who uploads COGS and reads the history at once must see it: the committing unit of
    work drops the kept version itself (notices are only for the other processes)."""
    cab = await stored_cabinet(rig.engine)
    await live(rig)
    version = await rig.facts.data_version(cab)
    rig.facts._on_notice = lambda payload: None  # type: ignore[method-assign]  # a notice that is slow to come
    await bump(rig, cab)
    assert await rig.facts.data_version(cab) == version + 1
    user = await new_user(rig)
    assert await rig.facts.is_member(user, cab) is False
    async with rig.uow() as uow:
        await uow.memberships.add(Membership(user, cab, Role.MEMBER, NOW))
        await uow.commit()
    assert await rig.facts.is_member(user, cab) is True
