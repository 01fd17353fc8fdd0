"""`sla` over the in-memory read model: the period it reads (Moscow days, the last 7 by default, at most 90),
the deadline asked for, and the share handed over within it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.clock import ManualClock
from adapters.outbound.memory.dashboard_sla import InMemoryDashboardSla
from application.dashboard.sla import OrderSla
from domain.errors import InvalidValue
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import StatusChange
from tests.integration.builders import stored_cabinet
from tests.unit.use_cases import builders as b

TODAY = date(2026, 1, 30)
NOON = datetime(2026, 1, 30, 9, tzinfo=UTC)  # 12:00 MSK


async def world() -> tuple[OrderSla, UUID]:
    """Three orders created 3 days before NOON: handed over after 1 h, after 40 h, and never (overdue);
    one created 10 days before (outside the default week), handed over after 1 h."""
    uow = InMemoryUnitOfWorkFactory()
    cab = (await stored_cabinet(uow)).id
    created = NOON - timedelta(days=3)
    old = NOON - timedelta(days=10)
    orders = [
        b.order(cab, 1, created),
        b.order(cab, 2, created),
        b.order(cab, 3, created),
        b.order(cab, 4, old),
    ]
    handed = [(1, created, 1), (2, created, 40), (4, old, 1)]
    async with uow() as unit:
        await unit.orders.upsert_many(orders)
        await unit.orders.add_history(
            cab,
            [
                StatusChange(i, S.NEW, W.WAITING, S.COMPLETE, W.WAITING, t + timedelta(hours=h))
                for i, t, h in handed
            ],
        )
        await unit.commit()
    return OrderSla(InMemoryDashboardSla(uow.store), ManualClock(NOON)), cab


async def test_share_within_the_deadline_over_the_default_week() -> None:
    sla, cab = await world()
    r = await sla(cab)
    assert (r.from_day, r.to_day, r.deadline_hours) == (date(2026, 1, 24), TODAY, 36)
    assert (r.figures.orders, r.figures.handed_over, r.figures.due, r.figures.within_deadline) == (3, 2, 3, 1)
    assert r.within_deadline_percent == Decimal("33.3")
    r = await sla(cab, deadline_hours=48)
    assert r.within_deadline_percent == Decimal("66.7")  # 1 h and 40 h in time, the open one overdue
    r = await sla(cab, date(2026, 1, 20), TODAY)
    assert (r.figures.orders, r.within_deadline_percent) == (4, Decimal("50.0"))


async def test_nothing_due_is_null_not_zero() -> None:
    sla, cab = await world()
    r = await sla(cab, TODAY, TODAY)
    assert (r.figures.orders, r.within_deadline_percent) == (0, None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"from_day": date(2025, 10, 1)}, "to"), ({"from_day": TODAY, "to_day": date(2026, 1, 1)}, "to"),
     ({"deadline_hours": 0}, "deadline_hours"), ({"deadline_hours": 241}, "deadline_hours")],
)  # fmt: skip
async def test_refuses_a_long_or_reversed_period_and_a_bad_deadline(
    kwargs: dict[str, object], field: str
) -> None:
    sla, cab = await world()
    with pytest.raises(InvalidValue) as refused:
        await sla(cab, **kwargs)  # type: ignore[arg-type]
    assert refused.value.field == field
