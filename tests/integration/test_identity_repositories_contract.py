"""One contract for the identity repositories and the unit of work, run against the in-memory fakes and
against Postgres, so that the fakes the use-case tests rely on behave like the real thing."""

import asyncio
import secrets
import uuid
from datetime import timedelta

import pytest

from adapters.outbound.secret_box import FernetSecretBox, generate_secret_key
from domain.errors import Conflict, NotFound
from domain.identity import Cabinet, CabinetStatus, Membership, Role, SourceBlock, User
from domain.wb_token import WbCategory, WbTokenInfo, WbTokenType
from tests.integration import builders
from tests.integration.builders import T0, a_cabinet
from tests.integration.conftest import Backend


def a_user(**overrides: object) -> User:
    fields: dict = {"telegram_id": secrets.randbelow(10**12) + 1, "username": "seller", "first_name": "Ann"}
    return User(**{**fields, **overrides})


async def stored_user(backend: Backend, **overrides: object) -> User:
    async with backend.uow() as uow:
        user = await uow.users.add(a_user(**overrides))
        await uow.commit()
    return user


async def stored_cabinet(backend: Backend, key: bytes = b"ciphertext", **overrides: object) -> Cabinet:
    return await builders.stored_cabinet(backend.uow, key, **overrides)


# --- users -----------------------------------------------------------------------------------------------


async def test_added_user_gets_an_id_and_is_found_by_telegram_id(backend: Backend) -> None:
    user = await stored_user(backend, last_name="Lee")
    assert isinstance(user.id, int) and user.id > 0
    assert user.created_at is not None and user.created_at.utcoffset() == timedelta(0)
    async with backend.uow() as uow:
        by_telegram = await uow.users.get_by_telegram_id(user.telegram_id)
    for found in (by_telegram,):
        assert found is not None
        assert (found.id, found.telegram_id, found.username, found.first_name, found.last_name) == (
            user.id,
            user.telegram_id,
            "seller",
            "Ann",
            "Lee",
        )
        assert found.created_at == user.created_at


async def test_user_ids_increase(backend: Backend) -> None:
    first, second = await stored_user(backend), await stored_user(backend)
    assert second.id > first.id  # type: ignore[operator]


async def test_unknown_user_is_none(backend: Backend) -> None:
    async with backend.uow() as uow:
        assert await uow.users.get_by_telegram_id(987_654_321_987) is None


async def test_second_user_with_same_telegram_id_is_a_conflict_and_the_unit_goes_on(backend: Backend) -> None:
    first = await stored_user(backend)
    async with backend.uow() as uow:
        with pytest.raises(Conflict):
            await uow.users.add(a_user(telegram_id=first.telegram_id, username="other"))
        other = await uow.users.add(a_user())
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.users.get_by_telegram_id(first.telegram_id)
        assert found is not None and found.username == "seller"
        assert await uow.users.get_by_telegram_id(other.telegram_id) is not None


async def test_update_saves_names(backend: Backend) -> None:
    user = await stored_user(backend)
    user.username, user.first_name, user.last_name = "renamed", None, "Smith"
    async with backend.uow() as uow:
        await uow.users.update(user)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.users.get_by_telegram_id(user.telegram_id)
    assert found is not None
    assert (found.username, found.first_name, found.last_name) == ("renamed", None, "Smith")


async def test_updating_a_missing_user_is_not_found(backend: Backend) -> None:
    async with backend.uow() as uow:
        with pytest.raises(NotFound):
            await uow.users.update(a_user(id=987_654_321_987))


async def test_changing_a_returned_user_changes_nothing_until_update(backend: Backend) -> None:
    user = await stored_user(backend)
    async with backend.uow() as uow:
        found = await uow.users.get_by_telegram_id(user.telegram_id)
        assert found is not None
        found.username = "not saved"
        again = await uow.users.get_by_telegram_id(user.telegram_id)
    assert again is not None and again.username == "seller"


# --- cabinets --------------------------------------------------------------------------------------------


