"""The dashboard's order analytics on hand-computed rollups (in-memory store): volume, trends, compare and
seasonal, consistent with themselves (daily counts add up to the total, percentages to 100)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.clock import ManualClock
from application.dashboard.analytics import (
    OrderComparison,
    OrderTrends,
    OrderVolume,
    SeasonalPatterns,
    change_percent,
    shares_to_100,
)
from application.ports.rollups import Delivery
from application.ports.sync import OrderStatusUpdate
from domain.errors import InvalidValue
from domain.money import Money
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.integration.builders import stored_cabinet
from tests.unit.use_cases import builders as b

FBS: frozenset[Delivery] = frozenset({"fbs"})
ALL: frozenset[Delivery] = frozenset({"fbs", "fbw"})
MSK = timedelta(hours=3)


def at(day: date, hour: int) -> datetime:
    """A Moscow wall-clock hour of a Moscow day, as UTC."""
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC) - MSK


D1, D2, D3 = date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 12)  # Mon, Tue, the next Mon


async def world() -> tuple[InMemoryUnitOfWorkFactory, UUID]:
    """FBS orders: D1 10:xx 100 ₽, D1 14:xx 200 ₽ (B2B), D1 23:xx 300 ₽ cancelled, D2 14:xx 400 ₽ (complete),
    D3 10:xx 500 ₽; one FBW order on D2 14:xx 600 ₽; a return on D2."""
    uow = InMemoryUnitOfWorkFactory()
    cab = (await stored_cabinet(uow)).id
    rows = [(1, at(D1, 10), 100, False), (2, at(D1, 14), 200, True), (3, at(D1, 23), 300, False),
            (4, at(D2, 14), 400, False), (5, at(D3, 10), 500, False)]  # fmt: skip
    statuses = {1: (S.NEW, W.WAITING), 2: (S.CONFIRM, W.SORTED), 3: (S.CANCEL, W.CANCELED),
                4: (S.COMPLETE, W.SOLD), 5: (S.NEW, W.WAITING)}  # fmt: skip
    async with uow() as unit:
        orders = [
            b.order(cab, i, created, price=Money(Decimal(p)), sale_price=Money(Decimal(p)), is_b2b=b2b)
            for i, created, p, b2b in rows
        ]
        await unit.orders.upsert_many(orders)
        await unit.orders.apply_status_updates(
            cab, [OrderStatusUpdate(i, s, w, at(D3, 12), s is S.CANCEL) for i, (s, w) in statuses.items()]
        )
        fbw = b.stat_order(cab, "fbw-1", at(D2, 14), date=at(D2, 14), warehouse_type=FBW_WAREHOUSE_TYPE,
                           price_with_disc=Money(Decimal(600)))  # fmt: skip
        await unit.stat_orders.upsert_many([fbw])
        await unit.sales.upsert_many([b.sale(cab, "R4", at(D2, 18), srid="rid4")])
        await unit.rollups.rebuild(cab)
        await unit.commit()
    return uow, cab


async def test_volume_adds_up_and_names_its_peaks() -> None:
    uow, cab = await world()
    v = await OrderVolume(uow)(cab, D1, D2, FBS)
    assert v.totals.orders == 4 and v.totals.cancelled == 1 and v.totals.b2b == 1
    assert [c for _, c in v.daily] == [3, 1] and sum(c for _, c in v.daily) == v.totals.orders
    assert sum(c for _, c in v.hourly) == v.totals.orders and len(v.hourly) == 24
    assert dict(v.hourly)[14] == 2 and v.peak_hours == [14, 10, 23]
    assert sum(p for _, _, p in v.statuses) == Decimal(100)
    assert {s: c for s, c, _ in v.statuses} == {"new": 1, "confirm": 1, "cancel": 1, "complete": 1}
    assert v.totals.revenue == Decimal(700)  # 100 + 200 + 400: the cancelled 300 is not revenue
    everything = await OrderVolume(uow)(cab, D1, D2, ALL)
    assert everything.totals.orders == 5 and everything.totals.revenue == Decimal(1300)


async def test_trends_by_day_week_and_month_with_a_summary() -> None:
    uow, cab = await world()
    days = await OrderTrends(uow)(cab, D1, D3, "day", FBS)
    assert len(days.points) == 8 and [p.totals.orders for p in days.points] == [3, 1, 0, 0, 0, 0, 0, 1]
    assert days.points[1].totals.returns == 1
    assert sum(p.totals.orders for p in days.points) == days.totals.orders == 5
    weeks = await OrderTrends(uow)(cab, D1 + timedelta(days=1), D3, "week", FBS)
    assert [(p.start, p.totals.orders) for p in weeks.points] == [
        (D2, 1),
        (D3, 1),
    ]  # the first clipped to from
    months = await OrderTrends(uow)(cab, date(2025, 12, 20), D3, "month", FBS)
    assert [(p.start, p.totals.orders) for p in months.points] == [
        (date(2025, 12, 20), 0),
        (date(2026, 1, 1), 5),
    ]
    assert days.totals.avg_order_value == Decimal("300.00")  # (100 + 200 + 400 + 500) / 4 kept
    with pytest.raises(InvalidValue) as too_long:
        await OrderTrends(uow)(cab, D1, D1 + timedelta(days=365), "day", FBS)
    assert too_long.value.field == "to"


async def test_compare_changes_are_period1_minus_period2() -> None:
    uow, cab = await world()
    first, second = await OrderComparison(uow)(cab, (D1, D1), (D2, D2), FBS)
    assert (first.totals.orders, second.totals.orders) == (3, 1)
    assert first.totals.orders - second.totals.orders == 2
    assert change_percent(first.totals.orders, second.totals.orders) == Decimal("200.0")
    assert change_percent(1, 0) is None
    with pytest.raises(InvalidValue) as reversed_period:
        await OrderComparison(uow)(cab, (D2, D1), (D2, D2), FBS)
    assert reversed_period.value.field == "period1_to"


async def test_seasonal_averages_per_month_and_weekday() -> None:
    uow, cab = await world()
    s = await SeasonalPatterns(uow, ManualClock(at(date(2026, 1, 31), 12)))(cab, 2, FBS)
    assert s.from_day == date(2025, 12, 1)
    assert [(m.month, m.avg_orders) for m in s.monthly] == [(1, Decimal("5.0")), (12, Decimal("0.0"))]
    monday = s.weekday[0]
    assert monday.avg_orders == Decimal("0.4") and monday.peak_hour == 10  # 4 orders over the 9 Mondays
    with pytest.raises(InvalidValue):
        await SeasonalPatterns(uow, ManualClock(at(D3, 12)))(cab, 0, FBS)


def test_shares_always_add_up_to_a_hundred() -> None:
    assert sum(shares_to_100([1, 1, 1])) == Decimal(100)
    assert shares_to_100([2, 1]) == [Decimal("66.7"), Decimal("33.3")]
    assert shares_to_100([0, 0]) == [Decimal("0.0"), Decimal("0.0")]
