"""A user's notification settings as the bot reads and changes them (seed 000 §1; issue 9, point 4): the
settings (read through the cache, partial updates) and the stock ignore list (articles whose stock is
never critical for this user).

The user is named by telegram_id: an unknown one is NotFound, never created. A user without stored
settings (registered before settings existed) gets the defaults stored at their first read or change.
Every change is saved and committed, then the user's cached settings are invalidated, so the next read
sees it. Concurrent changes of one user's settings apply one after the other (the row is locked for the
change), so neither is lost.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import TypeAlias

import attrs

from application.ports.notifications import SettingsCache
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.use_cases.access import MAX_ID, UserRef, find_user
from domain.errors import InvalidValue
from domain.notifications import NotificationSettings

MAX_IGNORED = 1000  # articles in one user's stock ignore list
IGNORE_LIST_FIELD = "excluded_stock_nm_ids"
NM_IDS = "nm_ids"  # how the ignore-list calls name their input in errors

Change: TypeAlias = Callable[[NotificationSettings], NotificationSettings]


@attrs.frozen
class GetNotificationSettings:
    """The user's settings: from the cache, else from the repository (the defaults stored first when the
    user has none), then cached. NotFound for an unknown telegram_id; InvalidValue('telegram_id') for an
    id no user can have. Idempotent; writes only a missing user's defaults."""

    uow_factory: UnitOfWorkFactory
    cache: SettingsCache

    async def __call__(self, telegram_id: int) -> NotificationSettings:
        return await _read(self.uow_factory, self.cache, telegram_id)


@attrs.frozen
class UpdateNotificationSettings:
    """Change some of the user's settings (`changes`: field name → new value; the rest stay), and return
    them all. Values are checked strictly by the domain: an unknown field, a wrong type (1 for a switch,
    true for a number) or a value out of range is InvalidValue naming the field, and nothing changes.
    The ignore list is not changed here (InvalidValue): AddStockIgnore and RemoveStockIgnore do it.
    NotFound for an unknown telegram_id. Idempotent: the same changes twice leave the same settings;
    no changes at all change nothing and return the settings as they are."""

    uow_factory: UnitOfWorkFactory
    cache: SettingsCache

    async def __call__(self, telegram_id: int, changes: Mapping[str, object]) -> NotificationSettings:
        if IGNORE_LIST_FIELD in changes:
            raise InvalidValue(IGNORE_LIST_FIELD, "the stock ignore list has its own calls (add, remove)")
        return await _change(self.uow_factory, self.cache, telegram_id, lambda s: s.updated(changes))


@attrs.frozen
class ListStockIgnore:
    """The user's stock ignore list, ascending, read as GetNotificationSettings reads (same failures)."""

    uow_factory: UnitOfWorkFactory
    cache: SettingsCache

    async def __call__(self, telegram_id: int) -> list[int]:
        return sorted((await _read(self.uow_factory, self.cache, telegram_id)).excluded_stock_nm_ids)


@attrs.frozen
class AddStockIgnore:
    """Add articles (nmIds) to the user's stock ignore list and return the whole list, ascending. Articles
    already in it are fine (idempotent). InvalidValue('nm_ids') for an id that is not a positive integer
    up to 2^63-1, or when the list would hold more than MAX_IGNORED articles (nothing is added then);
    NotFound for an unknown telegram_id."""

    uow_factory: UnitOfWorkFactory
    cache: SettingsCache
    limit: int = MAX_IGNORED

    async def __call__(self, telegram_id: int, nm_ids: Iterable[int]) -> list[int]:
        wanted = _checked(nm_ids)

        def add(settings: NotificationSettings) -> NotificationSettings:
            merged = settings.excluded_stock_nm_ids | wanted
            if len(merged) > self.limit:
                had = len(settings.excluded_stock_nm_ids)
                raise InvalidValue(
                    NM_IDS,
                    f"the stock ignore list holds at most {self.limit} articles: it has {had}, "
                    f"these would make it {len(merged)}",
                )
            return attrs.evolve(settings, excluded_stock_nm_ids=merged)

        return sorted((await _change(self.uow_factory, self.cache, telegram_id, add)).excluded_stock_nm_ids)


@attrs.frozen
class RemoveStockIgnore:
    """Remove articles from the user's stock ignore list and return what is left, ascending. Articles not
    in it are fine (idempotent). InvalidValue('nm_ids') for an id that is not a positive integer up to
    2^63-1; NotFound for an unknown telegram_id."""

    uow_factory: UnitOfWorkFactory
    cache: SettingsCache

    async def __call__(self, telegram_id: int, nm_ids: Iterable[int]) -> list[int]:
        unwanted = _checked(nm_ids)

        def remove(settings: NotificationSettings) -> NotificationSettings:
            return attrs.evolve(settings, excluded_stock_nm_ids=settings.excluded_stock_nm_ids - unwanted)

        changed = await _change(self.uow_factory, self.cache, telegram_id, remove)
        return sorted(changed.excluded_stock_nm_ids)


async def _read(
    uow_factory: UnitOfWorkFactory, cache: SettingsCache, telegram_id: int
) -> NotificationSettings:
    async with uow_factory() as uow:
        user_id = await _user_id(uow, telegram_id)
        cached = await cache.get(user_id)
        if cached is not None:
            return cached
        settings = await _stored_or_defaults(uow, user_id)
        await uow.commit()
    await cache.put(user_id, settings)
    return settings


async def _change(
    uow_factory: UnitOfWorkFactory, cache: SettingsCache, telegram_id: int, change: Change
) -> NotificationSettings:
    async with uow_factory() as uow:
        user_id = await _user_id(uow, telegram_id)
        current = await _stored_or_defaults(uow, user_id, lock=True)
        changed = change(current)  # raises InvalidValue before anything is saved
        if changed != current:
            await uow.notification_settings.save(user_id, changed)
        await uow.commit()
    # After the commit, so a read that misses from now on finds the change. (A read that missed before the
    # commit and puts what it read after this can leave the old value cached until it expires.)
    await cache.invalidate(user_id)
    return changed


async def _user_id(uow: UnitOfWork, telegram_id: int) -> int:
    user = await find_user(uow, UserRef(telegram_id=telegram_id))
    assert user.id is not None  # find_user returns stored users only
    return user.id


async def _stored_or_defaults(uow: UnitOfWork, user_id: int, lock: bool = False) -> NotificationSettings:
    """The stored settings (locked with `lock`, so concurrent changes of one user apply one after the
    other), or the defaults stored now."""
    stored = await uow.notification_settings.get(user_id, for_update=lock)
    if stored is not None:
        return stored
    defaults = NotificationSettings()
    if await uow.notification_settings.add_if_missing(user_id, defaults):
        return defaults
    # A racing call stored this user's settings between our read and our insert: theirs stand.
    return await uow.notification_settings.get(user_id, for_update=lock) or defaults


def _checked(nm_ids: Iterable[int]) -> frozenset[int]:
    if isinstance(nm_ids, str | bytes | Mapping):
        raise InvalidValue(NM_IDS, "must be a list of article ids (nmIds)")
    items = list(nm_ids)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item <= MAX_ID:
            raise InvalidValue(NM_IDS, f"must be positive integers up to {MAX_ID}, got {item!r}")
    return frozenset(items)
