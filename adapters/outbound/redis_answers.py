"""The dashboard's answer cache and per-user request budget in Redis (decision 0017).

Best effort, as the ports require: Redis that is down or slow (each call gives up after `timeout_s`) is a
cache miss, a dropped write, an admitted request, logged as a warning. Nothing here raises.
"""

import asyncio
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 0.5
BUDGET_PREFIX = "dash:budget:"
_UNREACHABLE = (RedisError, OSError, TimeoutError)

# KEYS[1]: the user's key; ARGV: limit, window. Redis' clock is the one time source of every process.
# Returns 0 (admitted) or the seconds left in the window.
_SPEND = """
local now = tonumber(redis.call('TIME')[1])
local window = tonumber(ARGV[2])
local start = now - (now % window)
local key = KEYS[1] .. ':' .. start
local spent = redis.call('INCR', key)
if spent == 1 then redis.call('EXPIRE', key, window + 1) end
if spent > tonumber(ARGV[1]) then return start + window - now end
return 0
"""


class RedisAnswerCache:
    """Implements AnswerCache: one string per key, with its TTL (`SET … EX`)."""

    def __init__(self, client: Redis, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._client = client
        self._timeout_s = timeout_s

    async def get(self, key: str) -> bytes | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                value = await self._client.get(key)
        except _UNREACHABLE as exc:
            logger.warning("answer cache unreachable, computing: %s", type(exc).__name__)
            return None
        return value if isinstance(value, bytes) else None

    async def put(self, key: str, answer: bytes, ttl_s: int) -> None:
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._client.set(key, answer, ex=ttl_s)
        except _UNREACHABLE as exc:
            logger.warning("answer cache unreachable, not stored: %s", type(exc).__name__)


class RedisRequestBudget:
    """Implements RequestBudget: a counter per key and window start (`INCR`, expiring with the window),
    so a burst at a window's edge may reach twice the limit—the price of one round trip per request."""

    def __init__(
        self, client: Redis, prefix: str = BUDGET_PREFIX, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> None:
        self._prefix = prefix
        self._timeout_s = timeout_s
        self._script = client.register_script(_SPEND)

    async def spend(self, key: str, limit: int, window_s: int) -> float:
        try:
            async with asyncio.timeout(self._timeout_s):
                wait = await self._script(keys=[self._prefix + key], args=[limit, window_s])
        except _UNREACHABLE as exc:
            logger.warning("request budget unreachable, admitting: %s", type(exc).__name__)
            return 0.0
        return float(wait)
