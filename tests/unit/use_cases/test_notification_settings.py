"""Notification settings for the bot (issue 9, point 4) on the in-memory adapters: reads through the cache,
strict partial updates, the stock ignore list, and a cache that never outlives a change."""

from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest

from adapters.outbound.memory.settings_cache import InMemorySettingsCache
from application.notifications.settings import (
    AddStockIgnore,
    GetNotificationSettings,
    ListStockIgnore,
    RemoveStockIgnore,
    UpdateNotificationSettings,
)
from domain.errors import InvalidValue, NotFound
from domain.identity import User
from domain.notifications import NotificationSettings
from tests.unit.use_cases.support import World

TG = 111


@attrs.define
class Settings:
    """The world of the settings use cases: users in memory and an in-memory cache."""

    world: World = attrs.Factory(World)
    cache: InMemorySettingsCache = attrs.Factory(InMemorySettingsCache)

    @property
    def get(self) -> GetNotificationSettings:
        return GetNotificationSettings(self.world.uow, self.cache)

    @property
    def update(self) -> UpdateNotificationSettings:
        return UpdateNotificationSettings(self.world.uow, self.cache)

    @property
    def ignored(self) -> ListStockIgnore:
        return ListStockIgnore(self.world.uow, self.cache)

    @property
    def ignore(self) -> AddStockIgnore:
        return AddStockIgnore(self.world.uow, self.cache, limit=5)

    @property
    def unignore(self) -> RemoveStockIgnore:
        return RemoveStockIgnore(self.world.uow, self.cache)

    async def user_id(self, telegram_id: int = TG) -> int:
        return (await self.world.user(telegram_id)).id or 0

    async def stored(self, user_id: int) -> NotificationSettings | None:
        async with self.world.uow() as uow:
            return await uow.notification_settings.get(user_id)


async def test_a_read_caches_the_stored_settings_and_the_next_read_is_the_cached_value() -> None:
    s = Settings()
    user_id = await s.user_id()
    assert await s.get(TG) == NotificationSettings()
    assert await s.cache.get(user_id) == NotificationSettings()
    planted = NotificationSettings(grouping_enabled=False)
    await s.cache.put(user_id, planted)
    assert await s.get(TG) == planted


async def test_a_user_without_stored_settings_gets_the_defaults_stored() -> None:
    s = Settings()
    async with s.world.uow() as uow:  # a user from before settings existed: no settings row
        user = await uow.users.add(User(telegram_id=TG))
        await uow.commit()
    assert await s.stored(user.id or 0) is None
    assert await s.get(TG) == NotificationSettings()
    assert await s.stored(user.id or 0) == NotificationSettings()


async def test_an_update_changes_only_the_given_fields_and_is_stored() -> None:
    s = Settings()
    user_id = await s.user_id()
    changes = {"new_orders_enabled": False, "review_rating_threshold": 0, "stock_analysis_days": 14}
    updated = await s.update(TG, changes)
    again = await s.update(TG, changes)
    assert updated == again == NotificationSettings(**changes)  # type: ignore[arg-type]
    assert await s.stored(user_id) == updated
    assert await s.get(TG) == updated


async def test_no_changes_change_nothing_and_answer_the_settings() -> None:
    s = Settings()
    user_id = await s.user_id()
    await s.update(TG, {"group_timeout": 60})
    assert await s.update(TG, {}) == NotificationSettings(group_timeout=60)
    assert await s.stored(user_id) == NotificationSettings(group_timeout=60)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sound_enabled": True}, "sound_enabled"),
        ({"notifications_enabled": 1}, "notifications_enabled"),
        ({"max_group_size": True}, "max_group_size"),
        ({"review_rating_threshold": 6}, "review_rating_threshold"),
        ({"stock_analysis_days": 5}, "stock_analysis_days"),
        ({"group_timeout": 0}, "group_timeout"),
        ({"new_orders_enabled": False, "max_group_size": 51}, "max_group_size"),
        ({"excluded_stock_nm_ids": [1]}, "excluded_stock_nm_ids"),
    ],
)
async def test_a_bad_update_names_the_field_and_changes_nothing(changes: dict[str, Any], field: str) -> None:
    s = Settings()
    user_id = await s.user_id()
    await s.get(TG)
    with pytest.raises(InvalidValue) as raised:
        await s.update(TG, changes)
    assert raised.value.field == field
    assert await s.stored(user_id) == NotificationSettings()
    assert await s.cache.get(user_id) == NotificationSettings()


async def test_an_unknown_telegram_id_is_not_found_and_creates_nothing() -> None:
    s = Settings()
    await s.user_id(TG)
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: s.get(222),
        lambda: s.update(222, {"grouping_enabled": False}),
        lambda: s.ignored(222),
        lambda: s.ignore(222, [1]),
        lambda: s.unignore(222, [1]),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            await call()
    async with s.world.uow() as uow:
        assert await uow.users.get_by_telegram_id(222) is None


async def test_the_ignore_list_is_added_to_listed_sorted_and_removed_from_idempotently() -> None:
    s = Settings()
    user_id = await s.user_id()
    assert await s.ignored(TG) == []
    assert await s.ignore(TG, [30, 10, 10]) == [10, 30]
    assert await s.ignore(TG, [20, 10]) == [10, 20, 30]
    assert await s.ignored(TG) == [10, 20, 30]
    assert await s.unignore(TG, [10, 99]) == [20, 30]
    assert await s.unignore(TG, [10]) == [20, 30]
    stored = await s.stored(user_id)
    assert stored is not None and stored.excluded_stock_nm_ids == {20, 30}
    assert stored.notifications_enabled  # the rest untouched


async def test_the_ignore_list_refuses_to_grow_past_its_limit_and_adds_nothing() -> None:
    s = Settings()
    await s.user_id()
    await s.ignore(TG, [1, 2, 3, 4])
    with pytest.raises(InvalidValue) as raised:
        await s.ignore(TG, [5, 6])
    assert raised.value.field == "nm_ids" and "at most 5" in raised.value.reason
    assert await s.ignore(TG, [4, 5]) == [1, 2, 3, 4, 5]  # up to the limit, repeats not counted


@pytest.mark.parametrize("bad", [0, -1, True, 2**63, "7", 1.0])
async def test_an_article_id_that_is_not_a_positive_bigint_is_refused(bad: Any) -> None:
    s = Settings()
    await s.user_id()
    for call in (s.ignore, s.unignore):
        with pytest.raises(InvalidValue) as raised:
            await call(TG, [1, bad])
        assert raised.value.field == "nm_ids"
    assert await s.ignored(TG) == []


CHANGES: dict[str, Callable[[Settings], Awaitable[object]]] = {
    "update": lambda s: s.update(TG, {"critical_stocks_enabled": False}),
    "add to the ignore list": lambda s: s.ignore(TG, [7]),
    "remove from the ignore list": lambda s: s.unignore(TG, [5]),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
async def test_every_change_invalidates_the_cache_so_the_next_read_sees_it(
    change: Callable[[Settings], Awaitable[object]],
) -> None:
    s = Settings()
    user_id = await s.user_id()
    await s.ignore(TG, [5])
    before = await s.get(TG)
    assert await s.cache.get(user_id) == before

    await change(s)

    assert await s.cache.get(user_id) is None
    after = await s.get(TG)
    assert after != before and after == await s.stored(user_id)
    assert await s.cache.get(user_id) == after
