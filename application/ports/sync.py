"""Sync ports: the WB data a cabinet's sync stores, where each source stands, and the sync lock.

All writes are idempotent upserts keyed as in DESIGN.md, and a write that changes nothing does not touch
the row (a second sync with nothing new writes nothing). Counts are what the data-health view shows.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import attrs

from domain.claims import Claim
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Order, StatusChange
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel


@attrs.frozen
class OrderStatusUpdate:
    """The statuses an order has now, for `OrderRepository.apply_status_updates`."""

    order_id: int
    supplier: SupplierStatus | None
    wb: WbStatus | None
    changed_at: datetime
    is_final: bool


class OrderRepository(Protocol):
    """FBS assembly orders, keyed (cabinet_id, order_id), with their status history."""

    async def upsert_many(self, orders: Sequence[Order]) -> int:
        """Insert new orders and refresh their WB-side facts; never touches the status fields
        (supplier_status, wb_status, status_updated_at, is_final). Returns rows actually written."""
        ...

    async def get_many(self, cabinet_id: UUID, order_ids: Sequence[int]) -> Mapping[int, Order]:
        """The stored orders among `order_ids` (unknown ids are absent), with the statistics side
        (rid = srid) joined in."""
        ...

    async def unfinished_ids(self, cabinet_id: UUID, after_id: int, limit: int) -> Sequence[int]:
        """Ids of orders whose status can still change (not final), ascending, after `after_id`."""
        ...

    async def apply_status_updates(self, cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> int:
        """Set the orders' statuses as given (last write wins). Returns rows written."""
        ...

    async def add_history(self, cabinet_id: UUID, changes: Sequence[StatusChange]) -> int:
        """Idempotent: re-recording the same change adds nothing. Returns rows added."""
        ...

    async def history(self, cabinet_id: UUID, order_id: int) -> Sequence[StatusChange]:
        """The order's status history, oldest first (an order's `statusHistory` in the dashboard)."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many orders the cabinet holds."""
        ...


class StatOrderRepository(Protocol):
    """Statistics orders (FBS and FBW), keyed (cabinet_id, srid)."""

    async def upsert_many(self, rows: Sequence[StatOrder]) -> int:
        """Returns rows actually written (an unchanged row is not rewritten)."""
        ...

    async def order_counts_by_nm(self, cabinet_id: UUID, since: datetime) -> Mapping[int, int]:
        """Statistics orders (FBS and FBW) per nm_id dated at or after `since`, not counting cancelled
        ones: the order rate that days of stock left divide by (decision 0007). nm_ids with no order are
        absent. Read-only."""
        ...

    async def cancel_flags(self, cabinet_id: UUID, srids: Sequence[str]) -> Mapping[str, bool]:
        """The stored `is_cancel` of each srid we already hold (unknown srids are absent): what the sync
        compares a fresh page with to tell new orders and new cancellations. Read-only."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many statistics orders the cabinet holds."""
        ...


class SaleRepository(Protocol):
    """Sales and returns of the statistics report, keyed (cabinet_id, sale_id), never srid."""

    async def upsert_many(self, rows: Sequence[Sale]) -> Sequence[str]:
        """Returns the sale_ids that were new (the events come from those)."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many sale and return rows the cabinet holds."""
        ...


class StockRepository(Protocol):
    """The cabinet's stock on WB warehouses, one row per (nm_id, chrt_id, warehouse)."""

    async def apply_snapshot(self, cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> int:
        """The stocks report is a snapshot of what is in stock: WB leaves a sold-out row out, so a stored
        row the snapshot lacks is set to zero (quantity and both in-way counts), never deleted. Rows of
        another cabinet are ignored. Idempotent; returns rows written or zeroed (0 when nothing changed)."""
        ...

    async def quantities_by_nm(self, cabinet_id: UUID) -> Mapping[int, int]:
        """The cabinet's current stock per nm_id, summed over sizes and warehouses; a sold-out nm_id is
        present with 0. Read-only."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many stock rows the cabinet holds."""
        ...

    async def alert_levels(self, cabinet_id: UUID) -> Mapping[int, int | None]:
        """The critical-stock level saved per nm_id with the last snapshot (`domain.stocks.alert_level`;
        None: not critical at any horizon). An nm_id never saved is absent. Read-only."""
        ...

    async def save_alert_levels(
        self, cabinet_id: UUID, levels: Mapping[int, int | None], at: datetime
    ) -> None:
        """Set the level of each nm_id in `levels` (stamped `at`); the others keep theirs. Saved in the
        snapshot's unit of work, so the snapshot, its levels and the events of their falls commit together
        and a re-run of it finds nothing fallen. Idempotent."""
        ...


class ReviewRepository(Protocol):
    """Feedbacks (reviews), keyed (cabinet_id, review_id)."""

    async def upsert_many(self, rows: Sequence[Review]) -> Sequence[str]:
        """Returns the ids that were new. A version link (parent_id/child_id) once stored stays when a
        later row of the same review comes without it."""
        ...

    async def ratings(self, cabinet_id: UUID, review_ids: Sequence[str]) -> Mapping[str, int]:
        """The stored rating of each of `review_ids` we hold (unknown ids are absent): what tells an edit
        of a review already seen from a review seen for the first time. Read-only."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many reviews the cabinet holds."""
        ...


class ClaimRepository(Protocol):
    """Buyer claims (return requests), keyed (cabinet_id, claim_id)."""

    async def upsert_many(self, rows: Sequence[Claim]) -> Sequence[str]:
        """Returns the ids that were new."""
        ...

    async def count(self, cabinet_id: UUID) -> int:
        """How many claims the cabinet holds."""
        ...


@attrs.define
class SourceState:
    """Where one sync source of one cabinet stands, and how its last run went (the data-health view).

    `position` is the source's own JSON-able paging state (dates, `next` ids, windows); None before the
    source first ran.
    """

    cabinet_id: UUID
    source: str
    position: Mapping[str, Any] | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    rows_taken: int = 0
    backoff_until: datetime | None = None
    # Set when a run ended early because WB's pace would have made it wait (not an error): the source
    # continues from `position` at the next run at or after this moment (docs/decisions/0006).
    continues_at: datetime | None = None


class SourceStateRepository(Protocol):
    """One `SourceState` per (cabinet_id, source)."""

    async def get(self, cabinet_id: UUID, source: str) -> SourceState | None:
        """The stored state, or None if the source never ran for this cabinet."""
        ...

    async def save(self, state: SourceState) -> None:
        """Upsert by (cabinet_id, source). Idempotent."""
        ...

    async def save_many(self, states: Sequence[SourceState]) -> None:
        """`save` for each, in one statement (a sync's final states). One state per (cabinet_id, source);
        idempotent."""
        ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[SourceState]:
        """Every stored state of the cabinet, by source name."""
        ...


class CabinetLockHandle(Protocol):
    """The lock for one cabinet, entered with `async with`."""

    async def __aenter__(self) -> bool:
        """True if this caller now holds the lock; False at once if another holder has it."""
        ...

    async def __aexit__(self, *exc: object) -> None:
        """Release the lock if held. Never raises for a lock that was not acquired."""
        ...


class CabinetLock(Protocol):
    """A cross-process lock per cabinet, so two syncs of one cabinet never run at once. A holder that
    dies releases it (Postgres advisory lock on its session)."""

    def hold(self, cabinet_id: UUID) -> CabinetLockHandle:
        """A handle to enter; entering never waits."""
        ...
