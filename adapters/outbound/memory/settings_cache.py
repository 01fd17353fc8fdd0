"""An in-memory SettingsCache: a dict by user id, for tests and a single process."""

from domain.notifications import NotificationSettings


class InMemorySettingsCache:
    """Implements SettingsCache. Values never expire (nothing in-process changes them behind our back);
    settings are frozen, so the stored object is safe to hand out."""

    def __init__(self) -> None:
        self._values: dict[int, NotificationSettings] = {}

    async def get(self, user_id: int) -> NotificationSettings | None:
        return self._values.get(user_id)

    async def put(self, user_id: int, settings: NotificationSettings) -> None:
        self._values[user_id] = settings

    async def invalidate(self, user_id: int) -> None:
        self._values.pop(user_id, None)
