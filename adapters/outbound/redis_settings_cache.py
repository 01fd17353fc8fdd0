"""Users' notification settings cached in Redis (seed 000: `notifications:settings:{user_id}`).

The cache only ever saves a Postgres read: Redis that is down, slow or holding a value we cannot read is a
miss, logged as a warning, and the caller goes to the repository. Nothing here raises.
"""

import asyncio
import json
import logging

import attrs
from redis.asyncio import Redis
from redis.exceptions import RedisError

from domain.errors import InvalidValue
from domain.notifications import NotificationSettings

logger = logging.getLogger(__name__)

KEY_PREFIX = "notifications:settings:"
DEFAULT_TTL_S = 3600
DEFAULT_TIMEOUT_S = 1.0
# What a Redis call may fail with: its own errors, the socket's, and our timeout around it.
_UNREACHABLE = (RedisError, OSError, TimeoutError)
_FIELDS = frozenset(a.name for a in attrs.fields(NotificationSettings))


def settings_to_json(settings: NotificationSettings) -> str:
    """Every field by name; the ignore list as a sorted JSON list."""
    values = attrs.asdict(settings, recurse=False)
    values["excluded_stock_nm_ids"] = sorted(settings.excluded_stock_nm_ids)
    return json.dumps(values, separators=(",", ":"))


def settings_from_json(raw: bytes | str) -> NotificationSettings | None:
    """The settings a value holds, or None when it is not a complete, valid set (an older layout, junk):
    the domain's own validators judge the values, so a cached value is never trusted beyond them."""
    try:
        values = json.loads(raw)
        if not isinstance(values, dict) or set(values) != _FIELDS:
            return None
        return NotificationSettings(**values)
    except (ValueError, TypeError, InvalidValue):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


class RedisSettingsCache:
    """Implements SettingsCache. Each value expires after `ttl_s`, which bounds how long a value can be
    stale if a reader that missed puts what it read just after a writer invalidated (the port's callers
    invalidate after every committed change). Each call gives up after `timeout_s`."""

    def __init__(
        self,
        client: Redis,
        ttl_s: int = DEFAULT_TTL_S,
        prefix: str = KEY_PREFIX,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._client = client
        self._ttl_s = ttl_s
        self._prefix = prefix
        self._timeout_s = timeout_s

    def key(self, user_id: int) -> str:
        return f"{self._prefix}{user_id}"

    async def get(self, user_id: int) -> NotificationSettings | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                raw = await self._client.get(self.key(user_id))
        except _UNREACHABLE as exc:
            _warn("read", user_id, exc)
            return None
        if raw is None:
            return None
        settings = settings_from_json(raw)
        if settings is None:
            logger.warning("ignoring an unreadable cached value of user %s's settings", user_id)
        return settings

    async def put(self, user_id: int, settings: NotificationSettings) -> None:
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._client.set(self.key(user_id), settings_to_json(settings), ex=self._ttl_s)
        except _UNREACHABLE as exc:
            _warn("store", user_id, exc)

    async def invalidate(self, user_id: int) -> None:
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._client.delete(self.key(user_id))
        except _UNREACHABLE as exc:
            _warn("invalidate", user_id, exc)


def _warn(what: str, user_id: int, exc: BaseException) -> None:
    # The type only: a Redis error's text may carry the URL, password included.
    logger.warning("could not %s user %s's cached settings: %s", what, user_id, type(exc).__name__)
