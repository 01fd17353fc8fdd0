"""COGS versions of a cabinet's SKUs (issue 11 part 2), and the sales that lack one."""

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

import attrs

from domain.cogs import CogsHistory, CogsVersion


@attrs.frozen
class UncostedSales:
    """One SKU's sales (kind `sale`) on Moscow days no live COGS version covers: `units` rows and their
    `revenue` (Σ `price_with_disc`, the seller's price after discounts, roubles). `sa_name` is the seller's
    article (WB `saName`) of its latest such sale."""

    nm_id: int
    sa_name: str | None
    units: int
    revenue: Decimal


class CogsRepository(Protocol):
    """COGS versions (live and soft-deleted) in the unit of work's transaction. Every read is scoped by the
    cabinet id: an id of another cabinet's version is not found. The caller has checked membership."""

    async def histories_for_update(self, cabinet_id: UUID, nm_ids: Collection[int]) -> dict[int, CogsHistory]:
        """Every version of each SKU (an empty history for a SKU without any), after taking the cabinet's
        COGS write lock for the rest of the transaction (Postgres: an advisory transaction lock), so two
        writers of one cabinet never decide from the same stale history. Any number of SKUs at once."""
        ...

    async def history(self, cabinet_id: UUID, nm_id: int) -> CogsHistory:
        """Every version of the SKU, without locking (reads)."""
        ...

    async def find(self, cabinet_id: UUID, version_id: UUID) -> CogsVersion | None:
        """The version with this id of this cabinet, live or deleted; None if there is none."""
        ...

    async def save(self, versions: Sequence[CogsVersion]) -> None:
        """Store new versions and the new state of changed ones (window, cost, deletion) as one set-based
        write, whatever their number. The final state must hold no overlapping live windows (the aggregate
        guarantees it); a racing writer that broke this raises Conflict. Idempotent."""
        ...

    async def versions_for(
        self, cabinet_id: UUID, nm_ids: Collection[int] | None, from_day: date, to_day: date
    ) -> Sequence[CogsVersion]:
        """Live versions covering any day of from_day..to_day (inclusive) of these SKUs (all when None),
        ordered by nm_id and valid_from: what a weekly report joins its sales with."""
        ...

    async def uncosted_sales(self, cabinet_id: UUID, from_day: date, to_day: date) -> Sequence[UncostedSales]:
        """SKUs with sales (kind `sale`) on Moscow days from_day..to_day that no live version covers on
        the sale's Moscow day, with the units and revenue lacking a cost; by revenue (highest first), then
        nm_id."""
        ...

    async def sa_names(self, cabinet_id: UUID, nm_ids: Collection[int]) -> Mapping[int, str]:
        """The seller's article (WB `saName`) of each SKU's latest sale row, for SKUs that have one."""
        ...
