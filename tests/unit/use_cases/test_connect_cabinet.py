"""ConnectCabinet: a key's seller becomes a cabinet; every key of that seller lands in the same cabinet."""

import asyncio
from datetime import timedelta

import pytest

from adapters.outbound.memory.wb import FakeWbSellerApi
from application.ports.wb import SellerInfo
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected, KeyTypeRefused
from domain.errors import InvalidValue, NotFound
from domain.identity import CabinetStatus, Role
from domain.wb_token import WbCategory
from tests.unit.use_cases.support import T0, World, wb_key


async def membership_role(w: World, user_id: int | None, cabinet_id: object) -> Role | None:
    assert user_id is not None
    async with w.uow() as uow:
        found = await uow.memberships.get(user_id, cabinet_id)  # type: ignore[arg-type]
    return None if found is None else found.role


async def stored_key(w: World, cabinet_id: object) -> str:
    async with w.uow() as uow:
        encrypted = await uow.cabinets.get_encrypted_key(cabinet_id)  # type: ignore[arg-type]
    assert encrypted is not None
    return w.box.decrypt(encrypted)


async def test_new_key_creates_cabinet_with_user_as_owner() -> None:
    w = World()
    user = await w.user(111)
    result = await w.connect(111, wb_key(), "Мой магазин")
    assert not result.joined_existing and result.role is Role.OWNER
    assert [c.id for c in await w.active_cabinets()] == [result.cabinet.id]
    assert await membership_role(w, user.id, result.cabinet.id) is Role.OWNER
    assert await stored_key(w, result.cabinet.id) == wb_key()
    assert result.cabinet.seller_id == "seller-1" and result.cabinet.name == "Мой магазин"


async def test_second_user_with_same_key_joins_existing_cabinet() -> None:
    w = World()
    await w.user(111)
    second = await w.user(222)
    first = await w.connect(111, wb_key(), "A")
    joined = await w.connect(222, wb_key(), "B")
    assert joined.joined_existing and joined.role is Role.MEMBER
    assert joined.cabinet.id == first.cabinet.id
    assert len(await w.active_cabinets()) == 1
    assert await membership_role(w, second.id, first.cabinet.id) is Role.MEMBER


async def test_same_user_twice_is_idempotent() -> None:
    w = World()
    user = await w.user(111)
    first = await w.connect(111, wb_key(), "A")
    again = await w.connect(111, wb_key(), "A")
    assert again.cabinet.id == first.cabinet.id and again.role is Role.OWNER
    assert len(await w.active_cabinets()) == 1
    assert await membership_role(w, user.id, first.cabinet.id) is Role.OWNER


async def test_key_rejected_by_wb_carries_reason_and_stores_nothing() -> None:
    w = World()
    await w.user(111)
    w.wb.rejected[wb_key()] = "token withdrawn"
    with pytest.raises(KeyRejected) as err:
        await w.connect(111, wb_key(), "A")
    assert err.value.reason == "token withdrawn"
    assert await w.active_cabinets() == []
    async with w.uow() as uow:
        assert await uow.cabinets.get_by_seller_id("seller-1") is None


async def test_expired_key_is_refused_without_calling_wb() -> None:
    w = World()
    await w.user(111)
    with pytest.raises(KeyExpired):
        await w.connect(111, wb_key(exp=T0 - timedelta(seconds=1)), "A")
    assert w.wb.calls == [] and await w.active_cabinets() == []


async def test_malformed_key_is_refused_without_calling_wb() -> None:
    w = World()
    await w.user(111)
    with pytest.raises(InvalidValue):
        await w.connect(111, "not-a-key", "A")
    assert w.wb.calls == []


async def test_key_without_marketplace_and_statistics_is_refused() -> None:
    w = World()
    await w.user(111)
    with pytest.raises(KeyLacksCategories):
        await w.connect(111, wb_key(categories={WbCategory.FEEDBACKS, WbCategory.ANALYTICS}), "A")
    assert w.wb.calls == []


async def test_key_with_statistics_only_is_accepted_with_its_categories() -> None:
    w = World()
    await w.user(111)
    result = await w.connect(111, wb_key(categories={WbCategory.STATISTICS}), "A")
    assert result.cabinet.categories == frozenset({WbCategory.STATISTICS})


async def test_unknown_user_is_not_found_and_nothing_stored() -> None:
    w = World()
    with pytest.raises(NotFound):
        await w.connect(999, wb_key(), "A")
    assert await w.active_cabinets() == []


async def test_invalid_cabinet_is_reactivated_when_wb_accepts_the_key_again() -> None:
    w = World()
    await w.user(111)
    first = await w.connect(111, wb_key(), "A")
    async with w.uow() as uow:
        cabinet = await uow.cabinets.get(first.cabinet.id)
        assert cabinet is not None
        cabinet.mark_invalid("withdrawn")
        await uow.cabinets.update(cabinet)
        await uow.cabinets.replace_key(cabinet.id, w.box.encrypt("an old key"))
        await uow.commit()
    assert await w.active_cabinets() == []
    again = await w.connect(111, wb_key(), "A")
    assert again.cabinet.status is CabinetStatus.ACTIVE
    assert [c.id for c in await w.active_cabinets()] == [first.cabinet.id]
    assert await stored_key(w, first.cabinet.id) == wb_key()


