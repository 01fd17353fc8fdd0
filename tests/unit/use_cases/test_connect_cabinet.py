"""ConnectCabinet: keys become cabinets; the same key always lands in the same cabinet."""

from datetime import timedelta
from uuid import uuid4

import pytest

from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected
from domain.errors import InvalidValue, NotFound
from domain.identity import CabinetStatus, Role
from domain.wb_token import WbCategory
from tests.unit.use_cases.fakes import (
    T0,
    FakeClock,
    FakeSecretBox,
    FakeUnitOfWorkFactory,
    FakeWbSellerApi,
    add_user,
    wb_key,
)


@pytest.fixture
def uow() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory()


@pytest.fixture
def wb() -> FakeWbSellerApi:
    return FakeWbSellerApi()


@pytest.fixture
def connect(uow: FakeUnitOfWorkFactory, wb: FakeWbSellerApi) -> ConnectCabinet:
    return ConnectCabinet(uow, wb, FakeSecretBox(), FakeClock(), uuid4)


async def test_new_key_creates_cabinet_with_user_as_owner(connect, uow) -> None:
    user = add_user(uow.store, 111)
    result = await connect(111, wb_key(), "Мой магазин")
    assert not result.joined_existing and result.role is Role.OWNER
    tables = uow.store.tables
    assert list(tables["cabinets"]) == [result.cabinet.id]
    assert tables["memberships"][(user.id, result.cabinet.id)].role is Role.OWNER
    assert tables["keys"][result.cabinet.id] == b"enc:" + wb_key().encode()
    assert result.cabinet.seller_id == "seller-1" and result.cabinet.name == "Мой магазин"


async def test_second_user_with_same_key_joins_existing_cabinet(connect, uow) -> None:
    add_user(uow.store, 111)
    second = add_user(uow.store, 222)
    first = await connect(111, wb_key(), "A")
    joined = await connect(222, wb_key(), "B")
    assert joined.joined_existing and joined.role is Role.MEMBER
    assert joined.cabinet.id == first.cabinet.id
    assert len(uow.store.tables["cabinets"]) == 1
    assert uow.store.tables["memberships"][(second.id, first.cabinet.id)].role is Role.MEMBER


async def test_same_user_twice_is_idempotent(connect, uow) -> None:
    add_user(uow.store, 111)
    first = await connect(111, wb_key(), "A")
    again = await connect(111, wb_key(), "A")
    assert again.cabinet.id == first.cabinet.id and again.role is Role.OWNER
    assert len(uow.store.tables["cabinets"]) == 1 and len(uow.store.tables["memberships"]) == 1


async def test_key_rejected_by_wb_carries_reason_and_stores_nothing(connect, uow, wb) -> None:
    add_user(uow.store, 111)
    wb.rejected[wb_key()] = "token withdrawn"
    with pytest.raises(KeyRejected) as err:
        await connect(111, wb_key(), "A")
    assert err.value.reason == "token withdrawn"
    assert uow.store.tables["cabinets"] == {} and uow.store.tables["memberships"] == {}
    assert uow.store.commits == 0


async def test_expired_key_is_refused_without_calling_wb(connect, uow, wb) -> None:
    add_user(uow.store, 111)
    with pytest.raises(KeyExpired):
        await connect(111, wb_key(exp=T0 - timedelta(seconds=1)), "A")
    assert wb.calls == [] and uow.store.tables["cabinets"] == {}


async def test_malformed_key_is_refused_without_calling_wb(connect, uow, wb) -> None:
    add_user(uow.store, 111)
    with pytest.raises(InvalidValue):
        await connect(111, "not-a-key", "A")
    assert wb.calls == []


async def test_key_without_marketplace_and_statistics_is_refused(connect, uow, wb) -> None:
    add_user(uow.store, 111)
    with pytest.raises(KeyLacksCategories):
        await connect(111, wb_key(categories={WbCategory.FEEDBACKS, WbCategory.ANALYTICS}), "A")
    assert wb.calls == []


async def test_key_with_statistics_only_is_accepted_with_its_categories(connect, uow) -> None:
    add_user(uow.store, 111)
    result = await connect(111, wb_key(categories={WbCategory.STATISTICS}), "A")
    assert result.cabinet.categories == frozenset({WbCategory.STATISTICS})


async def test_unknown_user_is_not_found_and_nothing_stored(connect, uow) -> None:
    with pytest.raises(NotFound):
        await connect(999, wb_key(), "A")
    assert uow.store.tables["cabinets"] == {}


async def test_invalid_cabinet_is_reactivated_when_wb_accepts_the_key_again(connect, uow) -> None:
    add_user(uow.store, 111)
    first = await connect(111, wb_key(), "A")
    stored = uow.store.tables["cabinets"][first.cabinet.id]
    stored.mark_invalid("withdrawn")
    uow.store.tables["keys"][first.cabinet.id] = b"enc:old"
    again = await connect(111, wb_key(), "A")
    assert again.cabinet.status is CabinetStatus.ACTIVE
    assert uow.store.tables["cabinets"][first.cabinet.id].is_active
    assert uow.store.tables["keys"][first.cabinet.id] == b"enc:" + wb_key().encode()
