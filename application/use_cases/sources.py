"""The sync's sources, and the WB key category each one needs (reference/wb-api.md §1.2)."""

from types import MappingProxyType

from domain.wb_token import WbCategory

FBS_ORDERS = "fbs_orders"
FBS_STATUSES = "fbs_statuses"
STAT_ORDERS = "stat_orders"
STAT_SALES = "stat_sales"
STOCKS = "stocks"
FEEDBACKS = "feedbacks"
CLAIMS = "claims"

SOURCE_CATEGORY = MappingProxyType(
    {
        FBS_ORDERS: WbCategory.MARKETPLACE,
        FBS_STATUSES: WbCategory.MARKETPLACE,
        STAT_ORDERS: WbCategory.STATISTICS,
        STAT_SALES: WbCategory.STATISTICS,
        STOCKS: WbCategory.ANALYTICS,
        FEEDBACKS: WbCategory.FEEDBACKS,
        CLAIMS: WbCategory.RETURNS,
    }
)
SOURCES: tuple[str, ...] = tuple(SOURCE_CATEGORY)

# Without either of these there are no orders at all, so the dashboard would stay empty: refuse the key.
CORE_CATEGORIES = frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS})
