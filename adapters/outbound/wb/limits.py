"""WB's documented rate limits per method group (reference/wb-api.md §3.2), and the limiter protocol.

WB limits per seller account and method group with a token bucket: `interval` seconds between requests
once the `burst` is spent. We pace proactively with one bucket per (seller, group), shared by every worker
through Redis, so WB never has to answer 429 in the first place.
"""

import enum
from typing import Protocol

import attrs


@attrs.frozen
class Limit:
    interval_s: float
    burst: int
    error_cost: int = 1  # how many requests WB charges for one 4xx answer


class LimitGroup(enum.StrEnum):
    MARKETPLACE = "marketplace"
    STATISTICS_ORDERS = "statistics_orders"
    STATISTICS_SALES = "statistics_sales"
    STOCKS_REPORT = "stocks_report"
    FEEDBACKS = "feedbacks"
    CLAIMS = "claims"
    SELLER_INFO = "seller_info"
    PING = "ping"
    FINANCE = "finance"
    PAID_STORAGE_CREATE = "paid_storage_create"
    PAID_STORAGE_STATUS = "paid_storage_status"
    PAID_STORAGE_DOWNLOAD = "paid_storage_download"


# Personal / Service token limits (the only ones sellers can connect with: Base and Test tokens are refused
# at connect, see docs/decisions/0008-cabinet-is-a-seller.md).
LIMITS: dict[LimitGroup, Limit] = {
    LimitGroup.MARKETPLACE: Limit(interval_s=0.2, burst=20, error_cost=10),
    LimitGroup.STATISTICS_ORDERS: Limit(interval_s=60.0, burst=10),
    LimitGroup.STATISTICS_SALES: Limit(interval_s=60.0, burst=1),
    LimitGroup.STOCKS_REPORT: Limit(interval_s=20.0, burst=1),
    LimitGroup.FEEDBACKS: Limit(interval_s=1 / 3, burst=6),
    LimitGroup.CLAIMS: Limit(interval_s=3.0, burst=10),
    LimitGroup.SELLER_INFO: Limit(interval_s=60.0, burst=10),
    LimitGroup.PING: Limit(interval_s=10.0, burst=3),
    LimitGroup.FINANCE: Limit(interval_s=60.0, burst=1),
    LimitGroup.PAID_STORAGE_CREATE: Limit(interval_s=60.0, burst=5),
    LimitGroup.PAID_STORAGE_STATUS: Limit(interval_s=5.0, burst=5),
    LimitGroup.PAID_STORAGE_DOWNLOAD: Limit(interval_s=60.0, burst=1),
}


class RateLimiter(Protocol):
    """A shared pacing bucket per key. Implementations must be safe across processes and machines."""

    async def reserve(self, key: str, limit: Limit, cost: int, max_wait_s: float) -> float:
        """Reserve `cost` requests. Returns the seconds to wait before sending (0 = now).

        If the wait would exceed `max_wait_s`, nothing is reserved and the (positive) wait is returned
        as a negative number, so the caller can reschedule instead of sleeping.
        """
        ...

    async def charge(self, key: str, limit: Limit, cost: int) -> None:
        """Charge extra requests after the fact (WB counts a Marketplace 4xx as 10)."""
        ...

    async def settle(self, key: str, limit: Limit) -> None:
        """A request on a burst-1 key was just answered: the next may leave no sooner than one interval
        from now. WB counted the request when it arrived, which was before its answer came back, so pacing
        from the answer keeps arrivals an interval apart whatever the latency did on the way."""
        ...

    async def block_for(self, key: str, limit: Limit, seconds: float) -> None:
        """WB said 429 with X-Ratelimit-Retry: nothing may be sent on this key for `seconds`."""
        ...
