"""The dashboard's answer cache and per-user request budget in Redis (decision 0017).

Best effort, as the ports require: Redis that is down or slow (each call gives up after `timeout_s`) is a
cache miss, a dropped write, an admitted request, logged as a warning. Nothing here raises.

The budget leases: a process takes a share of a user's window from Redis (`limit // LEASE_SHARE`
requests, at least one) and spends it locally, so a busy user costs one Redis round trip per share, not
per request. Redis counts every leased request, so all processes together never admit more than the
limit; a process may refuse a user while another still holds unspent requests of theirs (at most a share
each), which is the price of the saved round trips (decision 0019).
"""

import asyncio
import logging
import time
from collections.abc import Callable

import attrs
from redis.asyncio import Redis
from redis.exceptions import RedisError

from application.ports.answers import StoredAnswer

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 0.5
BUDGET_PREFIX = "dash:budget:"
LEASE_SHARE = 20
_DIGEST_LEN = 32
_UNREACHABLE = (RedisError, OSError, TimeoutError)

# KEYS[1]: the user's key; ARGV: limit, window, wanted. Redis' clock is the one time source of every
# process. Returns {granted (0..wanted), seconds left in the window}.
_LEASE = """
local now = tonumber(redis.call('TIME')[1])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local start = now - (now % window)
local key = KEYS[1] .. ':' .. start
local spent = redis.call('INCRBY', key, wanted)
if spent == wanted then redis.call('EXPIRE', key, window + 1) end
local granted = math.min(wanted, limit - (spent - wanted))
if granted < 0 then granted = 0 end
return {granted, start + window - now}
"""


class RedisAnswerCache:
    """Implements AnswerCache: one string per key (the digest, then the body), with its TTL."""

    def __init__(self, client: Redis, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._client = client
        self._timeout_s = timeout_s

    async def get(self, key: str) -> StoredAnswer | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                value = await self._client.get(key)
        except _UNREACHABLE as exc:
            logger.warning("answer cache unreachable, computing: %s", type(exc).__name__)
            return None
        if not isinstance(value, bytes) or len(value) < _DIGEST_LEN:
            return None
        return StoredAnswer(value[_DIGEST_LEN:], value[:_DIGEST_LEN].decode("ascii", "replace"))

    async def put(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        value = answer.digest.encode("ascii") + answer.body
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._client.set(key, value, ex=ttl_s)
        except _UNREACHABLE as exc:
            logger.warning("answer cache unreachable, not stored: %s", type(exc).__name__)


@attrs.define
class _Lease:
    until: float  # monotonic end of the window the lease belongs to
    left: int  # requests still to spend
    refused: bool = False  # Redis granted nothing more: every request of this window is leased


class RedisRequestBudget:
    """Implements RequestBudget: a counter per key and window start in Redis (`INCRBY`, expiring with the
    window), spent through per-process leases. A burst at a window's edge may reach twice the limit."""

    def __init__(
        self,
        client: Redis,
        prefix: str = BUDGET_PREFIX,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._prefix = prefix
        self._timeout_s = timeout_s
        self._clock = clock
        self._script = client.register_script(_LEASE)
        self._leases: dict[str, _Lease] = {}
        self._asking: dict[str, asyncio.Future[None]] = {}

    async def spend(self, key: str, limit: int, window_s: int) -> float:
        while True:
            now = self._clock()
            lease = self._leases.get(key)
            if lease is not None and lease.until <= now:
                lease = None
            if lease is not None and lease.left > 0:
                lease.left -= 1
                return 0.0
            if lease is not None and lease.refused:
                return lease.until - now
            asking = self._asking.get(key)
            if asking is None:
                break
            await asyncio.shield(asking)  # one lease request per key at a time: wait, then look again
        asking = self._asking[key] = asyncio.get_running_loop().create_future()
        try:
            return await self._lease(key, lease, limit, window_s, now)
        finally:
            del self._asking[key]
            asking.set_result(None)

    async def _lease(self, key: str, lease: _Lease | None, limit: int, window_s: int, now: float) -> float:
        try:
            async with asyncio.timeout(self._timeout_s):
                granted, seconds_left = await self._script(
                    keys=[self._prefix + key], args=[limit, window_s, max(1, limit // LEASE_SHARE)]
                )
        except _UNREACHABLE as exc:
            logger.warning("request budget unreachable, admitting: %s", type(exc).__name__)
            return 0.0
        return self._take(key, lease, int(granted), float(seconds_left), now)

    def _take(self, key: str, lease: _Lease | None, granted: int, seconds_left: float, now: float) -> float:
        if lease is None:
            if len(self._leases) >= 10_000:
                self._leases = {k: v for k, v in self._leases.items() if v.until > now}
            lease = self._leases[key] = _Lease(now + seconds_left, 0)
        lease.left += granted
        if lease.left == 0:
            lease.refused = True
            return max(0.0, lease.until - now)
        lease.left -= 1
        return 0.0
