"""The bot's order and sales statistics (seed 000 §3–§4) on the in-memory world: which rows count, over
which Moscow days, and whose cabinets."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.use_cases.access import NotMember, UserRef
from application.use_cases.bot_order_statistics import OrderStatistics
from application.use_cases.bot_recent_orders import RecentOrders
from application.use_cases.bot_sales import RecentSales, SalesStatistics
from domain.errors import InvalidValue, NotFound
from domain.money import Money
from domain.orders import Order
from domain.sales import Sale
from domain.stat_orders import FBW_WAREHOUSE_TYPE, StatOrder
from tests.unit.use_cases.builders import order, sale, stat_order
from tests.unit.use_cases.support import T0, World

ME = UserRef(telegram_id=111)


async def store(
    w: World, stat_orders: Iterable[StatOrder] = (), sales: Iterable[Sale] = (), orders: Iterable[Order] = ()
) -> None:
    async with w.uow() as uow:
        await uow.stat_orders.upsert_many(list(stat_orders))
        await uow.sales.upsert_many(list(sales))
        await uow.orders.upsert_many(list(orders))
        await uow.commit()


def rub(amount: str) -> Money:
    return Money(Decimal(amount))


def statistics(w: World) -> OrderStatistics:
    return OrderStatistics(w.uow, w.reports, w.clock)


async def test_statistics_count_every_order_cancelled_and_fbw_included_and_buyout_rate_is_of_sales() -> None:
    w = World()
    cab = await w.cabinet()
    day = T0 - timedelta(days=2)
    await store(
        w,
        stat_orders=[
            stat_order(cab, "a", day),
            stat_order(cab, "b", day, is_cancel=True),
            stat_order(cab, "c", day, warehouse_type=FBW_WAREHOUSE_TYPE),
        ],
        sales=[
            sale(cab, "S1", day, price_with_disc=rub("100.10")),
            sale(cab, "S2", day, price_with_disc=rub("200.20")),
            sale(cab, "R1", day, price_with_disc=rub("-50.05")),
            sale(cab, "B1", day),  # neither a buyout nor a return
        ],
    )

    report = await statistics(w)(ME)

    assert (report.orders.total, report.orders.canceled, report.orders.fbw) == (3, 1, 1)
    s = report.sales
    assert (s.buyouts, s.returns) == (2, 1)
    assert (s.buyouts_amount, s.returns_amount) == (Decimal("300.30"), Decimal("50.05"))
    assert report.cabinets == 1


async def test_default_period_is_today_and_the_30_moscow_days_before_so_it_holds_all_the_sync_keeps() -> None:
    w = World()  # T0 = 2026-03-01 12:00 Moscow
    cab = await w.cabinet()
    kept = T0 - timedelta(days=30)  # the oldest the initial sync takes
    before = datetime(2026, 1, 29, 20, 59, tzinfo=UTC)  # 23:59 Moscow on 2026-01-29, the day before
    await store(w, stat_orders=[stat_order(cab, "kept", kept), stat_order(cab, "old", before)])

    report = await statistics(w)(ME)

    assert (report.days.first, report.days.last) == (date(2026, 1, 30), date(2026, 3, 1))
    assert report.orders.total == 1


async def test_an_explicit_period_is_inclusive_moscow_calendar_days() -> None:
    w = World()
    cab = await w.cabinet()
    last_minute = datetime(2026, 2, 10, 20, 59, tzinfo=UTC)  # 23:59 Moscow on the 10th
    next_day = datetime(2026, 2, 10, 21, 0, tzinfo=UTC)  # 00:00 Moscow on the 11th
    first_minute = datetime(2026, 2, 8, 21, 0, tzinfo=UTC)  # 00:00 Moscow on the 9th
    await store(
        w,
        stat_orders=[
            stat_order(cab, s, at)
            for s, at in (("in", last_minute), ("out", next_day), ("first", first_minute))
        ],
    )

    report = await statistics(w)(ME, date_from=date(2026, 2, 9), date_to=date(2026, 2, 10))

    assert report.orders.total == 2


async def test_a_period_ending_before_it_starts_is_refused_naming_date_to() -> None:
    w = World()
    await w.cabinet()
    with pytest.raises(InvalidValue) as caught:
        await statistics(w)(ME, date_from=date(2026, 2, 10), date_to=date(2026, 2, 9))
    assert caught.value.field == "date_to"


async def test_only_the_users_own_cabinets_count_and_another_sellers_cabinet_is_not_member() -> None:
    w = World()
    mine, theirs = await w.cabinet(111, "seller-1"), await w.cabinet(222, "seller-2")
    day = T0 - timedelta(days=1)
    await store(
        w,
        stat_orders=[
            stat_order(mine, "m", day),
            stat_order(theirs, "t1", day),
            stat_order(theirs, "t2", day),
        ],
    )

    assert (await statistics(w)(ME)).orders.total == 1
    assert (await statistics(w)(UserRef(user_id=2), cabinet_id=theirs)).orders.total == 2
    with pytest.raises(NotMember):
        await statistics(w)(ME, cabinet_id=theirs)
    with pytest.raises(NotFound):
        await statistics(w)(ME, cabinet_id=uuid4())
    with pytest.raises(NotFound):
        await statistics(w)(UserRef(telegram_id=999))


async def orders_world() -> tuple[World, UUID]:
    w = World()
    cab = await w.cabinet()
    await store(
        w,
        stat_orders=[
            stat_order(cab, "rid1", T0 - timedelta(hours=3), is_cancel=True, subject="Платья"),
            stat_order(
                cab, "fbw", T0 - timedelta(hours=2), warehouse_type=FBW_WAREHOUSE_TYPE, subject="Юбки"
            ),
            stat_order(cab, "rid2", T0 - timedelta(hours=1), tech_size="M", warehouse_name="Коледино"),
        ],
        orders=[order(cab, 1, T0 - timedelta(hours=3), product_name="Платье <мини>"), order(cab, 2, T0)],
    )
    return w, cab


async def test_recent_orders_are_newest_first_with_the_fbs_id_when_there_is_one_and_filter_by_status() -> (
    None
):
    w, _ = await orders_world()
    recent = RecentOrders(w.uow, w.reports, w.clock)

    page = (await recent(ME, limit=2)).page
    assert [(o.srid, o.fbs_order_id, o.status) for o in page.items] == [
        ("rid2", 2, "active"),
        ("fbw", None, "active"),
    ]
    assert page.total == 3

    cancelled = (await recent(ME, status="canceled")).page
    assert [(o.srid, o.fbs_order_id, o.product) for o in cancelled.items] == [("rid1", 1, "Платье <мини>")]
    assert [o.srid for o in (await recent(ME, status="active", offset=1)).page.items] == ["fbw"]


async def test_recent_sales_list_buyouts_and_returns_newest_first_and_each_kind_alone() -> None:
    w = World()
    cab = await w.cabinet()
    await store(
        w,
        sales=[
            sale(cab, "S1", T0 - timedelta(hours=3)),
            sale(cab, "R1", T0 - timedelta(hours=2), price_with_disc=rub("-500")),
            sale(cab, "S2", T0 - timedelta(hours=1)),
            sale(cab, "B1", T0),
        ],
    )
    recent = RecentSales(w.uow, w.reports, w.clock)

    every = (await recent(ME)).page
    assert [(s.sale_id, s.type) for s in every.items] == [
        ("S2", "buyout"),
        ("R1", "return"),
        ("S1", "buyout"),
    ]
    assert [s.sale_id for s in (await recent(ME, type="return")).page.items] == ["R1"]
    assert (await recent(ME, type="buyout", limit=1)).page.total == 2
    totals = (await SalesStatistics(w.uow, w.reports, w.clock)(ME)).sales
    assert (totals.buyouts, totals.returns, totals.returns_amount) == (2, 1, Decimal("500"))
