"""WB's token-bucket rate limits (reference §3), per (seller, token tier, method group), in real monotonic
time.

Base tokens (acc 1) draw on their own, much lower limits (BASE_LIMITS); every other token type on LIMITS.

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
    "paid_storage_create": Limit(60, 1, 5),
    "paid_storage_status": Limit(5, 1, 5),
    "paid_storage_download": Limit(60, 1, 1),
}
HOUR = 3600
# group -> Base-token limits (reference §3.2, Base column; Marketplace: the category's Base row, §3.1). WB
# gives no burst for the hourly ones: 1 is assumed (no kinder than WB can be). `stocks` is closed to Base.
BASE_LIMITS: dict[str, Limit] = {
    **LIMITS,
    "seller_info": Limit(24 * HOUR, 1, 1),
    "fbs": Limit(60, 150, 10, cost_4xx=10),
    "stats_orders": Limit(3 * HOUR, 1, 1),
    "stats_sales": Limit(2 * HOUR, 1, 1),
    "feedbacks": Limit(HOUR, 5, 1),
    "claims": Limit(HOUR, 1, 1),
    "finance": Limit(24 * HOUR, 2, 1),
    "paid_storage_create": Limit(HOUR, 1, 1),
    "paid_storage_status": Limit(HOUR, 2, 2),
    "paid_storage_download": Limit(HOUR, 2, 1),
}
TIERS = {"": LIMITS, "base": BASE_LIMITS}


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
        self.buckets: dict[tuple[str, str, str], Bucket] = {}

    def _bucket(self, group: str, sub: str, tier: str) -> Bucket:
        b = self.buckets.get((group, sub, tier))
        if b is None:
            limit = TIERS[tier][group]
            b = self.buckets[(group, sub, tier)] = Bucket(limit, self.scale or 0.0, self.clock())
        return b

    def take(self, group: str, sub: str = "", tier: str = "") -> Decision:
        """`tier` is "" for Personal/Service/Test keys and "base" for Base keys: separate buckets."""
        if self.scale is None:
            burst = TIERS[tier][group].burst
            return Decision(True, remaining=burst, limit=burst)
        return self._bucket(group, sub, tier).take(self.clock())

    def after_response(self, group: str, sub: str, status: int, tier: str = "") -> int | None:
        """Charge the extra cost of a Marketplace 4XX; returns the new remaining count if it changed."""
        cost = TIERS[tier][group].cost_4xx
        if self.scale is not None and cost > 1 and 400 <= status < 500 and status != 429:
            b = self._bucket(group, sub, tier)
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
