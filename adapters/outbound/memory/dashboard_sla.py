"""FBS handling times (`DashboardSla`) over the in-memory store's committed tables, held honest by
tests/integration/test_dashboard_sla_contract.py (the same cases as Postgres)."""

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from adapters.outbound.memory.store import InMemoryStore
from application.ports.dashboard import Percentiles, SlaFigures
from application.ports.reports import Period
from domain.order_status import SupplierStatus as S
from domain.order_status import is_cancelled
from domain.orders import Order, StatusChange

CONFIRMED = frozenset({S.CONFIRM, S.COMPLETE})


def percentile_cont(values: Sequence[float], fraction: float) -> float:
    """As Postgres's `percentile_cont`: linear interpolation of the sorted values at fraction × (n − 1)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _percentiles(values: Sequence[float]) -> Percentiles | None:
    if not values:
        return None
    return Percentiles(*(percentile_cont(values, f) for f in (0.5, 0.9, 0.95)))


def _seconds(order: Order, at: datetime | None) -> float | None:
    return None if at is None else max(0.0, (at - order.created_at).total_seconds())


class InMemoryDashboardSla:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _first(self, changes: Iterable[StatusChange], statuses: frozenset[S]) -> datetime | None:
        return min((c.changed_at for c in changes if c.supplier in statuses), default=None)

    async def sla(self, cabinet_id: UUID, period: Period, deadline: timedelta, now: datetime) -> SlaFigures:
        t = self._store.tables
        stored: Iterable[Order] = t.orders.values()
        mine = [o for o in stored if o.cabinet_id == cabinet_id and period.start <= o.created_at < period.end]
        history: dict[int, list[StatusChange]] = {}
        for key, change in t.order_history.items():
            if key[0] == cabinet_id:
                history.setdefault(key[1], []).append(change)
        to_confirm: list[float] = []
        to_hand: list[float] = []
        cancelled = overdue = 0
        for o in mine:
            changes = history.get(o.order_id, [])
            confirm_s = _seconds(o, self._first(changes, CONFIRMED))
            hand_s = _seconds(o, self._first(changes, frozenset({S.COMPLETE})))
            to_confirm += [] if confirm_s is None else [confirm_s]
            to_hand += [] if hand_s is None else [hand_s]
            if hand_s is None:
                stat = t.stat_orders.get((cabinet_id, o.rid))
                if is_cancelled(o.status) or (stat is not None and stat.is_cancel):
                    cancelled += 1
                elif o.created_at < now - deadline:
                    overdue += 1
        deadline_s = deadline.total_seconds()
        return SlaFigures(
            orders=len(mine),
            confirmed=len(to_confirm),
            handed_over=len(to_hand),
            cancelled=cancelled,
            open=len(mine) - len(to_hand) - cancelled,
            to_confirm=_percentiles(to_confirm),
            to_hand_over=_percentiles(to_hand),
            due=len(to_hand) + overdue,
            within_deadline=sum(1 for s in to_hand if s <= deadline_s),
        )
