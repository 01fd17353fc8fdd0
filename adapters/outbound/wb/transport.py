"""One request to WB, done right: auth header, pacing, retries, 429 handling, typed errors.

Retries: 5xx, timeouts, connection errors and unreadable bodies get `attempts` tries with exponential
backoff and full jitter. 401/403 and other 4xx are never retried. On 429 we wait X-Ratelimit-Retry
seconds (never less) when that is short, else raise WbRateLimited so the job is rescheduled.
"""

import asyncio
import json
import logging
import random
from typing import Any

import aiohttp
import attrs

from adapters.outbound.wb.errors import error_detail
from adapters.outbound.wb.limits import LIMITS, LimitGroup, RateLimiter
from application.errors import WbApiError, WbAuthError, WbRateLimited, WbUnavailable

log = logging.getLogger(__name__)

_TRANSIENT = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)


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

    async def call(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, **kwargs: Any
    ) -> Any:
        """Parsed JSON of a 2xx answer (None for 204). `bucket` names the rate-limit owner (a cabinet)."""
        transient_failures, limited = 0, 0
        while True:
            await self._pace(group, bucket)
            try:
                return await self._once(group, bucket, api_key, method, url, **kwargs)
            except _Transient as exc:
                transient_failures += 1
                if transient_failures >= self.policy.attempts:
                    raise WbUnavailable(exc.status, exc.detail) from None
                delay = self.policy.backoff(transient_failures)
                log.warning("wb transient failure, retrying", extra={"group": group, "detail": exc.detail})
                await asyncio.sleep(delay)
            except WbRateLimited as exc:
                limited += 1
                if exc.retry_after_s > self.policy.max_inline_wait_s or limited > self.policy.max_429_retries:
                    raise
                await asyncio.sleep(exc.retry_after_s)

    async def _pace(self, group: LimitGroup, bucket: str) -> None:
        wait = await self.limiter.reserve(
            f"{bucket}:{group}", LIMITS[group], 1, self.policy.max_inline_wait_s
        )
        if wait < 0:
            raise WbRateLimited(-wait, f"{group}: paced by our limiter")
        if wait > 0:
            await asyncio.sleep(wait)

    async def _once(
        self, group: LimitGroup, bucket: str, api_key: str, method: str, url: str, **kw: Any
    ) -> Any:
        headers = {"Authorization": f"{self.auth_prefix}{api_key}", "Accept": "application/json"}
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        try:
            async with self.session.request(method, url, headers=headers, timeout=timeout, **kw) as resp:
                text = await resp.text()
                return await self._interpret(group, bucket, resp, text)
        except _TRANSIENT as exc:
            raise _Transient(None, f"{type(exc).__name__}: {exc}") from None

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
            await self.limiter.block_for(f"{bucket}:{group}", LIMITS[group], retry)
            raise WbRateLimited(retry, error_detail(text))
        if status >= 500:
            raise _Transient(status, error_detail(text))
        limit = LIMITS[group]
        if limit.error_cost > 1:
            await self.limiter.charge(f"{bucket}:{group}", limit, limit.error_cost - 1)
        if status in (401, 403):
            raise WbAuthError(status, error_detail(text))
        raise WbApiError(status, error_detail(text))


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
