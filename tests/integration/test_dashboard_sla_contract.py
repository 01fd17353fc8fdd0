"""One contract for the FBS handling-times read model (`DashboardSla`), on the in-memory store and on
Postgres: the first `confirm`/`complete` from the status history, percentiles interpolated as Postgres's
`percentile_cont` (hand-computed here), cancellations from the statuses or the statistics row, the
deadline, one cabinet and one period only."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.dashboard_sla import InMemoryDashboardSla
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.repositories.dashboard_sla import PostgresDashboardSla
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.dashboard import DashboardSla, Percentiles
from application.ports.reports import Period
from application.ports.sync import OrderStatusUpdate
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import StatusChange
from tests.integration.builders import stored_cabinet
from tests.unit.use_cases import builders as b

T = datetime(2026, 1, 9, 21, 30, tzinfo=UTC)  # 00:30 MSK on 2026-01-10
DAY = Period(datetime(2026, 1, 9, 21, 0, tzinfo=UTC), datetime(2026, 1, 10, 21, 0, tzinfo=UTC))
NOW = T + timedelta(hours=41)
DEADLINE = timedelta(hours=36)


@attrs.frozen
class Backend:
    uow: UnitOfWorkFactory
    sla: DashboardSla


@pytest.fixture(params=["memory", "postgres"])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        factory = InMemoryUnitOfWorkFactory()
        yield Backend(factory, InMemoryDashboardSla(factory.store))
        return
    engine = create_engine(request.getfixturevalue("database_url"), pool_size=2)
    try:
        yield Backend(PostgresUnitOfWorkFactory(engine), PostgresDashboardSla(engine))
    finally:
        await engine.dispose()


def moves(order_id: int, *steps: tuple[S, int]) -> list[StatusChange]:
    """Status changes seen `seconds` after T, from new/waiting on."""
    changes, previous = [], S.NEW
    for status, seconds in steps:
        changes.append(
            StatusChange(order_id, previous, W.WAITING, status, W.WAITING, T + timedelta(seconds=seconds))
        )
        previous = status
    return changes


def seconds(p: Percentiles | None) -> tuple[float, ...]:
    assert p is not None
    return attrs.astuple(p)


async def seeded(db: Backend) -> tuple[uuid.UUID, uuid.UUID]:
    """Cabinet A, orders created at T unless said: 1 confirmed +60 s, handed over +1 h; 2 +120 s, +2 h;
    3 seen complete at once +300 s; 4 +600 s, handed over +40 h (late); 5 confirmed +1200 s then cancelled;
    6 open (overdue at NOW); 7 open, created T + 10 h (not due at NOW); 8 cancelled by its statistics row;
    10 created the next day (outside the period). Cabinet B: order 9 handed over +10 s."""
    a, other = (await stored_cabinet(db.uow)).id, (await stored_cabinet(db.uow)).id
    later = {7: T + timedelta(hours=10), 10: T + timedelta(days=1)}
    orders = [b.order(a, i, later.get(i, T)) for i in range(1, 11) if i != 9] + [b.order(other, 9, T)]
    history = [
        *moves(1, (S.CONFIRM, 60), (S.COMPLETE, 3600)),
        *moves(2, (S.CONFIRM, 120), (S.COMPLETE, 7200)),
        *moves(3, (S.COMPLETE, 300)),
        *moves(4, (S.CONFIRM, 600), (S.COMPLETE, 40 * 3600)),
        *moves(5, (S.CONFIRM, 1200), (S.CANCEL, 1800)),
        *moves(10, (S.COMPLETE, 5)),
    ]
    now = {
        1: S.COMPLETE,
        2: S.COMPLETE,
        3: S.COMPLETE,
        4: S.COMPLETE,
        5: S.CANCEL,
        6: S.NEW,
        7: S.NEW,
        8: S.NEW,
    }
    async with db.uow() as uow:
        await uow.orders.upsert_many(orders)
        await uow.orders.apply_status_updates(
            a, [OrderStatusUpdate(i, s, W.WAITING, T, s is S.CANCEL) for i, s in now.items()]
        )
        await uow.orders.add_history(a, history)
        await uow.orders.add_history(other, moves(9, (S.COMPLETE, 10)))
        await uow.stat_orders.upsert_many([b.stat_order(a, "rid8", T, date=T, is_cancel=True)])
        await uow.commit()
    return a, other


async def test_counts_percentiles_and_deadline_of_one_cabinet_and_period(db: Backend) -> None:
    a, _ = await seeded(db)
    f = await db.sla.sla(a, DAY, DEADLINE, NOW)
    assert (f.orders, f.confirmed, f.handed_over, f.cancelled, f.open) == (8, 5, 4, 2, 2)
    # to confirm: 60, 120, 300, 600, 1200 → p50 at index 2; p90 at 3.6: 600 + 0.6 × 600; p95 at 3.8.
    assert seconds(f.to_confirm) == pytest.approx((300, 960, 1080))
    # to hand over: 300, 3600, 7200, 144000 → p50 at 1.5; p90 at 2.7: 7200 + 0.7 × 136800; p95 at 2.85.
    assert seconds(f.to_hand_over) == pytest.approx((5400, 102960, 123480))
    assert (f.due, f.within_deadline) == (5, 3)  # four handed over and order 6; order 4 was late


async def test_an_open_order_is_due_only_once_its_deadline_has_passed(db: Backend) -> None:
    a, _ = await seeded(db)
    f = await db.sla.sla(a, DAY, DEADLINE, T + timedelta(hours=35))
    assert (f.due, f.within_deadline) == (4, 3)
    f = await db.sla.sla(a, DAY, timedelta(hours=48), NOW)
    assert (f.due, f.within_deadline) == (4, 4)


async def test_another_cabinet_and_an_empty_period_give_their_own_figures(db: Backend) -> None:
    _, other = await seeded(db)
    f = await db.sla.sla(other, DAY, DEADLINE, NOW)
    assert (f.orders, f.handed_over, f.due, f.within_deadline) == (1, 1, 1, 1)
    assert seconds(f.to_hand_over) == pytest.approx((10, 10, 10))
    empty = Period(DAY.start - timedelta(days=2), DAY.start - timedelta(days=1))
    f = await db.sla.sla(other, empty, DEADLINE, NOW)
    assert (f.orders, f.confirmed, f.due, f.to_confirm, f.to_hand_over) == (0, 0, 0, None, None)
