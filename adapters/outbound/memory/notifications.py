"""In-memory notification settings: one per user, staged in the unit of work like every other write."""

from adapters.outbound.memory import store as db
from adapters.outbound.memory.identity import Staging
from domain.errors import NotFound
from domain.notifications import NotificationSettings


class InMemoryNotificationSettingsRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add_if_missing(self, user_id: int, settings: NotificationSettings) -> bool:
        return bool(self._unit.stage(_add_if_missing(user_id, settings)))

    async def get(self, user_id: int, for_update: bool = False) -> NotificationSettings | None:
        # One process, units applied whole at commit: there is nothing to lock.
        return self._unit.view.notification_settings.get(user_id)

    async def save(self, user_id: int, settings: NotificationSettings) -> None:
        self._unit.stage(_save(user_id, settings))


def _add_if_missing(user_id: int, settings: NotificationSettings) -> db.Write:
    def write(t: db.Tables) -> bool:
        if user_id not in t.users:
            raise NotFound("user", user_id)
        if user_id in t.notification_settings:
            return False
        t.notification_settings[user_id] = settings  # frozen: safe to share
        return True

    return write


def _save(user_id: int, settings: NotificationSettings) -> db.Write:
    def write(t: db.Tables) -> None:
        if user_id not in t.users:
            raise NotFound("user", user_id)
        t.notification_settings[user_id] = settings

    return write
