"""One request to WB, done right: auth header, pacing, retries, 429 handling, typed errors.

Retries: 5xx, timeouts, connection errors and unreadable bodies get `attempts` tries with exponential
backoff and full jitter. 401/403 and other 4xx are never retried. On 429 we wait X-Ratelimit-Retry
seconds (never less) when that is short, else raise WbRateLimited so the job is rescheduled.

`stream` is the same request for a JSON-array answer read incrementally: the same pacing, auth, 429 and
error handling, and the same retries, but ONLY until the first chunk has been yielded to the caller. A
failure after that (connection dropped, truncated or malformed body mid-way) raises WbUnavailable: a
retry would hand the caller rows it already has, and the page is cheap to ask again from the cursor.
"""

import asyncio
import json
import logging
import random
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any

import aiohttp
import attrs
import ijson

from adapters.outbound.wb.errors import error_detail
from adapters.outbound.wb.limits import LIMITS, Limit, LimitGroup, RateLimiter
from adapters.outbound.wb.streaming import NotAnArray, array_chunks
from application.ports.wb import WbApiError, WbAuthError, WbPacingWait, WbRateLimited, WbUnavailable

log = logging.getLogger(__name__)

_TRANSIENT = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)
_UNREADABLE = (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError)


@attrs.frozen
class RetryPolicy:
    attempts: int = 3
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 10.0
    max_inline_wait_s: float = 30.0  # longer waits reschedule the job instead of sleeping in it
    max_429_retries: int = 5

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2**attempt))


class _Transient(Exception):
    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@attrs.define
