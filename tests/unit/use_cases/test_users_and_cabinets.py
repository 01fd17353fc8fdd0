"""Users and shared cabinets for the bot (issue 8, part A): registration with default settings, the
connect statuses, a sync asked for at once, listing, leaving and the retention mark."""

from datetime import timedelta
from uuid import UUID

import pytest

from application.use_cases.access import NotMember, UserRef
from application.use_cases.connect_cabinet import ConnectStatus
from application.use_cases.errors import KeyRejected
from application.use_cases.leave_cabinet import LeaveCabinet
from application.use_cases.list_user_cabinets import ListUserCabinets
from application.use_cases.register_user import RegisterUser
from domain.errors import NotFound
from domain.identity import Role
from domain.notifications import NotificationSettings
from tests.unit.use_cases.support import T0, World, wb_key


async def settings_of(w: World, user_id: int) -> NotificationSettings | None:
    async with w.uow() as uow:
        return await uow.notification_settings.get(user_id)


async def test_a_new_user_gets_default_notification_settings_and_updated_at() -> None:
    w = World()
    done = await RegisterUser(w.uow, w.clock)(111, "seller", "Ann", "Lee")
    assert done.created and done.user.created_at == done.user.updated_at == T0
    assert await settings_of(w, done.user.id or 0) == NotificationSettings()


async def test_changing_names_moves_updated_at_and_keeps_the_settings() -> None:
    w = World()
    first = await RegisterUser(w.uow, w.clock)(111, "seller")
    w.clock.advance(hours=1)
    same = await RegisterUser(w.uow, w.clock)(111, "seller")
    w.clock.advance(hours=1)
    renamed = await RegisterUser(w.uow, w.clock)(111, "shop")

    assert not same.created and same.user.updated_at == T0
    assert renamed.user.id == first.user.id and renamed.user.updated_at == T0 + timedelta(hours=2)
    assert (
        renamed.user.created_at == T0 and await settings_of(w, first.user.id or 0) == NotificationSettings()
    )


async def test_connect_statuses_created_connected_already_connected_key_replaced() -> None:
    w = World()
    await w.user(111)
    owner = await w.user(222)
    created = await w.connect(111, wb_key(), "Shop")
    joined = await w.connect(UserRef(user_id=owner.id), wb_key(), "Team")
    again = await w.connect(111, wb_key(), "Shop")
    newer = await w.connect(111, wb_key(exp=T0 + timedelta(days=200)), "Shop")

    assert [r.status for r in (created, joined, again, newer)] == [
        ConnectStatus.CREATED,
        ConnectStatus.CONNECTED,
        ConnectStatus.ALREADY_CONNECTED,
        ConnectStatus.KEY_REPLACED,
    ]
    assert joined.cabinet.id == created.cabinet.id and joined.role is Role.MEMBER


async def test_a_new_cabinet_and_a_replaced_key_ask_for_a_sync_at_once_joining_does_not() -> None:
    w = World()
    await w.user(111)
    await w.user(222)
    created = await w.connect(111, wb_key(), "Shop")
    w.scheduler.ran()
    await w.connect(222, wb_key(), "Team")
    await w.connect(111, wb_key(exp=T0 + timedelta(days=200)), "Shop")

    assert w.scheduler.requested == [created.cabinet.id, created.cabinet.id]


async def test_a_rejected_connect_asks_for_nothing_and_stores_nothing() -> None:
    w = World()
    await w.user(111)
    w.wb.rejected[wb_key()] = "token withdrawn"
    with pytest.raises(KeyRejected):
        await w.connect(111, wb_key(), "Shop")
    assert w.scheduler.requested == [] and await w.active_cabinets() == []


async def test_an_unknown_user_is_not_found_and_never_created() -> None:
    w = World()
    with pytest.raises(NotFound):
        await w.connect(UserRef(user_id=99), wb_key(), "Shop")
    with pytest.raises(NotFound):
        await ListUserCabinets(w.uow)(UserRef(telegram_id=12345))
    async with w.uow() as uow:
        assert await uow.users.get_by_telegram_id(12345) is None


async def test_the_list_shows_role_members_and_every_source_never_synced_included() -> None:
    w = World()
    cabinet_id = await w.cabinet(111)
    await w.user(222)
    await w.connect(222, wb_key(), "Team")

    [seen] = await ListUserCabinets(w.uow)(UserRef(telegram_id=222))

    assert seen.cabinet.id == cabinet_id and seen.role is Role.MEMBER and seen.delete_after is None
    assert [(m.telegram_id, m.role) for m in seen.members] == [(111, Role.OWNER), (222, Role.MEMBER)]
    assert seen.sources and all(s.last_success_at is None for s in seen.sources)


async def test_the_last_member_leaving_marks_the_cabinet_for_deletion_and_rejoining_clears_it() -> None:
    w = World()
    cabinet_id = await w.cabinet(111)
    await w.user(222)
    await w.connect(222, wb_key(), "Team")
    leave = LeaveCabinet(w.uow, w.clock, timedelta(days=30))

    first = await leave(UserRef(telegram_id=222), cabinet_id)
    last = await leave(UserRef(telegram_id=111), cabinet_id)

    assert (first.members_left, first.delete_after) == (1, None)
    assert (last.members_left, last.delete_after) == (0, T0 + timedelta(days=30))
    assert await w.get_cabinet(cabinet_id) is not None  # kept, with its data, until then

    back = await w.connect(222, wb_key(), "Team")
    [seen] = await ListUserCabinets(w.uow)(UserRef(telegram_id=222))
    assert back.status is ConnectStatus.CONNECTED and back.role is Role.OWNER and seen.delete_after is None


async def test_leaving_a_cabinet_one_is_not_in_is_refused_and_an_unknown_one_not_found() -> None:
    w = World()
    cabinet_id = await w.cabinet(111)
    await w.user(222)
    leave = LeaveCabinet(w.uow, w.clock)
    with pytest.raises(NotMember):
        await leave(UserRef(telegram_id=222), cabinet_id)
    with pytest.raises(NotFound):
        await leave(UserRef(telegram_id=111), UUID(int=1))
    [seen] = await ListUserCabinets(w.uow)(UserRef(telegram_id=111))
    assert len(seen.members) == 1
