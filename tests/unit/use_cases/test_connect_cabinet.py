"""ConnectCabinet: keys become cabinets; the same key always lands in the same cabinet."""

from datetime import timedelta

import pytest

from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected
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
        assert await uow.cabinets.get_by_fingerprint(w.box.fingerprint(wb_key())) is None


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
