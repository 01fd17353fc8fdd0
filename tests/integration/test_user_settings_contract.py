"""The contract of users' `updated_at` and of the notification settings repository, run against the
in-memory fakes and Postgres (as test_identity_repositories_contract does for the rest of identity)."""

import secrets
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from domain.errors import NotFound
from domain.identity import User
from domain.notifications import NotificationSettings
from tests.integration.conftest import Backend

T0 = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)


async def new_user(backend: Backend, **fields: object) -> User:
    async with backend.uow() as uow:
        user = await uow.users.add(User(telegram_id=secrets.randbelow(10**12) + 1, **fields))  # type: ignore[arg-type]
        await uow.commit()
    return user


async def test_a_new_users_updated_at_is_its_created_at_unless_given(backend: Backend) -> None:
    plain = await new_user(backend, created_at=T0)
    given = await new_user(backend, created_at=T0, updated_at=T0 + timedelta(hours=1))
    async with backend.uow() as uow:
        assert (await uow.users.get(plain.id or 0)).updated_at == T0  # type: ignore[union-attr]
        assert (await uow.users.get(given.id or 0)).updated_at == T0 + timedelta(hours=1)  # type: ignore[union-attr]


async def test_update_saves_updated_at_and_keeps_it_when_none(backend: Backend) -> None:
    user = await new_user(backend, created_at=T0)
    async with backend.uow() as uow:
        await uow.users.update(attrs.evolve(user, username="shop", updated_at=T0 + timedelta(days=1)))
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.update(attrs.evolve(user, username="shop2", updated_at=None))
        await uow.commit()
    async with backend.uow() as uow:
        stored = await uow.users.get(user.id or 0)
    assert stored is not None and stored.username == "shop2" and stored.created_at == T0
    assert stored.updated_at == T0 + timedelta(days=1)


async def test_settings_are_added_once_and_read_back(backend: Backend) -> None:
    user = await new_user(backend)
    chosen = NotificationSettings(new_orders_enabled=False, excluded_stock_nm_ids=frozenset({5, 7}))
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) is None
        assert await uow.notification_settings.add_if_missing(user.id or 0, chosen)
        assert not await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == chosen


async def test_the_missing_cogs_switch_is_on_by_default_and_stored_on_its_own(backend: Backend) -> None:
    user = await new_user(backend)
    async with backend.uow() as uow:
        await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
        await uow.commit()
    async with backend.uow() as uow:
        stored = await uow.notification_settings.get(user.id or 0)
        assert stored is not None and stored.missing_cogs_enabled is True
        await uow.notification_settings.save(user.id or 0, stored.updated({"missing_cogs_enabled": False}))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == NotificationSettings(
            missing_cogs_enabled=False
        )


async def test_settings_are_rolled_back_without_commit(backend: Backend) -> None:
    user = await new_user(backend)
    async with backend.uow() as uow:
        await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) is None


async def test_settings_for_an_unknown_user_are_not_found_and_the_unit_goes_on(backend: Backend) -> None:
    user = await new_user(backend)
    async with backend.uow() as uow:
        with pytest.raises(NotFound):
            await uow.notification_settings.add_if_missing(10**15, NotificationSettings())
        assert await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == NotificationSettings()


async def test_save_stores_settings_for_a_user_without_any(backend: Backend) -> None:
    user = await new_user(backend)
    chosen = NotificationSettings(max_group_size=50, excluded_stock_nm_ids=frozenset({2**63 - 1, 1}))
    async with backend.uow() as uow:
        await uow.notification_settings.save(user.id or 0, chosen)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == chosen


async def test_save_replaces_every_stored_field(backend: Backend) -> None:
    user = await new_user(backend)
    changed = NotificationSettings(
        notifications_enabled=False,
        new_orders_enabled=False,
        order_buyouts_enabled=False,
        order_cancellations_enabled=False,
        order_returns_enabled=False,
        negative_reviews_enabled=False,
        critical_stocks_enabled=False,
        missing_cogs_enabled=False,
        review_rating_threshold=0,
        stock_analysis_days=14,
        grouping_enabled=False,
        max_group_size=1,
        group_timeout=1,
        excluded_stock_nm_ids=frozenset({3}),
    )
    async with backend.uow() as uow:
        await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
        await uow.commit()
    async with backend.uow() as uow:
        await uow.notification_settings.save(user.id or 0, changed)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == changed
        await uow.notification_settings.save(user.id or 0, NotificationSettings())
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == NotificationSettings()


async def test_a_save_is_seen_in_its_unit_and_rolled_back_without_commit(backend: Backend) -> None:
    user = await new_user(backend)
    async with backend.uow() as uow:
        await uow.notification_settings.add_if_missing(user.id or 0, NotificationSettings())
        await uow.commit()
    quiet = NotificationSettings(notifications_enabled=False)
    async with backend.uow() as uow:
        await uow.notification_settings.save(user.id or 0, quiet)
        assert await uow.notification_settings.get(user.id or 0) == quiet
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(user.id or 0) == NotificationSettings()


async def test_save_for_an_unknown_user_is_not_found_and_the_unit_goes_on(backend: Backend) -> None:
    user = await new_user(backend)
    async with backend.uow() as uow:
        with pytest.raises(NotFound):
            await uow.notification_settings.save(10**15, NotificationSettings())
        await uow.notification_settings.save(user.id or 0, NotificationSettings(group_timeout=60))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.notification_settings.get(10**15) is None
        assert await uow.notification_settings.get(user.id or 0) == NotificationSettings(group_timeout=60)
