"""In-memory repositories of the synced data, the source states and the outbox. Like the identity ones, they
read the unit's view and stage their writes; unlike Postgres they do not check the cabinet exists."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import attrs

from adapters.outbound.memory import sync_writes as w
from adapters.outbound.memory.identity import Staging
from application.ports.notifications import StoredEvent
from application.ports.sync import OrderStatusUpdate, SourceState
from domain.claims import Claim
from domain.events import DomainEvent
from domain.orders import Order, StatusChange
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel


def _count(table: Mapping[Any, Any], cabinet_id: UUID) -> int:
    return sum(1 for key in table if key[0] == cabinet_id)


class InMemoryOrderRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def upsert_many(self, orders: Sequence[Order]) -> int:
        return cast(int, self._unit.stage(w.upsert_orders(orders)))

    async def get_many(self, cabinet_id: UUID, order_ids: Sequence[int]) -> Mapping[int, Order]:
        stored = self._unit.view.orders
        keys = [(cabinet_id, i) for i in order_ids if (cabinet_id, i) in stored]
        stats = self._unit.view.stat_orders
        # The statistics side is joined at read time (rid = srid), as the Postgres adapter does.
        return {key[1]: _joined(stored[key], stats.get((cabinet_id, stored[key].rid))) for key in keys}

    async def unfinished_ids(self, cabinet_id: UUID, after_id: int, limit: int) -> Sequence[int]:
        view = self._unit.view
        ids = (
            k[1] for k in view.orders if k[0] == cabinet_id and k[1] > after_id and k not in view.final_orders
        )
        return sorted(ids)[:limit]

    async def apply_status_updates(self, cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> int:
        return cast(int, self._unit.stage(w.apply_status_updates(cabinet_id, updates)))

    async def add_history(self, cabinet_id: UUID, changes: Sequence[StatusChange]) -> int:
        return cast(int, self._unit.stage(w.add_history(cabinet_id, changes)))

    async def history(self, cabinet_id: UUID, order_id: int) -> Sequence[StatusChange]:
        mine = [c for k, c in self._unit.view.order_history.items() if k[:2] == (cabinet_id, order_id)]
        return sorted(mine, key=lambda c: c.changed_at)

    async def count(self, cabinet_id: UUID) -> int:
        return _count(self._unit.view.orders, cabinet_id)


class InMemoryStatOrderRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def upsert_many(self, rows: Sequence[StatOrder]) -> int:
        return cast(int, self._unit.stage(w.upsert_stat_orders(rows)))

    async def order_counts_by_nm(self, cabinet_id: UUID, since: datetime) -> Mapping[int, int]:
        counts: dict[int, int] = {}
        for (cab, _), r in self._unit.view.stat_orders.items():
            if cab == cabinet_id and r.date >= since and not r.is_cancel and r.nm_id is not None:
                counts[r.nm_id] = counts.get(r.nm_id, 0) + 1
        return counts

    async def cancel_flags(self, cabinet_id: UUID, srids: Sequence[str]) -> Mapping[str, bool]:
        stored = self._unit.view.stat_orders
        return {s: stored[(cabinet_id, s)].is_cancel for s in srids if (cabinet_id, s) in stored}

    async def count(self, cabinet_id: UUID) -> int:
        return _count(self._unit.view.stat_orders, cabinet_id)


class _KeyedRepository:
    """Upserts keyed (cabinet_id, id); `upsert_many` returns the ids that were new."""

    table = ""
    id_field = ""

    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def upsert_many(self, rows: Sequence[Any]) -> Sequence[str]:
        write = w.upsert_keyed(self.table, rows, lambda r: (r.cabinet_id, getattr(r, self.id_field)))
        _, new = cast(tuple[int, list[tuple[UUID, str]]], self._unit.stage(write))
        return [key[1] for key in new]

    async def count(self, cabinet_id: UUID) -> int:
        return _count(getattr(self._unit.view, self.table), cabinet_id)


class InMemorySaleRepository(_KeyedRepository):
    table, id_field = "sales", "sale_id"

    async def upsert_many(self, rows: Sequence[Sale]) -> Sequence[str]:
        return await super().upsert_many(rows)


class InMemoryReviewRepository(_KeyedRepository):
    table, id_field = "reviews", "id"

    async def upsert_many(self, rows: Sequence[Review]) -> Sequence[str]:
        stored = self._unit.view.reviews
        return await super().upsert_many([w.keep_links(r, stored.get((r.cabinet_id, r.id))) for r in rows])

    async def ratings(self, cabinet_id: UUID, review_ids: Sequence[str]) -> Mapping[str, int]:
        stored = self._unit.view.reviews
        return {i: stored[(cabinet_id, i)].rating for i in review_ids if (cabinet_id, i) in stored}


class InMemoryClaimRepository(_KeyedRepository):
    table, id_field = "claims", "id"

    async def upsert_many(self, rows: Sequence[Claim]) -> Sequence[str]:
        return await super().upsert_many(rows)


class InMemoryStockRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def apply_snapshot(self, cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> int:
        return cast(int, self._unit.stage(w.apply_stock_snapshot(cabinet_id, rows, at)))

    async def quantities_by_nm(self, cabinet_id: UUID) -> Mapping[int, int]:
        totals: dict[int, int] = {}
        for key, (row, _at) in self._unit.view.stocks.items():
            if key[0] == cabinet_id:
                totals[row.nm_id] = totals.get(row.nm_id, 0) + row.quantity
        return totals

    async def count(self, cabinet_id: UUID) -> int:
        return _count(self._unit.view.stocks, cabinet_id)

    async def alert_levels(self, cabinet_id: UUID) -> Mapping[int, int | None]:
        return {k[1]: level for k, level in self._unit.view.stock_alert_levels.items() if k[0] == cabinet_id}

    async def save_alert_levels(
        self, cabinet_id: UUID, levels: Mapping[int, int | None], at: datetime
    ) -> None:
        self._unit.stage(w.save_alert_levels(cabinet_id, dict(levels)))


class InMemorySourceStateRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def get(self, cabinet_id: UUID, source: str) -> SourceState | None:
        found = self._unit.view.source_states.get((cabinet_id, source))
        return None if found is None else _copy_state(found)

    async def save(self, state: SourceState) -> None:
        stored = _copy_state(state)
        self._unit.stage(lambda t: t.source_states.__setitem__((state.cabinet_id, state.source), stored))

    async def save_many(self, states: Sequence[SourceState]) -> None:
        for state in states:
            await self.save(state)

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[SourceState]:
        mine = sorted((k, c) for k, c in self._unit.view.source_states.items() if k[0] == cabinet_id)
        return [_copy_state(c) for _, c in mine]


def _copy_state(state: SourceState) -> SourceState:
    return attrs.evolve(state, position=None if state.position is None else dict(state.position))


class InMemoryEventRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add_many(
        self, events: Sequence[DomainEvent], ids: Sequence[UUID], at: datetime
    ) -> Sequence[StoredEvent]:
        if len(events) != len(ids):
            raise ValueError("one id per event")
        rows = [StoredEvent(i, e, at) for e, i in zip(events, ids, strict=True)]

        def write(t: Any) -> list[StoredEvent]:
            new: list[StoredEvent] = []
            for row in rows:  # the first of two equal keys wins, as ON CONFLICT DO NOTHING in one INSERT
                if row.event.dedupe_key not in t.events:
                    t.events[row.event.dedupe_key] = row
                    new.append(row)
            return new

        return cast(list[StoredEvent], self._unit.stage(write))

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[StoredEvent]:
        mine = [r for r in self._unit.view.events.values() if r.event.cabinet_id == cabinet_id]
        return sorted(mine, key=lambda r: (r.event.occurred_at, r.event.dedupe_key))


def _joined(order: Order, stat: StatOrder | None) -> Order:
    return attrs.evolve(order) if stat is None else w.with_stats(order, stat)
