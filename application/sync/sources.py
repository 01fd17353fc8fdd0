"""The one table of sync sources: name, the WB key category it needs (reference/wb-api.md §1.2), and
its runner, in the order a sync runs them (FBS orders before their statuses)."""

from collections.abc import Awaitable, Callable

import attrs

from application.sync import fbs, snapshots, statistics
from application.sync.run import Outcome, SourceRun
from domain.wb_token import WbCategory

Runner = Callable[[SourceRun], Awaitable[Outcome]]


@attrs.frozen
class SyncSource:
    name: str
    category: WbCategory
    runner: Runner


SOURCES: tuple[SyncSource, ...] = (
    SyncSource("fbs_orders", WbCategory.MARKETPLACE, fbs.sync_fbs_orders),
    SyncSource("fbs_statuses", WbCategory.MARKETPLACE, fbs.sync_fbs_statuses),
    SyncSource("stat_orders", WbCategory.STATISTICS, statistics.sync_stat_orders),
    SyncSource("stat_sales", WbCategory.STATISTICS, statistics.sync_stat_sales),
    SyncSource("stocks", WbCategory.ANALYTICS, snapshots.sync_stocks),
    SyncSource("feedbacks", WbCategory.FEEDBACKS, snapshots.sync_feedbacks),
    SyncSource("claims", WbCategory.RETURNS, snapshots.sync_claims),
)
SOURCE_NAMES: tuple[str, ...] = tuple(s.name for s in SOURCES)

# Without either of these there are no orders at all, so the dashboard would stay empty: refuse the key.
CORE_CATEGORIES = frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS})