def assert_same_cabinet(found: Cabinet | None, expected: Cabinet) -> None:
    assert found is not None
    fields = ("id", "name", "key_fingerprint", "seller_id", "token_expires_at", "categories", "read_only")
    for name in (*fields, "created_at", "status", "invalid_reason", "invalidations", "blocked_sources"):
        assert getattr(found, name) == getattr(expected, name), name


async def test_cabinet_is_found_by_id_and_by_seller_id(backend: Backend) -> None:
    cabinet = await stored_cabinet(backend)
    async with backend.uow() as uow:
        assert_same_cabinet(await uow.cabinets.get(cabinet.id), cabinet)
        assert_same_cabinet(await uow.cabinets.get_by_seller_id(cabinet.seller_id), cabinet)
        assert await uow.cabinets.get(uuid.uuid4()) is None
        assert await uow.cabinets.get_by_seller_id("no-such-seller") is None


@pytest.mark.parametrize("shared", ["key_fingerprint", "seller_id"])
async def test_second_cabinet_of_the_same_seller_or_key_is_a_conflict(backend: Backend, shared: str) -> None:
    first = await stored_cabinet(backend)
    async with backend.uow() as uow:
        with pytest.raises(Conflict):
            await uow.cabinets.add(a_cabinet(**{shared: getattr(first, shared)}), b"other")
        assert_same_cabinet(await uow.cabinets.get_by_seller_id(first.seller_id), first)
        await uow.cabinets.add(other := a_cabinet(), b"other")  # the unit is still usable
        await uow.commit()
    async with backend.uow() as uow:
        assert_same_cabinet(await uow.cabinets.get(other.id), other)


async def test_status_change_is_saved_and_leaves_the_active_list(backend: Backend) -> None:
    cabinet, other = await stored_cabinet(backend), await stored_cabinet(backend)
    assert cabinet.mark_invalid("401 from WB") and cabinet.invalidations == 1
    cabinet.name = "Renamed"
    async with backend.uow() as uow:
        await uow.cabinets.update(cabinet)
        await uow.commit()
    async with backend.uow() as uow:
        assert_same_cabinet(await uow.cabinets.get(cabinet.id), cabinet)
        active = {c.id for c in await uow.cabinets.list_active()}
        still_stored = await uow.cabinets.get(cabinet.id)
    assert cabinet.id not in active and other.id in active
    assert still_stored is not None and not still_stored.is_active


async def test_a_new_key_of_the_seller_reactivates_and_blocked_sources_round_trip(backend: Backend) -> None:
    cabinet = await stored_cabinet(backend, status=CabinetStatus.INVALID, invalid_reason="expired")
    cabinet.invalidations = 3
    token = WbTokenInfo(cabinet.seller_id, None, T0 + timedelta(days=200), frozenset({WbCategory.STATISTICS}),
                        WbTokenType.PERSONAL, read_only=False)  # fmt: skip
    cabinet.take_key("new-fingerprint-" + secrets.token_hex(4), token)
    cabinet.block_source("stocks", "base token is not allowed", T0, T0 + timedelta(days=1))
    async with backend.uow() as uow:
        await uow.cabinets.update(cabinet)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.cabinets.get(cabinet.id)
        assert cabinet.id in {c.id for c in await uow.cabinets.list_active()}
    assert_same_cabinet(found, cabinet)
    assert found is not None and found.is_active and found.invalid_reason is None
    block = SourceBlock("base token is not allowed", T0, T0 + timedelta(days=1))
    assert found.block_of("stocks", T0) == block
    assert found.block_of("stocks", T0 + timedelta(days=1)) is None  # due for a retry
    assert found.categories == frozenset({WbCategory.STATISTICS}) and found.invalidations == 3


async def test_update_never_changes_the_seller_or_creation_time(backend: Backend) -> None:
    cabinet = await stored_cabinet(backend)
    changed = a_cabinet(id=cabinet.id, seller_id="someone-else", created_at=T0 + timedelta(days=3))
    async with backend.uow() as uow:
        await uow.cabinets.update(changed)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.cabinets.get(cabinet.id)
    assert found is not None and (found.seller_id, found.created_at) == (cabinet.seller_id, T0)
    assert found.key_fingerprint == changed.key_fingerprint


