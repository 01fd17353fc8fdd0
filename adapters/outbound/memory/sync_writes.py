"""Writes on the synced tables of the in-memory store, with the Postgres adapters' semantics: a row whose
facts are unchanged is not written (and not counted), and the last row per key in a batch wins."""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID

import attrs

from adapters.outbound.memory.store import Tables, Write
from application.ports.sync import OrderStatusUpdate
from domain.orders import Order, StatusChange
from domain.reviews import Review
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
ORDER_STATUS = ("supplier_status", "wb_status", "status_updated_at")
# The statistics-side fields of an order, as (Order field, StatOrder field).
ORDER_STATS = (
    ("is_cancel", "is_cancel"),
    ("cancel_date", "cancel_date"),
    ("finished_price", "finished_price"),
    ("price_with_disc", "price_with_disc"),
    ("warehouse_name", "warehouse_name"),
    ("region_name", "region_name"),
    ("last_change_date", "last_change_date"),
)


def facts(entity: object) -> tuple[Any, ...]:
    """Every field's value: what "unchanged" compares (entities with eq=False included)."""
    return attrs.astuple(entity, recurse=False)  # type: ignore[arg-type]


def last_per_key(items: Iterable[T], key: Callable[[T], K]) -> dict[K, T]:
    return {key(item): item for item in items}


def upsert_keyed(table: str, items: Sequence[Any], key: Callable[[Any], Hashable]) -> Write:
    """Store items in `table` by key; the write returns (rows written, keys that were new)."""

    def write(t: Tables) -> tuple[int, list[Hashable]]:
        stored, written, new = getattr(t, table), 0, []
        for k, item in last_per_key(items, key).items():
            if k not in stored:
                new.append(k)
            if k not in stored or facts(stored[k]) != facts(item):
                stored[k] = attrs.evolve(item)
                written += 1
        return written, new

    return write


def with_stats(order: Order, stat: StatOrder) -> Order:
    joined: dict[str, Any] = {ours: getattr(stat, theirs) for ours, theirs in ORDER_STATS}
    return attrs.evolve(order, **joined)


def upsert_orders(items: Sequence[Order]) -> Write:
    keep = ORDER_STATUS

    def write(t: Tables) -> int:
        written = 0
        for key, order in last_per_key(items, lambda o: (o.cabinet_id, o.order_id)).items():
            stored = t.orders.get(key)
            kept: dict[str, Any] = {name: getattr(stored, name, None) for name in keep}
            new = attrs.evolve(order, **kept)
            if new.sale_price is None and stored is not None:  # not sent on this listing: keep ours
                new = attrs.evolve(new, sale_price=stored.sale_price)
            if new.buyer_sale_price is None and stored is not None:
                new = attrs.evolve(new, buyer_sale_price=stored.buyer_sale_price)
            if stored is None or facts(stored) != facts(new):
                t.orders[key] = new
                written += 1
        return written

    return write


def upsert_stat_orders(items: Sequence[StatOrder]) -> Write:
    stage = upsert_keyed("stat_orders", items, lambda r: (r.cabinet_id, r.srid))

    def write(t: Tables) -> int:
        written, _ = cast(tuple[int, list[Hashable]], stage(t))
        return written

    return write


def apply_status_updates(cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> Write:
    def write(t: Tables) -> int:
        written = 0
        for order_id, u in last_per_key(updates, lambda u: u.order_id).items():
            key = (cabinet_id, order_id)
            if (stored := t.orders.get(key)) is None:
                continue
            supplier, wb = u.supplier or stored.supplier_status, u.wb or stored.wb_status
            new = attrs.evolve(stored, supplier_status=supplier, wb_status=wb, status_updated_at=u.changed_at)
            if facts(new) != facts(stored) or u.is_final != (key in t.final_orders):
                t.orders[key] = new
                (t.final_orders.add if u.is_final else t.final_orders.discard)(key)
                written += 1
        return written

    return write


def add_history(cabinet_id: UUID, changes: Sequence[StatusChange]) -> Write:
    """Keyed as Postgres' unique constraint: (cabinet, order, changed_at, supplier, wb); first one wins."""

    def write(t: Tables) -> int:
        keyed = {(cabinet_id, c.order_id, c.changed_at, c.supplier, c.wb): c for c in reversed(changes)}
        new = {k: c for k, c in keyed.items() if k not in t.order_history}
        t.order_history.update(new)
        return len(new)

    return write


def stock_key(row: StockLevel) -> tuple[UUID, int, int, int]:
    return (row.cabinet_id, row.nm_id, row.chrt_id or 0, row.warehouse_id or 0)


def apply_stock_snapshot(cabinet_id: UUID, rows: Sequence[StockLevel], at: datetime) -> Write:
    """Stored as (StockLevel with 0 ids read back as None, updated_at); a stored row the snapshot lacks
    is sold out: set to zero, not removed (as the Postgres adapter)."""
    snapshot = {
        k: attrs.evolve(r, chrt_id=r.chrt_id or None, warehouse_id=r.warehouse_id or None)
        for k, r in last_per_key((r for r in rows if r.cabinet_id == cabinet_id), stock_key).items()
    }

    def write(t: Tables) -> int:
        zero = {"quantity": 0, "in_way_to_client": 0, "in_way_from_client": 0}
        vanished = {
            k: attrs.evolve(r, **zero)
            for k, (r, _) in t.stocks.items()
            if k[0] == cabinet_id and k not in snapshot
        }
        changed = {
            k: r for k, r in {**vanished, **snapshot}.items() if k not in t.stocks or t.stocks[k][0] != r
        }
        t.stocks.update({k: (r, at) for k, r in changed.items()})
        return len(changed)

    return write


def save_alert_levels(cabinet_id: UUID, levels: Mapping[int, int | None]) -> Write:
    def write(t: Tables) -> None:
        t.stock_alert_levels.update({(cabinet_id, nm_id): level for nm_id, level in levels.items()})

    return write


def keep_links(review: Review, stored: Review | None) -> Review:
    """A version link once stored stays when the incoming row lacks it (as the Postgres adapter)."""
    if stored is None:
        return review
    return attrs.evolve(
        review, parent_id=review.parent_id or stored.parent_id, child_id=review.child_id or stored.child_id
    )
