"""Order rollups: per-cabinet aggregates of orders by Moscow day, hour and SKU, kept current in the unit of
work that writes the orders they count, so the dashboard's analytics never scan the orders tables.

Definitions (docs/metrics.md, "Dashboard analytics"; decision 0015): an FBS order is a row of `orders`
placed on the Moscow day and hour of its `created_at`; an FBW order is a statistics order from a WB
warehouse placed by its `date`. Every figure is kept per `delivery` ('fbs' | 'fbw'), so "all orders" is a
sum of both and never a re-scan. A return is a sales row `R…` on the Moscow day of its `date`.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol
from uuid import UUID

import attrs

Delivery = Literal["fbs", "fbw"]
DELIVERIES: frozenset[Delivery] = frozenset({"fbs", "fbw"})
FBS_ONLY: frozenset[Delivery] = frozenset({"fbs"})


@attrs.frozen
class StatusCounts:
    """Orders by their supplier status now, as the dashboard's orders show it: an FBS order's polled
    status (`unknown` until the first poll); an FBW order `cancel` once cancelled, else `unknown` (WB
    ships it, the seller has no status). The six add up to the orders counted."""

    new: int = 0
    confirm: int = 0
    complete: int = 0
    cancel: int = 0
    cancel_carrier: int = 0
    unknown: int = 0

    def __add__(self, other: "StatusCounts") -> "StatusCounts":
        return StatusCounts(*(a + b for a, b in zip(attrs.astuple(self), attrs.astuple(other), strict=True)))


@attrs.frozen
class DayRollup:
    """One Moscow day of a cabinet, summed over the deliveries asked for. `revenue` is roubles over the
    orders not cancelled; `returns` are sales rows `R…` dated that day (of orders of those deliveries)."""

    day: date
    orders: int
    cancelled: int
    b2b: int
    revenue: Decimal
    returns: int
    statuses: StatusCounts


@attrs.frozen
class HourRollup:
    """Orders placed in one Moscow hour (0–23) of one Moscow day."""

    day: date
    hour: int
    orders: int


@attrs.frozen
class SkuDayRollup:
    """One article (nm_id) on one Moscow day: orders, cancelled and revenue as in DayRollup."""

    day: date
    nm_id: int
    orders: int
    cancelled: int
    revenue: Decimal


class RollupRepository(Protocol):
    """The order rollups of the unit of work's transaction.

    Writers of orders, statistics orders, sales or order statuses `touch` what they wrote; the one who
    commits calls `refresh_touched()` just before `commit()`, which recomputes every touched Moscow day
    from the base tables, so the rollups and the rows they count commit together or not at all. Every
    recomputation also bumps the cabinet's data version, which keys the dashboard's answer cache. A
    concurrent unit refreshing the same day waits for this one (Postgres: a per-day transaction lock),
    so the last to commit counts everything committed. `rebuild` recomputes a whole cabinet (the
    `wbpulse rollups rebuild` command). All of it is idempotent: refreshing a day twice changes nothing.
    Reads are scoped by the cabinet id only: the caller has checked membership.
    """

    def touch(self, cabinet_id: UUID, days: Iterable[date] = (), srids: Iterable[str] = ()) -> None:
        """Mark Moscow days to refresh, and srids whose statistics side changed: those mark the day of the
        FBS order with that rid and the days of the returns of that srid (found when refreshing)."""
        ...

    async def refresh_touched(self) -> int:
        """Recompute every touched day and forget the marks; returns the days recomputed."""
        ...

    async def refresh_days(self, cabinet_id: UUID, days: Collection[date]) -> None:
        """Recompute these Moscow days of the cabinet from the base tables (a day with nothing left loses
        its rows)."""
        ...

    async def rebuild(self, cabinet_id: UUID) -> int:
        """Recompute every day of the cabinet from the base tables; returns the days that have data."""
        ...

    async def bump_version(self, cabinet_id: UUID) -> None:
        """Advance the cabinet's data version in this transaction (decision 0017): every cached dashboard
        answer of the cabinet is then outlived. `refresh_days` (so every sync page and poll that touched a
        day, and `rebuild`) calls it; any other write that changes an answer (a COGS change) calls it before
        its commit. Nothing for a cabinet that does not exist."""
        ...

    async def version(self, cabinet_id: UUID) -> int:
        """The cabinet's data version as committed (0 for a new or unknown cabinet); only ever grows."""
        ...

    async def days(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[DayRollup]:
        """Days from_day..to_day inclusive that have orders or returns, in order; days without any are
        absent (a chart fills them with zeros)."""
        ...

    async def hours(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[HourRollup]:
        """(day, hour) cells with orders in from_day..to_day inclusive, ordered by day and hour."""
        ...

    async def sku_days(
        self,
        cabinet_id: UUID,
        from_day: date,
        to_day: date,
        deliveries: Collection[Delivery],
        nm_ids: Collection[int] | None = None,
    ) -> Sequence[SkuDayRollup]:
        """(day, nm_id) cells with orders in from_day..to_day inclusive (only `nm_ids` when given),
        ordered by day and nm_id."""
        ...

    async def first_day(self, cabinet_id: UUID, deliveries: Collection[Delivery]) -> date | None:
        """The earliest Moscow day with orders or returns, None without any (for "all time" views)."""
        ...