# --- a cabinet is a seller, not a key ------------------------------------------------------------------


async def test_a_newer_key_of_the_same_seller_replaces_the_key_and_keeps_the_cabinet() -> None:
    w = World()
    owner = await w.user(111)
    first = await w.connect(111, wb_key(), "A")
    newer = wb_key(exp=T0 + timedelta(days=200), categories={WbCategory.STATISTICS})
    again = await w.connect(111, newer, "ignored")
    assert again.cabinet.id == first.cabinet.id and again.key_replaced
    assert again.role is Role.OWNER and await membership_role(w, owner.id, first.cabinet.id) is Role.OWNER
    assert [c.id for c in await w.active_cabinets()] == [first.cabinet.id]
    assert await stored_key(w, first.cabinet.id) == newer
    stored = await w.get_cabinet(first.cabinet.id)
    assert stored is not None and stored.name == "A"
    # the newest key wins with its own categories: the sources it lacks are skipped from now on
    assert stored.categories == frozenset({WbCategory.STATISTICS})
    assert stored.token_expires_at == T0 + timedelta(days=200)


async def test_a_second_user_with_another_key_of_the_seller_joins_the_cabinet() -> None:
    w = World()
    await w.user(111)
    second = await w.user(222)
    first = await w.connect(111, wb_key(), "A")
    joined = await w.connect(222, wb_key(exp=T0 + timedelta(days=179)), "B")
    assert joined.joined_existing and joined.role is Role.MEMBER and joined.cabinet.id == first.cabinet.id
    assert await membership_role(w, second.id, first.cabinet.id) is Role.MEMBER
    # a key that expires sooner is an older key: it does not replace the stored one
    assert not joined.key_replaced and await stored_key(w, first.cabinet.id) == wb_key()


async def test_a_key_of_another_seller_is_another_cabinet() -> None:
    w = World()
    await w.user(111)
    first = await w.connect(111, wb_key("seller-1"), "A")
    other = await w.connect(111, wb_key("seller-2"), "B")
    assert other.cabinet.id != first.cabinet.id and other.role is Role.OWNER
    assert len(await w.active_cabinets()) == 2


async def test_an_invalid_cabinet_takes_any_key_of_its_seller_that_wb_accepts() -> None:
    w = World()
    await w.user(111)
    first = await w.connect(111, wb_key(), "A")
    async with w.uow() as uow:
        cabinet = await uow.cabinets.get(first.cabinet.id)
        assert cabinet is not None
        cabinet.mark_invalid("token withdrawn")
        cabinet.block_source("stocks", "base token is not allowed", T0, T0 + timedelta(days=1))
        await uow.cabinets.update(cabinet)
        await uow.commit()
    shorter = wb_key(exp=T0 + timedelta(days=90))
    again = await w.connect(111, shorter, "A")
    assert again.key_replaced and again.cabinet.is_active and again.cabinet.blocked_sources == {}
    assert await stored_key(w, first.cabinet.id) == shorter


@pytest.mark.parametrize(("acc", "kind"), [(1, "Base"), (2, "Test")])
async def test_base_and_test_tokens_are_refused_naming_why_without_calling_wb(acc: int, kind: str) -> None:
    w = World()
    await w.user(111)
    with pytest.raises(KeyTypeRefused) as err:
        await w.connect(111, wb_key(acc=acc), "A")
    assert f"is a {kind} token" in str(err.value) and "Personal token" in str(err.value)
    assert w.wb.calls == [] and await w.active_cabinets() == []


async def test_a_service_token_is_accepted() -> None:
    w = World()
    await w.user(111)
    assert (await w.connect(111, wb_key(acc=4), "A")).role is Role.OWNER


class _WbNamingAnotherSeller(FakeWbSellerApi):
    async def check_key(self, api_key: str) -> SellerInfo:
        await super().check_key(api_key)
        return SellerInfo("seller-2", "x", "y")


async def test_wb_naming_another_seller_than_the_key_is_a_rejection() -> None:
    w = World(wb=_WbNamingAnotherSeller())
    await w.user(111)
    with pytest.raises(KeyRejected):
        await w.connect(111, wb_key("seller-1"), "A")
    assert await w.active_cabinets() == []


async def test_two_racing_connects_of_one_seller_end_in_one_cabinet() -> None:
    w = World()
    await w.user(111)
    await w.user(222)
    a, b = await asyncio.gather(
        w.connect(111, wb_key(), "A"), w.connect(222, wb_key(exp=T0 + timedelta(days=181)), "B")
    )
    assert a.cabinet.id == b.cabinet.id and len(await w.active_cabinets()) == 1
    assert sorted([a.role, b.role]) == [Role.MEMBER, Role.OWNER]
