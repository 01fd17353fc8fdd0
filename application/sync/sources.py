"""The one table of sync sources: name, the WB key category it needs (reference/wb-api.md §1.2), its
runner, and its lane. Lanes run concurrently (different WB hosts and limit groups, so they never wait for
each other); the sources of one lane run one after another in table order (FBS orders before their
statuses, which poll the orders just stored)."""

from collections.abc import Awaitable, Callable

import attrs

from application.sync import fbs, finance, paid_storage, snapshots, statistics
from application.sync.run import Outcome, SourceRun
from domain.wb_token import WbCategory

Runner = Callable[[SourceRun], Awaitable[Outcome]]


@attrs.frozen
class SyncSource:
    name: str
    category: WbCategory
    runner: Runner
    lane: str


SOURCES: tuple[SyncSource, ...] = (
    SyncSource("fbs_orders", WbCategory.MARKETPLACE, fbs.sync_fbs_orders, lane="fbs"),
    SyncSource("fbs_statuses", WbCategory.MARKETPLACE, fbs.sync_fbs_statuses, lane="fbs"),
    SyncSource("stat_orders", WbCategory.STATISTICS, statistics.sync_stat_orders, lane="stat_orders"),
    SyncSource("stat_sales", WbCategory.STATISTICS, statistics.sync_stat_sales, lane="stat_sales"),
    SyncSource("stocks", WbCategory.ANALYTICS, snapshots.sync_stocks, lane="stocks"),
    SyncSource("feedbacks", WbCategory.FEEDBACKS, snapshots.sync_feedbacks, lane="feedbacks"),
    SyncSource("claims", WbCategory.RETURNS, snapshots.sync_claims, lane="claims"),
    SyncSource("finance_report", WbCategory.FINANCE, finance.sync_finance_report, lane="finance"),
    # Paid storage is an Analytics-category method (reference/wb-api.md §1.2; `x-category: contentanalytics`).
    SyncSource("paid_storage", WbCategory.ANALYTICS, paid_storage.sync_paid_storage, lane="paid_storage"),
)
SOURCE_NAMES: tuple[str, ...] = tuple(s.name for s in SOURCES)


def lanes() -> list[tuple[SyncSource, ...]]:
    """SOURCES grouped by lane, each lane in table order, lanes in the order of their first source."""
    grouped: dict[str, list[SyncSource]] = {}
    for source in SOURCES:
        grouped.setdefault(source.lane, []).append(source)
    return [tuple(group) for group in grouped.values()]


# Without either of these there are no orders at all, so the dashboard would stay empty: refuse the key.
CORE_CATEGORIES = frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS})
