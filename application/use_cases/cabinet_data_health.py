"""CabinetDataHealth: how fresh each source of a cabinet is and how much it holds (data-health view)."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import attrs

from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.sync.sources import SOURCE_NAMES, SOURCES
from domain.errors import NotFound
from domain.identity import Cabinet


@attrs.frozen
class SourceHealth:
    source: str
    last_success_at: datetime | None = None
    rows_taken: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    backoff_until: datetime | None = None
    continues_at: datetime | None = None  # paused for WB's pace, not failing: continues at the next run then
    blocked_reason: str | None = None
    """Why the source is not synced with the cabinet's key: a category the key lacks, or WB's reason for
    refusing the method to it (a 403, or a 401 "token scope not allowed", with the key itself good)."""
    blocked_until: datetime | None = None
    """When a source WB refused is tried again (sooner if a new key is connected)."""

    @property
    def waiting(self) -> bool:
        """Paused for WB's pace with the rest still to read (not an error)."""
        return self.continues_at is not None

    @property
    def never_synced(self) -> bool:
        return self.last_success_at is None and self.last_error_at is None


@attrs.frozen
class StoredRows:
    """How many rows of each kind the cabinet holds now (what a seller compares with the WB cabinet)."""

    orders: int
    stat_orders: int
    sales: int
    stocks: int
    reviews: int
    claims: int


@attrs.frozen
class CabinetHealth:
    status: str
    invalid_reason: str | None
    sources: Sequence[SourceHealth]
    stored: StoredRows


@attrs.frozen
class CabinetDataHealth:
    """The cabinet's status, one row per sync source in sync order (including sources never synced yet,
    and why a source is not synced with this key), and its stored row counts. Read-only; raises NotFound
    for an unknown cabinet."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self, cabinet_id: UUID) -> CabinetHealth:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(cabinet_id)
            if cabinet is None:
                raise NotFound("cabinet", str(cabinet_id))
            states = {s.source: s for s in await uow.source_states.list_for_cabinet(cabinet_id)}
            stored = await _stored_rows(uow, cabinet_id)
        rows = []
        for source in (*SOURCE_NAMES, *sorted(set(states) - set(SOURCE_NAMES))):
            s = states.get(source)
            blocked = _blocked(cabinet, source, s.last_success_at if s else None)
            if s is None:
                rows.append(SourceHealth(source, blocked_reason=blocked[0], blocked_until=blocked[1]))
                continue
            rows.append(
                SourceHealth(
                    source,
                    s.last_success_at,
                    s.rows_taken,
                    s.last_error,
                    s.last_error_at,
                    s.backoff_until,
                    continues_at=s.continues_at,
                    blocked_reason=blocked[0],
                    blocked_until=blocked[1],
                )
            )
        return CabinetHealth(cabinet.status.value, cabinet.invalid_reason, rows, stored)


def _blocked(
    cabinet: Cabinet, source: str, last_success_at: datetime | None
) -> tuple[str | None, datetime | None]:
    category = next((s.category for s in SOURCES if s.name == source), None)
    if category is not None and category not in cabinet.categories:
        return f"the key lacks the {category.name} category", None
    block = cabinet.blocked_sources.get(source)
    if block is None or (last_success_at is not None and last_success_at >= block.since):
        return None, None  # never refused, or a retry since worked
    return f"WB refuses it to this key: {block.reason}", block.retry_at


async def _stored_rows(uow: UnitOfWork, cabinet_id: UUID) -> StoredRows:
    return StoredRows(
        orders=await uow.orders.count(cabinet_id),
        stat_orders=await uow.stat_orders.count(cabinet_id),
        sales=await uow.sales.count(cabinet_id),
        stocks=await uow.stocks.count(cabinet_id),
        reviews=await uow.reviews.count(cabinet_id),
        claims=await uow.claims.count(cabinet_id),
    )
