"""WB's token-bucket rate limits (reference §3), per (seller, method group), in real monotonic time.

A bucket holds up to `burst` tokens and regains one every `interval = period / limit` seconds, multiplied by
the seller's `rate_scale` (0.001 makes every interval 1000x shorter; None switches limits off). A request
takes one token; with none left it gets 429 and counts as a violation (429s do not take tokens). In the
Marketplace group a 4XX answer costs 10 tokens in all (the bucket may go into debt).
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Limit:
    period: float  # seconds
    limit: int  # requests per period
    burst: int
    cost_4xx: int = 1

    @property
    def interval(self) -> float:
        return self.period / self.limit


# group -> Personal-token limits (reference §3.2)
LIMITS: dict[str, Limit] = {
    "ping": Limit(30, 3, 3),
    "seller_info": Limit(60, 1, 10),
    "fbs": Limit(60, 300, 20, cost_4xx=10),
    "stats_orders": Limit(60, 1, 10),
    "stats_sales": Limit(60, 1, 1),
    "stocks": Limit(60, 3, 1),
    "feedbacks": Limit(1, 3, 6),
    "claims": Limit(60, 20, 10),
    "finance": Limit(60, 1, 1),
}


@dataclass(slots=True)
class Decision:
    allowed: bool
    remaining: int = 0
    retry: float = 0.0
    reset: float = 0.0
    limit: int = 0


class Bucket:
    __slots__ = ("interval", "limit", "stamp", "tokens")

    def __init__(self, limit: Limit, scale: float, now: float) -> None:
        self.limit = limit
        self.interval = limit.interval * scale
        self.tokens = float(limit.burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        if self.interval <= 0:
            self.tokens = float(self.limit.burst)
        else:
            self.tokens = min(float(self.limit.burst), self.tokens + (now - self.stamp) / self.interval)
        self.stamp = now

    def take(self, now: float) -> Decision:
        self._refill(now)
        burst = self.limit.burst
        if self.tokens >= 1 - EPS:
            self.tokens -= 1
            return Decision(True, remaining=max(0, math.floor(self.tokens + EPS)), limit=burst)
        retry = (1 - self.tokens) * self.interval
        reset = (burst - self.tokens) * self.interval
        return Decision(False, retry=retry, reset=reset, limit=burst)

    def charge(self, extra: int, now: float) -> None:
        self._refill(now)
        self.tokens -= extra


class RateLimiter:
    """All buckets of one seller."""

    def __init__(self, scale: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.scale = scale
        self.clock = clock
        self.buckets: dict[tuple[str, str], Bucket] = {}

    def _bucket(self, group: str, sub: str) -> Bucket:
        b = self.buckets.get((group, sub))
        if b is None:
            b = self.buckets[(group, sub)] = Bucket(LIMITS[group], self.scale or 0.0, self.clock())
        return b

    def take(self, group: str, sub: str = "") -> Decision:
        if self.scale is None:
            return Decision(True, remaining=LIMITS[group].burst, limit=LIMITS[group].burst)
        return self._bucket(group, sub).take(self.clock())

    def after_response(self, group: str, sub: str, status: int) -> int | None:
        """Charge the extra cost of a Marketplace 4XX; returns the new remaining count if it changed."""
        cost = LIMITS[group].cost_4xx
        if self.scale is not None and cost > 1 and 400 <= status < 500 and status != 429:
            b = self._bucket(group, sub)
            b.charge(cost - 1, self.clock())
            return max(0, math.floor(b.tokens + EPS))
        return None

    def fmt(self, seconds: float) -> str:
        """Whole seconds (as WB sends) when unscaled; with a scale, a decimal string rounded up to ms."""
        if self.scale in (None, 1, 1.0):
            return str(max(1, math.ceil(seconds - EPS)))
        return f"{math.ceil(seconds * 1000 - EPS) / 1000:.3f}"

    def headers_429(self, d: Decision) -> dict[str, str]:
        return {
            "X-Ratelimit-Retry": self.fmt(d.retry),
            "X-Ratelimit-Limit": str(d.limit),
            "X-Ratelimit-Reset": self.fmt(d.reset),
        }