class WbTransport:
    """Sends requests for one process; `session` is the process-wide ClientSession."""

    session: aiohttp.ClientSession
    limiter: RateLimiter
    auth_prefix: str = "Bearer "
    policy: RetryPolicy = attrs.field(factory=RetryPolicy)
    timeout_s: float = 60.0
    # WB's bucket counts arrival times, we pace departure times: latency jitter (a new connection, a slow
    # first request) can bring two requests closer at WB than we spaced them, and a burst-1 group (sales,
    # stocks) has no slack for that. Spacing 5 % wider keeps them apart at a small cost in throughput, and a
    # burst-1 group is also paced from each answer's arrival (`_settle`): 5 % of an interval is no bound on
    # latency, least of all at a small WB_RATE_SCALE, where it is 30 ms.
    pacing_margin: float = 0.05

    async def call(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, **kwargs: Any
    ) -> Any:
        """Parsed JSON of a 2xx answer (None for 204). `bucket` names the rate-limit owner (a seller)."""
        attempts = _Attempts(self.policy)
        while True:
            await self._pace(group, bucket)
            try:
                return await self._once(group, bucket, api_key, method, url, **kwargs)
            except (_Transient, WbRateLimited) as exc:
                await asyncio.sleep(attempts.delay_after(exc, group))

    async def stream(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, chunk_size: int, **kw: Any
    ) -> AsyncIterator[list[Any]]:
        """The items of a JSON-array answer in lists of at most `chunk_size`, read as they arrive.
        Retried like `call` only while nothing has been yielded (see the module doc)."""
        attempts = _Attempts(self.policy)
        while True:
            await self._pace(group, bucket)
            yielded = False
            try:
                once = self._stream_once(group, bucket, api_key, method, url, chunk_size, **kw)
                async with aclosing(once):  # a caller that stops early releases the connection now
                    async for chunk in once:
                        yielded = True
                        yield chunk
                return
            except (_Transient, WbRateLimited) as exc:
                if yielded:
                    raise WbUnavailable(getattr(exc, "status", None), f"stream broke: {exc}") from None
                await asyncio.sleep(attempts.delay_after(exc, group))

    def _limit(self, group: LimitGroup) -> Limit:
        limit = LIMITS[group]
        return attrs.evolve(limit, interval_s=limit.interval_s * (1 + self.pacing_margin))

    async def _pace(self, group: LimitGroup, bucket: str) -> None:
        wait = await self.limiter.reserve(
            f"{bucket}:{group}", self._limit(group), 1, self.policy.max_inline_wait_s
        )
        if wait < 0:
            raise WbPacingWait(-wait, f"{group}: paced by our limiter")
        if wait > 0:
            await asyncio.sleep(wait)

    async def _settle(self, group: LimitGroup, bucket: str) -> None:
        limit = self._limit(group)
        if limit.burst == 1:
            await self.limiter.settle(f"{bucket}:{group}", limit)

    def _request(self, api_key: str, method: str, url: str, timeout: aiohttp.ClientTimeout, **kw: Any) -> Any:
        headers = {"Authorization": f"{self.auth_prefix}{api_key}", "Accept": "application/json"}
        return self.session.request(method, url, headers=headers, timeout=timeout, **kw)

    async def _once(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, **kw: Any
    ) -> Any:
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        try:
            async with self._request(api_key, method, url, timeout, **kw) as resp:
                await self._settle(group, bucket)
                text = await resp.text()
                return await self._interpret(group, bucket, resp, text)
        except _TRANSIENT as exc:
            raise _Transient(None, f"{type(exc).__name__}: {exc}") from None
        except UnicodeDecodeError:
            raise _Transient(None, "undecodable body from WB") from None

    async def _stream_once(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, size: int, **kw: Any
    ) -> AsyncGenerator[list[Any], None]:
        # No total deadline for a long page: a read that stalls for timeout_s fails instead.
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=self.timeout_s, sock_read=self.timeout_s)
        try:
            async with self._request(api_key, method, url, timeout, **kw) as resp:
                await self._settle(group, bucket)
                if resp.status == 204 or not 200 <= resp.status < 300:
                    await self._interpret(group, bucket, resp, await resp.text())
                    return
                async for chunk in array_chunks(resp.content, size):
                    yield chunk
        except _TRANSIENT as exc:
            raise _Transient(None, f"{type(exc).__name__}: {exc}") from None
        except _UNREADABLE as exc:
            raise _Transient(None, f"unreadable JSON body from WB: {exc}") from None
        except NotAnArray as exc:
            head = exc.head.decode("utf-8", "replace")
            if not exc.is_json:
                raise _Transient(None, "unreadable JSON body from WB (not an array)") from None
            raise WbApiError(None, f"expected a JSON array, got: {error_detail(head)}") from None

    async def _interpret(
        self, group: LimitGroup, bucket: str, resp: aiohttp.ClientResponse, text: str
    ) -> Any:
        status = resp.status
        if status == 204:
            return None
        if 200 <= status < 300:
            try:
                return json.loads(text)
            except ValueError:
                raise _Transient(status, "unreadable JSON body from WB") from None
        if status == 429:
            retry = _retry_after(resp)
            await self.limiter.block_for(f"{bucket}:{group}", self._limit(group), retry)
            raise WbRateLimited(retry, error_detail(text))
        if status >= 500:
            raise _Transient(status, error_detail(text))
        limit = self._limit(group)
        if limit.error_cost > 1:
            await self.limiter.charge(f"{bucket}:{group}", limit, limit.error_cost - 1)
        if status in (401, 403):
            raise WbAuthError(status, error_detail(text))
        raise WbApiError(status, error_detail(text))


@attrs.define
class _Attempts:
    """The retry budget of one logical request: how long to wait after a failure, or raise to give up."""

    policy: RetryPolicy
    transient: int = 0
    limited: int = 0

    def delay_after(self, exc: Exception, group: LimitGroup) -> float:
        if isinstance(exc, WbRateLimited):
            self.limited += 1
            too_long = exc.retry_after_s > self.policy.max_inline_wait_s
            if too_long or self.limited > self.policy.max_429_retries:
                raise exc
            return exc.retry_after_s
        assert isinstance(exc, _Transient)
        self.transient += 1
        if self.transient >= self.policy.attempts:
            raise WbUnavailable(exc.status, exc.detail) from None
        log.warning("wb transient failure, retrying", extra={"group": group, "detail": exc.detail})
        return self.policy.backoff(self.transient)


def _retry_after(resp: aiohttp.ClientResponse) -> float:
    """X-Ratelimit-Retry in seconds; without it, X-Ratelimit-Reset; without both, a cautious 60 s."""
    for header in ("X-Ratelimit-Retry", "X-Ratelimit-Reset"):
        raw = resp.headers.get(header)
        if raw:
            try:
                value = float(raw)
            except ValueError:
                continue
            if value >= 0:
                return value
    return 60.0
