"""Ports the cabinet sync writes through. All writes are idempotent upserts keyed as in DESIGN.md, and a
write that changes nothing must not touch the row (a second sync with nothing new writes nothing).
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import attrs

from domain.claims import Claim
from domain.events import DomainEvent
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Order, StatusChange
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel


@attrs.frozen
class OrderStatusUpdate:
    order_id: int
    supplier: SupplierStatus | None
    wb: WbStatus | None
    changed_at: datetime
    is_final: bool


class OrderRepository(Protocol):
    async def upsert_many(self, orders: Sequence[Order]) -> int:
        """Insert new FBS orders and refresh their WB-side facts; never touches status fields
        (supplier_status, wb_status, status_updated_at, is_final). Returns rows actually written."""
        ...

    async def get_many(self, cabinet_id: UUID, order_ids: Sequence[int]) -> Mapping[int, Order]: ...

    async def unfinished_ids(self, cabinet_id: UUID, after_id: int, limit: int) -> Sequence[int]:
        """Ids of orders whose status can still change (not final), ascending, after `after_id`."""
        ...

    async def apply_status_updates(self, cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> int: ...

    async def add_history(self, cabinet_id: UUID, changes: Sequence[StatusChange]) -> int:
        """Idempotent: re-recording the same change adds nothing. Returns rows added."""
        ...

    async def count(self, cabinet_id: UUID) -> int: ...


class StatOrderRepository(Protocol):
    async def upsert_many(self, rows: Sequence[StatOrder]) -> int:
        """Keyed (cabinet_id, srid); also copies statistics-side fields onto the FBS order (rid = srid).
        Returns rows actually written."""
        ...

    async def count(self, cabinet_id: UUID) -> int: ...


class SaleRepository(Protocol):
    async def upsert_many(self, rows: Sequence[Sale]) -> Sequence[str]:
        """Keyed (cabinet_id, sale_id), never srid. Returns the sale_ids that were new (for events)."""
        ...

    async def count(self, cabinet_id: UUID) -> int: ...


class StockRepository(Protocol):
    async def replace_all(self, cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> int:
        """The stocks report is a snapshot: rows not in it are removed. Returns rows written or removed."""
        ...

    async def list(self, cabinet_id: UUID) -> Sequence[StockLevel]: ...


class ReviewRepository(Protocol):
    async def upsert_many(self, rows: Sequence[Review]) -> Sequence[str]:
        """Keyed (cabinet_id, review_id). Returns the ids that were new."""
        ...

    async def count(self, cabinet_id: UUID) -> int: ...


class ClaimRepository(Protocol):
    async def upsert_many(self, rows: Sequence[Claim]) -> Sequence[str]:
        """Keyed (cabinet_id, claim_id). Returns the ids that were new."""
        ...

    async def count(self, cabinet_id: UUID) -> int: ...


@attrs.define
class SyncCursor:
    """Where one source of one cabinet stands, and how its last run went (the data-health view)."""

    cabinet_id: UUID
    source: str
    cursor: Mapping[str, Any] | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    rows_taken: int = 0
    backoff_until: datetime | None = None


class SyncCursorRepository(Protocol):
    async def get(self, cabinet_id: UUID, source: str) -> SyncCursor | None: ...

    async def save(self, cursor: SyncCursor) -> None:
        """Upsert by (cabinet_id, source)."""
        ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[SyncCursor]: ...


class EventRepository(Protocol):
    """The outbox. `dedupe_key` is unique: adding an event already stored is a no-op."""

    async def add_many(self, events: Sequence[DomainEvent], ids: Sequence[UUID], at: datetime) -> int:
        """Returns how many were new."""
        ...


class CabinetLock(Protocol):
    """A cross-process lock per cabinet, so two syncs of one cabinet never run at once."""

    def hold(self, cabinet_id: UUID) -> "CabinetLockHandle": ...


class CabinetLockHandle(Protocol):
    async def __aenter__(self) -> bool:
        """True if this caller holds the lock; False if another holder has it (do nothing then)."""
        ...

    async def __aexit__(self, *exc: object) -> None: ...
