"""One contract for the login-code and refresh-token repositories, on the in-memory fakes and on Postgres:
single use, expiry, hashes unique, users that must exist, rotation conflicts, family revocation, rollback."""

import asyncio
import secrets
import uuid
from datetime import timedelta

import attrs
import pytest

from domain.auth import LoginCode, RefreshToken, secret_hash
from domain.errors import Conflict, NotFound
from domain.identity import User
from tests.integration.builders import T0
from tests.integration.conftest import Backend


async def a_user_id(backend: Backend) -> int:
    async with backend.uow() as uow:
        user = await uow.users.add(User(telegram_id=secrets.randbelow(10**12) + 1))
        await uow.commit()
    assert user.id is not None
    return user.id


def a_code(user_id: int, expires_in: timedelta = timedelta(minutes=5)) -> LoginCode:
    return LoginCode(secret_hash(secrets.token_urlsafe(32)), user_id, T0 + expires_in)


def a_token(user_id: int, family_id: uuid.UUID | None = None) -> RefreshToken:
    return RefreshToken(
        id=uuid.uuid4(), family_id=family_id or uuid.uuid4(), user_id=user_id,
        token_hash=secret_hash(secrets.token_urlsafe(32)), created_at=T0, expires_at=T0 + timedelta(days=30),
    )  # fmt: skip


async def stored(backend: Backend, *items: LoginCode | RefreshToken) -> None:
    async with backend.uow() as uow:
        for item in items:
            if isinstance(item, LoginCode):
                await uow.login_codes.add(item)
            else:
                await uow.refresh_tokens.add(item)
        await uow.commit()


async def consume(backend: Backend, code_hash: str, at: timedelta = timedelta(0)) -> int | None:
    async with backend.uow() as uow:
        user_id = await uow.login_codes.consume(code_hash, T0 + at)
        await uow.commit()
    return user_id


# --- login codes -----------------------------------------------------------------------------------------


async def test_a_code_is_consumed_once(backend: Backend) -> None:
    user_id = await a_user_id(backend)
    code = a_code(user_id)
    await stored(backend, code)
    assert await consume(backend, code.code_hash) == user_id
    assert await consume(backend, code.code_hash) is None


async def test_an_expired_or_unknown_code_gives_nothing(backend: Backend) -> None:
    code = a_code(await a_user_id(backend))
    await stored(backend, code)
    assert await consume(backend, code.code_hash, at=timedelta(minutes=5)) is None
    assert await consume(backend, secret_hash("unknown")) is None
    assert await consume(backend, code.code_hash, at=timedelta(minutes=4)) is not None  # not used up above


async def test_a_consumed_code_rolled_back_stays_usable(backend: Backend) -> None:
    code = a_code(await a_user_id(backend))
    await stored(backend, code)
    async with backend.uow() as uow:
        assert await uow.login_codes.consume(code.code_hash, T0) is not None
    assert await consume(backend, code.code_hash) is not None


async def test_two_racing_consumers_of_one_code_sign_in_once(backend: Backend) -> None:
    code = a_code(await a_user_id(backend))
    await stored(backend, code)

    async def attempt() -> int | None:
        try:
            return await consume(backend, code.code_hash)
        except Conflict:  # the in-memory store refuses the loser at commit
            return None

    results = await asyncio.gather(attempt(), attempt())
    assert sorted(r is None for r in results) == [False, True]


async def test_a_code_needs_a_user_and_a_unique_hash(backend: Backend) -> None:
    user_id = await a_user_id(backend)
    with pytest.raises(NotFound):
        await stored(backend, a_code(user_id + 10**9))
    code = a_code(user_id)
    await stored(backend, code)
    with pytest.raises(Conflict):
        await stored(backend, code)


# --- refresh tokens --------------------------------------------------------------------------------------


async def test_a_stored_token_is_found_by_its_hash_as_it_was(backend: Backend) -> None:
    token = a_token(await a_user_id(backend))
    await stored(backend, token)
    async with backend.uow() as uow:
        assert await uow.refresh_tokens.get_by_hash(token.token_hash, for_update=True) == token
        assert await uow.refresh_tokens.get_by_hash(secret_hash("unknown")) is None


async def test_a_token_is_marked_used_once(backend: Backend) -> None:
    token = a_token(await a_user_id(backend))
    await stored(backend, token)
    async with backend.uow() as uow:
        await uow.refresh_tokens.mark_used(token.id, T0 + timedelta(hours=1))
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.refresh_tokens.get_by_hash(token.token_hash)
        assert found is not None and found.used_at == T0 + timedelta(hours=1)
        with pytest.raises(Conflict):
            await uow.refresh_tokens.mark_used(token.id, T0 + timedelta(hours=2))
        with pytest.raises(NotFound):
            await uow.refresh_tokens.mark_used(uuid.uuid4(), T0)


async def test_revoking_a_family_revokes_its_tokens_only_and_once(backend: Backend) -> None:
    user_id = await a_user_id(backend)
    family = uuid.uuid4()
    old, new, other = a_token(user_id, family), a_token(user_id, family), a_token(user_id)
    await stored(backend, old, new, other)
    async with backend.uow() as uow:
        assert await uow.refresh_tokens.revoke_family(family, T0 + timedelta(hours=1)) == 2
        assert await uow.refresh_tokens.revoke_family(family, T0 + timedelta(hours=2)) == 0
        await uow.commit()
    async with backend.uow() as uow:
        for token, revoked in ((old, True), (new, True), (other, False)):
            found = await uow.refresh_tokens.get_by_hash(token.token_hash)
            assert found is not None
            assert found.revoked_at == (T0 + timedelta(hours=1) if revoked else None)


async def test_a_token_needs_a_user_and_a_unique_hash(backend: Backend) -> None:
    user_id = await a_user_id(backend)
    with pytest.raises(NotFound):
        await stored(backend, a_token(user_id + 10**9))
    token = a_token(user_id)
    await stored(backend, token)
    with pytest.raises(Conflict):
        await stored(backend, attrs.evolve(token, id=uuid.uuid4()))  # the same hash
    with pytest.raises(Conflict):
        await stored(backend, attrs.evolve(token, token_hash=secret_hash("another")))  # the same id