async def test_cabinet_update_errors(backend: Backend) -> None:
    first, second = await stored_cabinet(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        with pytest.raises(NotFound):
            await uow.cabinets.update(a_cabinet())
        with pytest.raises(NotFound):
            await uow.cabinets.replace_key(uuid.uuid4(), b"key")
        second.key_fingerprint = first.key_fingerprint
        with pytest.raises(Conflict):
            await uow.cabinets.update(second)
        assert await uow.cabinets.get(first.id) is not None  # the unit is still usable


async def test_encrypted_key_round_trips_and_the_plaintext_is_never_stored(backend: Backend) -> None:
    box = FernetSecretBox(generate_secret_key())
    plaintext, replacement = "eyJhbGciOiJFUzI1NiJ9.SECRET-ONE.sig", "eyJhbGciOiJFUzI1NiJ9.SECRET-TWO.sig"
    cabinet = await stored_cabinet(
        backend, key=box.encrypt(plaintext), key_fingerprint=box.fingerprint(plaintext)
    )
    async with backend.uow() as uow:
        assert box.decrypt(await uow.cabinets.get_encrypted_key(cabinet.id) or b"") == plaintext
        await uow.cabinets.replace_key(cabinet.id, box.encrypt(replacement))
        await uow.commit()
    async with backend.uow() as uow:
        assert box.decrypt(await uow.cabinets.get_encrypted_key(cabinet.id) or b"") == replacement
        assert await uow.cabinets.get_encrypted_key(uuid.uuid4()) is None
    stored = await backend.stored_cabinet_text(cabinet.id)
    assert cabinet.key_fingerprint in stored  # the scan does see the row
    for secret in (plaintext, replacement, "SECRET"):
        assert secret not in stored and secret.encode().hex() not in stored


# --- memberships -----------------------------------------------------------------------------------------


def member(user: User, cabinet: Cabinet, role: Role = Role.MEMBER, minutes: int = 0) -> Membership:
    return Membership(user.id, cabinet.id, role, T0 + timedelta(minutes=minutes))  # type: ignore[arg-type]


async def test_membership_is_listed_both_ways_and_can_be_removed(backend: Backend) -> None:
    user, cabinet = await stored_user(backend), await stored_cabinet(backend)
    membership = member(user, cabinet, Role.OWNER)
    async with backend.uow() as uow:
        await uow.memberships.add(membership)
        await uow.commit()
    async with backend.uow() as uow:
        assert list(await uow.memberships.list_for_user(user.id)) == [membership]  # type: ignore[arg-type]
        assert list(await uow.memberships.list_for_cabinet(cabinet.id)) == [membership]
        assert await uow.memberships.remove(user.id, cabinet.id) is True  # type: ignore[arg-type]
        assert await uow.memberships.remove(user.id, cabinet.id) is False  # type: ignore[arg-type]
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.memberships.get(user.id, cabinet.id) is None  # type: ignore[arg-type]
        assert list(await uow.memberships.list_for_cabinet(cabinet.id)) == []


# --- retention: deletion marks and deletion ---------------------------------------------------------------


async def test_deletion_mark_keeps_the_earliest_time_and_can_be_cancelled(backend: Backend) -> None:
    cabinet, other = await stored_cabinet(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(cabinet.id) is None
        await uow.cabinets.schedule_deletion(cabinet.id, T0 + timedelta(days=30))
        await uow.cabinets.schedule_deletion(cabinet.id, T0 + timedelta(days=40))  # never postpones
        await uow.cabinets.schedule_deletion(other.id, T0 + timedelta(days=10))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(cabinet.id) == T0 + timedelta(days=30)
        assert await uow.cabinets.list_due_for_deletion(T0 + timedelta(days=9)) == []
        due = await uow.cabinets.list_due_for_deletion(T0 + timedelta(days=30))
        assert list(due) == [other.id, cabinet.id]
        await uow.cabinets.cancel_deletion(cabinet.id)
        await uow.cabinets.cancel_deletion(cabinet.id)
        await uow.cabinets.cancel_deletion(uuid.uuid4())  # unknown: a no-op
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(cabinet.id) is None
        assert list(await uow.cabinets.list_due_for_deletion(T0 + timedelta(days=99))) == [other.id]
        # The mark is not part of the entity: saving the cabinet leaves it alone.
        await uow.cabinets.update(other)
        assert await uow.cabinets.deletion_scheduled_at(other.id) == T0 + timedelta(days=10)


async def test_scheduling_an_unknown_cabinet_is_not_found(backend: Backend) -> None:
    with pytest.raises(NotFound):
        async with backend.uow() as uow:
            await uow.cabinets.schedule_deletion(uuid.uuid4(), T0)
            await uow.commit()


async def test_deleting_a_cabinet_takes_its_key_and_memberships_and_nothing_else(backend: Backend) -> None:
    user = await stored_user(backend)
    cabinet, kept = await stored_cabinet(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        await uow.memberships.add(member(user, cabinet, Role.OWNER))
        await uow.memberships.add(member(user, kept))
        await uow.cabinets.schedule_deletion(cabinet.id, T0)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.cabinets.delete_if_due(kept.id, T0) is False  # not marked
        assert await uow.cabinets.delete_if_due(cabinet.id, T0 - timedelta(seconds=1)) is False  # not yet
        assert await uow.cabinets.delete_if_due(cabinet.id, T0) is True
        assert await uow.cabinets.delete_if_due(cabinet.id, T0) is False
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.cabinets.get(cabinet.id) is None
        assert await uow.cabinets.get_encrypted_key(cabinet.id) is None
        assert await uow.cabinets.list_due_for_deletion(T0) == []
        assert [m.cabinet_id for m in await uow.memberships.list_for_user(user.id)] == [kept.id]  # type: ignore[arg-type]
        assert await uow.users.get(user.id) is not None  # type: ignore[arg-type]
        assert await uow.cabinets.get(kept.id) is not None


async def test_list_all_has_active_and_invalid_cabinets_oldest_first(backend: Backend) -> None:
    older = await stored_cabinet(backend, created_at=T0 - timedelta(days=1))
    newer = await stored_cabinet(backend)
    older.mark_invalid("token withdrawn")
    async with backend.uow() as uow:
        await uow.cabinets.update(older)
        await uow.commit()
    async with backend.uow() as uow:
        listed = [c.id for c in await uow.cabinets.list_all() if c.id in (older.id, newer.id)]
    assert listed == [older.id, newer.id]


async def test_user_is_found_by_id(backend: Backend) -> None:
    user = await stored_user(backend)
    async with backend.uow() as uow:
        found = await uow.users.get(user.id)  # type: ignore[arg-type]
        missing = await uow.users.get(987_654_321_987)
    assert found is not None and found.telegram_id == user.telegram_id and missing is None


async def test_membership_is_found_by_user_and_cabinet(backend: Backend) -> None:
    user, cabinet = await stored_user(backend), await stored_cabinet(backend)
    membership = member(user, cabinet, Role.OWNER)
    async with backend.uow() as uow:
        await uow.memberships.add(membership)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.memberships.get(user.id, cabinet.id) == membership  # type: ignore[arg-type]
        other = await stored_user(backend)
        assert await uow.memberships.get(other.id, cabinet.id) is None  # type: ignore[arg-type]


async def test_joining_the_same_cabinet_twice_is_a_conflict(backend: Backend) -> None:
    user, cabinet = await stored_user(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        await uow.memberships.add(member(user, cabinet, Role.OWNER))
        with pytest.raises(Conflict):
            await uow.memberships.add(member(user, cabinet, Role.MEMBER, minutes=5))
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.memberships.get(user.id, cabinet.id)  # type: ignore[arg-type]
    assert found is not None and found.role is Role.OWNER


async def test_membership_of_a_missing_user_or_cabinet_is_not_found(backend: Backend) -> None:
    user, cabinet = await stored_user(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        with pytest.raises(NotFound) as missing_cabinet:
            await uow.memberships.add(member(user, a_cabinet()))
        with pytest.raises(NotFound) as missing_user:
            await uow.memberships.add(member(a_user(id=987_654_321_987), cabinet))
        await uow.memberships.add(member(user, cabinet))  # the unit is still usable
        await uow.commit()
    assert (missing_cabinet.value.entity, missing_user.value.entity) == ("cabinet", "user")


async def test_many_users_per_cabinet_and_many_cabinets_per_user(backend: Backend) -> None:
    owner, helper, accountant = [await stored_user(backend) for _ in range(3)]
    shop, outlet = await stored_cabinet(backend), await stored_cabinet(backend)
    async with backend.uow() as uow:
        for i, m in enumerate(
            [(owner, shop), (helper, shop), (accountant, shop), (owner, outlet), (helper, outlet)]
        ):
            await uow.memberships.add(member(*m, Role.OWNER if m[0] is owner else Role.MEMBER, minutes=i))
        await uow.commit()
    async with backend.uow() as uow:
        found = {
            (u.id, c.id): await uow.memberships.get(u.id, c.id)  # type: ignore[arg-type]
            for u in (owner, helper, accountant)
            for c in (shop, outlet)
        }
    assert {k for k, m in found.items() if m is not None} == {
        (owner.id, shop.id), (helper.id, shop.id), (accountant.id, shop.id), (owner.id, outlet.id),
        (helper.id, outlet.id),
    }  # fmt: skip
    assert found[(owner.id, outlet.id)].role is Role.OWNER  # type: ignore[union-attr]


# --- the unit of work ------------------------------------------------------------------------------------


async def test_leaving_without_commit_stores_nothing(backend: Backend) -> None:
    user, cabinet = a_user(), a_cabinet()
    async with backend.uow() as uow:
        await uow.users.add(user)
        await uow.cabinets.add(cabinet, b"key")
        await uow.memberships.add(member(user, cabinet))
        assert await uow.users.get_by_telegram_id(user.telegram_id) is not None  # visible inside the unit
    async with backend.uow() as uow:
        assert await uow.users.get_by_telegram_id(user.telegram_id) is None
        assert await uow.cabinets.get(cabinet.id) is None
        assert await uow.memberships.get(user.id, cabinet.id) is None  # type: ignore[arg-type]


async def test_an_error_inside_the_unit_stores_nothing(backend: Backend) -> None:
    user = a_user()
    with pytest.raises(RuntimeError):
        async with backend.uow() as uow:
            await uow.users.add(user)
            raise RuntimeError("use case failed")
    async with backend.uow() as uow:
        assert await uow.users.get_by_telegram_id(user.telegram_id) is None


async def test_writes_after_commit_need_their_own_commit(backend: Backend) -> None:
    first, second = a_user(), a_user()
    async with backend.uow() as uow:
        await uow.users.add(first)
        await uow.commit()
        await uow.users.add(second)
    async with backend.uow() as uow:
        assert await uow.users.get_by_telegram_id(first.telegram_id) is not None
        assert await uow.users.get_by_telegram_id(second.telegram_id) is None


async def test_other_units_see_only_committed_writes(backend: Backend) -> None:
    user = a_user()
    async with backend.uow() as writer, backend.uow() as reader:
        await writer.users.add(user)
        assert await reader.users.get_by_telegram_id(user.telegram_id) is None
        await writer.commit()
    async with backend.uow() as later:
        assert await later.users.get_by_telegram_id(user.telegram_id) is not None


async def test_repositories_need_an_entered_unit(backend: Backend) -> None:
    uow = backend.uow()
    with pytest.raises(RuntimeError):
        await uow.users.get_by_telegram_id(1)


async def test_concurrent_units_do_not_share_state(backend: Backend) -> None:
    users = [a_user() for _ in range(5)]

    async def register(user: User) -> None:
        async with backend.uow() as uow:
            await uow.users.add(user)
            await asyncio.sleep(0)
            await uow.commit()

    await asyncio.gather(*(register(u) for u in users))
    async with backend.uow() as uow:
        found = [await uow.users.get_by_telegram_id(u.telegram_id) for u in users]
    assert len({f.id for f in found if f is not None}) == 5
