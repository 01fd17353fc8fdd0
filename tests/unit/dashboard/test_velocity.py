"""`velocity` on hand-computed rollups (in-memory store): orders a day per article, the trend of the second
half against the first, and the days the current stock lasts at the last 30 days' rate (decision 0007)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.clock import ManualClock
from application.dashboard.velocity import OrderVelocity, VelocityQuery, trend_of
from application.ports.sync import OrderStatusUpdate
from domain.errors import InvalidValue
from domain.money import Money
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.integration.builders import stored_cabinet
from tests.unit.use_cases import builders as b

TODAY = date(2026, 1, 30)
FROM = date(2026, 1, 21)  # a 10-day period: halves 21–25 and 26–30


def at(day: date, hour: int = 12) -> datetime:
    """A Moscow wall-clock hour of a Moscow day, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=3)


def jan(*days: int) -> list[date]:
    return [date(2026, 1, d) for d in days]


async def world() -> tuple[InMemoryUnitOfWorkFactory, UUID, ManualClock]:
    """FBS orders at 100 ₽ on January days: nm 11 on 21, 22 | 26, 27, 28 (cancelled), 30; nm 22 on 21, 22, 23,
    24 | 26, 27, 29; nm 33 on 20 (before the period), 23, 25 | 27, 29; an FBW order of nm 11 on the 10th (in
    the stock window, not the period); stock: nm 11 15 units, nm 22 sold out, nm 44 5 units and no orders;
    nm 33 no stock row. Another cabinet orders nm 11 on the 26th."""
    uow = InMemoryUnitOfWorkFactory()
    cab, other = (await stored_cabinet(uow)).id, (await stored_cabinet(uow)).id
    plan = {11: jan(21, 22, 26, 27, 28, 30), 22: jan(21, 22, 23, 24, 26, 27, 29), 33: jan(20, 23, 25, 27, 29)}
    orders, n = [], 0
    for nm, days in plan.items():
        for day in days:
            n += 1
            orders.append(b.order(cab, n, at(day), nm_id=nm, sale_price=Money(Decimal(100))))
    cancelled = next(o.order_id for o in orders if o.nm_id == 11 and o.created_at == at(date(2026, 1, 28)))
    async with uow() as unit:
        await unit.orders.upsert_many([*orders, b.order(other, 999, at(date(2026, 1, 26)), nm_id=11)])
        await unit.orders.apply_status_updates(
            cab, [OrderStatusUpdate(cancelled, S.CANCEL, W.CANCELED, at(TODAY), True)]
        )
        fbw = b.stat_order(cab, "fbw-1", at(date(2026, 1, 10)), date=at(date(2026, 1, 10)), nm_id=11,
                           warehouse_type=FBW_WAREHOUSE_TYPE)  # fmt: skip
        await unit.stat_orders.upsert_many([fbw])
        stock = [b.stock(cab, 11, 15), b.stock(cab, 22, 0), b.stock(cab, 44, 5), b.stock(other, 33, 9)]
        await unit.stocks.apply_snapshot(cab, stock, at(TODAY))
        await unit.rollups.rebuild(cab)
        await unit.rollups.rebuild(other)
        await unit.commit()
    return uow, cab, ManualClock(at(TODAY, 15))


async def test_per_article_velocity_trend_and_days_of_stock() -> None:
    uow, cab, clock = await world()
    page = await OrderVelocity(uow, clock)(cab, VelocityQuery(FROM, TODAY))
    assert (page.days, page.total) == (10, 3)
    by_nm = {s.nm_id: s for s in page.items}
    a, b_, c = by_nm[11], by_nm[22], by_nm[33]
    # nm 11: 2 orders in the first half, 4 in the second (+100 %); 6 orders ÷ 10 days; 5 not cancelled.
    assert (a.orders, a.cancelled, a.revenue, a.avg_daily_orders) == (6, 1, Decimal(500), Decimal("0.60"))
    assert (a.trend_percent, a.trend) == (Decimal("100.0"), "up")
    # Stock 15 ÷ (5 kept FBS + 1 FBW of the last 30 days ÷ 30) = 15 ÷ 0.2 = 75 days, whatever `delivery`.
    assert (a.current_stock, a.days_of_stock_left) == (15, Decimal("75.0"))
    # nm 22: 4 then 3 orders: −25 %; sold out is 0 days whatever the orders.
    assert (b_.orders, b_.avg_daily_orders, b_.trend_percent, b_.trend) == (
        7,
        Decimal("0.70"),
        Decimal("-25.0"),
        "down",
    )
    assert (b_.current_stock, b_.days_of_stock_left) == (0, Decimal(0))
    # nm 33: the 20th is before the period; 2 and 2: flat; no stock row: unknown.
    assert (c.orders, c.trend_percent, c.trend, c.current_stock, c.days_of_stock_left) == (
        4, Decimal("0.0"), "flat", None, None,
    )  # fmt: skip


async def test_sorted_and_paged_with_nulls_last() -> None:
    uow, cab, clock = await world()
    velocity = OrderVelocity(uow, clock)

    async def nm_ids(**q: object) -> list[int]:
        page = await velocity(cab, VelocityQuery(FROM, TODAY, **q))  # type: ignore[arg-type]
        return [s.nm_id for s in page.items]

    assert await nm_ids() == [22, 11, 33]
    assert await nm_ids(sort_by="orders", sort_order="asc") == [33, 11, 22]
    assert await nm_ids(sort_by="days_of_stock", sort_order="asc") == [22, 11, 33]
    assert await nm_ids(sort_by="days_of_stock") == [11, 22, 33]
    assert await nm_ids(limit=1, offset=1) == [11]


async def test_defaults_to_the_last_30_days_and_refuses_bad_input() -> None:
    uow, cab, clock = await world()
    velocity = OrderVelocity(uow, clock)
    page = await velocity(cab, VelocityQuery())
    assert (page.from_day, page.to_day, page.days) == (date(2026, 1, 1), TODAY, 30)
    assert sum(s.orders for s in page.items) == 18  # FBS only: every order of the cabinet in January
    everything = await velocity(cab, VelocityQuery(deliveries=frozenset({"fbs", "fbw"})))
    assert {s.nm_id: s.orders for s in everything.items}[11] == 7
    for query, field in (
        (VelocityQuery(date(2025, 1, 1), TODAY), "to"),
        (VelocityQuery(TODAY, FROM), "to"),
        (VelocityQuery(limit=501), "limit"),
        (VelocityQuery(offset=-1), "offset"),
    ):
        with pytest.raises(InvalidValue) as refused:
            await velocity(cab, query)
        assert refused.value.field == field


@pytest.mark.parametrize(
    ("first", "second", "percent", "word"),
    [(10, 11, "10.0", "flat"), (10, 12, "20.0", "up"), (10, 9, "-10.0", "flat"), (10, 8, "-20.0", "down"),
     (0, 3, None, "up"), (0, 0, None, "flat")],
)  # fmt: skip
def test_trend_is_flat_within_ten_percent(first: int, second: int, percent: str | None, word: str) -> None:
    assert trend_of(first, second) == (None if percent is None else Decimal(percent), word)
