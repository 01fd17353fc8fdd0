"""The order rollups' contract, run against the in-memory fake and Postgres: hand-computed figures for a few
orders across a Moscow midnight (20:59 and 21:01 UTC), FBS and FBW, a B2B order, a cancellation and a
statistics row arriving in later syncs, returns, a day that empties; reads sum deliveries; rebuild is
idempotent; nothing of another cabinet shows."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from application.ports.rollups import DELIVERIES, FBS_ONLY, DayRollup, HourRollup, SkuDayRollup, StatusCounts
from application.ports.sync import OrderStatusUpdate
from application.ports.unit_of_work import UnitOfWork
from domain.money import Money
from domain.order_status import SupplierStatus
from domain.stat_orders import FBW_WAREHOUSE_TYPE, StatOrder
from tests.integration.builders import stored_cabinet
from tests.integration.conftest import Backend
from tests.integration.test_sync_repositories_contract import a_sale, a_stat_order, an_order

D4, D5, D6, D7 = date(2026, 1, 4), date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)
LATE_D4 = datetime(2026, 1, 4, 20, 59, tzinfo=UTC)  # 23:59 in Moscow, January 4
EARLY_D5 = datetime(2026, 1, 4, 21, 1, tzinfo=UTC)  # 00:01 in Moscow, January 5
FBW_AT = datetime(2026, 1, 4, 20, 30, tzinfo=UTC)  # 23:30 in Moscow, January 4
RETURN_AT = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)


def rub(text: str) -> Money:
    return Money(Decimal(text))


async def step(
    backend: Backend,
    cab: uuid.UUID,
    action: Callable[[UnitOfWork], Awaitable[Any]],
    days: Iterable[date] = (),
    srids: Iterable[str] = (),
) -> None:
    """One sync page: write, touch, refresh, commit."""
    async with backend.uow() as uow:
        await action(uow)
        uow.rollups.touch(cab, days=days, srids=srids)
        await uow.rollups.refresh_touched()
        await uow.commit()


async def days(backend: Backend, cab: uuid.UUID, deliveries: Any = DELIVERIES) -> list[DayRollup]:
    async with backend.uow() as uow:
        return list(await uow.rollups.days(cab, D4, D7, deliveries))


async def hours(backend: Backend, cab: uuid.UUID, deliveries: Any = DELIVERIES) -> list[HourRollup]:
    async with backend.uow() as uow:
        return list(await uow.rollups.hours(cab, D4, D7, deliveries))


async def skus(backend: Backend, cab: uuid.UUID, deliveries: Any = DELIVERIES) -> list[SkuDayRollup]:
    async with backend.uow() as uow:
        return list(await uow.rollups.sku_days(cab, D4, D7, deliveries))


def day(d: date, orders: int, revenue: str, **kw: Any) -> DayRollup:
    statuses = kw.pop("statuses", StatusCounts(unknown=orders))
    fields = {"cancelled": 0, "b2b": 0, "returns": 0, **kw}
    return DayRollup(
        d, orders, fields["cancelled"], fields["b2b"], Decimal(revenue), fields["returns"], statuses
    )


def fbw_order(cab: uuid.UUID, **kw: Any) -> StatOrder:
    price = rub("500.00")
    return a_stat_order(
        cab, "fbw-1", date=FBW_AT, warehouse_type=FBW_WAREHOUSE_TYPE, price_with_disc=price, nm_id=7, **kw
    )


async def first_sync(backend: Backend, cab: uuid.UUID) -> None:
    o1 = an_order(cab, 1, created_at=LATE_D4, is_b2b=True, sale_price=rub("999.00"))
    o2 = an_order(cab, 2, created_at=EARLY_D5, sale_price=None, price=rub("800.00"))
    fbw = fbw_order(cab)

    async def write(uow: UnitOfWork) -> None:
        await uow.orders.upsert_many([o1, o2])
        await uow.stat_orders.upsert_many([fbw])

    await step(backend, cab, write, days={D4, D5}, srids={"fbw-1"})


async def test_orders_fall_on_their_moscow_day_and_hour(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await first_sync(backend, cab)
    assert await days(backend, cab, FBS_ONLY) == [day(D4, 1, "999.00", b2b=1), day(D5, 1, "800.00")]
    assert await days(backend, cab, {"fbw"}) == [day(D4, 1, "500.00")]
    assert await days(backend, cab) == [day(D4, 2, "1499.00", b2b=1), day(D5, 1, "800.00")]
    assert await hours(backend, cab, FBS_ONLY) == [HourRollup(D4, 23, 1), HourRollup(D5, 0, 1)]
    assert await hours(backend, cab) == [HourRollup(D4, 23, 2), HourRollup(D5, 0, 1)]
    assert await skus(backend, cab) == [
        SkuDayRollup(D4, 7, 1, 0, Decimal("500.00")),
        SkuDayRollup(D4, 101, 1, 0, Decimal("999.00")),
        SkuDayRollup(D5, 102, 1, 0, Decimal("800.00")),
    ]
    async with backend.uow() as uow:
        assert await uow.rollups.first_day(cab, DELIVERIES) == D4
        assert await uow.rollups.first_day(uuid.uuid4(), DELIVERIES) is None


async def test_later_statistics_cancellations_and_returns_update_the_orders_days(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    other = (await stored_cabinet(backend.uow)).id
    await first_sync(backend, cab)
    await first_sync(backend, other)
    # The statistics row of order 1 is dated a minute later, past Moscow midnight: order 1's day counts it.
    stat1 = a_stat_order(
        cab, "rid1", date=datetime(2026, 1, 4, 21, 0, 30, tzinfo=UTC), price_with_disc=rub("950")
    )

    async def stats(uow: UnitOfWork) -> None:
        await uow.stat_orders.upsert_many([stat1])

    await step(backend, cab, stats, days={D5}, srids={"rid1"})
    assert (await days(backend, cab, FBS_ONLY))[0] == day(D4, 1, "950.00", b2b=1)

    async def cancel(uow: UnitOfWork) -> None:
        update = OrderStatusUpdate(2, SupplierStatus.CANCEL, None, RETURN_AT, is_final=True)
        await uow.orders.apply_status_updates(cab, [update])

    await step(backend, cab, cancel, days={D5})
    cancelled = StatusCounts(cancel=1)
    assert (await days(backend, cab, FBS_ONLY))[1] == day(D5, 1, "0", cancelled=1, statuses=cancelled)
    assert await skus(backend, cab, FBS_ONLY) == [
        SkuDayRollup(D4, 101, 1, 0, Decimal("950.00")),
        SkuDayRollup(D5, 102, 1, 1, Decimal("0")),
    ]

    async def returns(uow: UnitOfWork) -> None:
        await uow.sales.upsert_many(
            [
                a_sale(cab, "R1", "fbw-1", date=RETURN_AT),
                a_sale(cab, "R2", "rid1", date=RETURN_AT),
                a_sale(cab, "S1", "rid1", date=RETURN_AT),
            ]
        )

    await step(backend, cab, returns, days={D6})
    assert (await days(backend, cab, FBS_ONLY))[2:] == [day(D6, 0, "0", returns=1)]
    assert (await days(backend, cab, {"fbw"}))[1:] == [day(D6, 0, "0", returns=1)]
    assert await hours(backend, cab, FBS_ONLY) == [HourRollup(D4, 23, 1), HourRollup(D5, 0, 1)]

    async def cancel_fbw(uow: UnitOfWork) -> None:  # an FBW order shows `cancel` once cancelled
        await uow.stat_orders.upsert_many([fbw_order(cab, is_cancel=True, cancel_date=RETURN_AT)])

    await step(backend, cab, cancel_fbw, days={D4}, srids={"fbw-1"})
    fbw_days = await days(backend, cab, {"fbw"})
    assert fbw_days == [
        day(D4, 1, "0", cancelled=1, statuses=StatusCounts(cancel=1)),
        day(D6, 0, "0", returns=1),
    ]
    # The other cabinet's figures stayed as its own first sync left them.
    assert await days(backend, other, FBS_ONLY) == [day(D4, 1, "999.00", b2b=1), day(D5, 1, "800.00")]


async def test_a_day_left_without_orders_loses_its_rows(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await first_sync(backend, cab)

    async def move(uow: UnitOfWork) -> None:
        await uow.orders.upsert_many([an_order(cab, 2, created_at=datetime(2026, 1, 7, 9, tzinfo=UTC))])

    await step(backend, cab, move, days={D5, D7})
    assert [d.day for d in await days(backend, cab, FBS_ONLY)] == [D4, D7]
    assert [(h.day, h.hour) for h in await hours(backend, cab, FBS_ONLY)] == [(D4, 23), (D7, 12)]
    assert [s.day for s in await skus(backend, cab, FBS_ONLY)] == [D4, D7]


async def test_untouched_days_stay_as_they_were_and_rebuild_recomputes_them_idempotently(
    backend: Backend,
) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await first_sync(backend, cab)

    async def cancel_silently(uow: UnitOfWork) -> None:  # a write whose day is not touched
        update = OrderStatusUpdate(1, SupplierStatus.CANCEL, None, RETURN_AT, is_final=True)
        await uow.orders.apply_status_updates(cab, [update])

    await step(backend, cab, cancel_silently)
    before = await days(backend, cab)
    assert before[0].cancelled == 0
    for _ in range(2):
        async with backend.uow() as uow:
            assert await uow.rollups.rebuild(cab) == 2
            await uow.commit()
        after = await days(backend, cab)
        assert after[0] == day(
            D4, 2, "500.00", b2b=1, cancelled=1, statuses=StatusCounts(cancel=1, unknown=1)
        )
        assert after[1] == before[1]


@pytest.mark.parametrize("deliveries", [FBS_ONLY, frozenset({"fbw"}), DELIVERIES])
async def test_refresh_without_changes_keeps_every_figure(backend: Backend, deliveries: Any) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await first_sync(backend, cab)
    before = (
        await days(backend, cab, deliveries),
        await hours(backend, cab, deliveries),
        await skus(backend, cab, deliveries),
    )
    async with backend.uow() as uow:
        await uow.rollups.refresh_days(cab, [D4, D5, D6])
        await uow.commit()
    assert (
        await days(backend, cab, deliveries),
        await hours(backend, cab, deliveries),
        await skus(backend, cab, deliveries),
    ) == before


async def test_two_units_refreshing_one_day_at_once_both_count(backend: Backend) -> None:
    """The first rows of a day, written by two units at once (the sync's lanes run concurrently): an FBS
    order and a return. Without the per-day lock the second counts without the first's uncommitted order
    and, written last, its row loses it."""
    cab = (await stored_cabinet(backend.uow)).id

    async def second() -> None:
        async def a_return(uow: UnitOfWork) -> None:
            await uow.sales.upsert_many([a_sale(cab, "R1", "unknown-srid", date=LATE_D4)])

        await step(backend, cab, a_return, days={D4})

    async with backend.uow() as first:
        await first.orders.upsert_many([an_order(cab, 1, created_at=LATE_D4, sale_price=rub("999.00"))])
        first.rollups.touch(cab, days={D4})
        await first.rollups.refresh_touched()
        other = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        assert other.done() is (backend.name == "memory")  # Postgres: waiting for this unit's day lock
        await first.commit()
    await other
    assert await days(backend, cab) == [day(D4, 1, "999.00", returns=1)]


async def version(backend: Backend, cab: uuid.UUID) -> int:
    async with backend.uow() as uow:
        return await uow.rollups.version(cab)


async def test_every_committed_refresh_of_a_day_bumps_the_cabinets_data_version(backend: Backend) -> None:
    """Decision 0017: the dashboard's cache keys include the version, so each write that recomputes a day
    (a sync page, a poll, a rebuild) or an explicit bump (a COGS change) outlives the cached answers; a
    page that touched no day, a rolled-back unit and another cabinet's writes do not."""
    cab = (await stored_cabinet(backend.uow)).id
    other = (await stored_cabinet(backend.uow)).id
    assert (await version(backend, cab), await version(backend, uuid.uuid4())) == (0, 0)
    await first_sync(backend, cab)
    assert (await version(backend, cab), await version(backend, other)) == (1, 0)
    await step(backend, cab, lambda uow: asyncio.sleep(0))  # a page that touched no day
    assert await version(backend, cab) == 1
    async with backend.uow() as uow:
        await uow.rollups.bump_version(cab)
        await uow.rollups.refresh_days(cab, [D6])
    assert await version(backend, cab) == 1  # never committed
    async with backend.uow() as uow:
        await uow.rollups.bump_version(cab)
        await uow.rollups.bump_version(uuid.uuid4())  # no such cabinet: nothing
        await uow.commit()
    assert await version(backend, cab) == 2
    async with backend.uow() as uow:
        await uow.rollups.rebuild(cab)
        await uow.commit()
    assert await version(backend, cab) == 3
