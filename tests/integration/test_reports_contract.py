"""One contract for the order and sales read models (application/ports/reports.py), run against the
in-memory fake and the Postgres SQL: counts, amounts, periods, paging and scoping agree."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.reports import InMemoryReports
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.repositories.reports import PostgresReports
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.reports import Period, Reports
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.money import Money
from domain.orders import Order
from domain.sales import Sale
from domain.stat_orders import FBW_WAREHOUSE_TYPE, StatOrder
from domain.wb_token import WbCategory
from tests.integration.builders import stored_cabinet

T0 = datetime(2026, 1, 20, 10, 0, tzinfo=UTC)
ALL_TIME = Period(T0 - timedelta(days=365), T0 + timedelta(days=1))


@attrs.frozen
class ReportsBackend:
    name: str
    uow: UnitOfWorkFactory
    reports: Reports


@pytest.fixture(params=["memory", "postgres"])
async def rb(request: pytest.FixtureRequest) -> AsyncIterator[ReportsBackend]:
    if request.param == "memory":
        factory = InMemoryUnitOfWorkFactory()
        yield ReportsBackend("memory", factory, InMemoryReports(factory.store))
        return
    engine = create_engine(request.getfixturevalue("database_url"), pool_size=2)
    try:
        yield ReportsBackend("postgres", PostgresUnitOfWorkFactory(engine), PostgresReports(engine))
    finally:
        await engine.dispose()


async def a_cabinet(rb: ReportsBackend) -> uuid.UUID:
    return (await stored_cabinet(rb.uow, name="Shop", categories=frozenset({WbCategory.STATISTICS}))).id


def rub(amount: str) -> Money:
    return Money(Decimal(amount))


def stat(cab: uuid.UUID, srid: str, at: datetime, **kw: object) -> StatOrder:
    fields: dict = {
        "cabinet_id": cab, "srid": srid, "nm_id": 7, "date": at, "last_change_date": at,
        "total_price": rub("1000"), "discount_percent": Decimal("10"), "spp": Decimal("5"),
        "finished_price": rub("850"), "price_with_disc": rub("900.50"), "supplier_article": "ART",
        "tech_size": "M", "subject": "Платья", "warehouse_name": "Коледино", "region_name": "Московская",
    }  # fmt: skip
    return StatOrder(**{**fields, **kw})


def a_sale(cab: uuid.UUID, sale_id: str, at: datetime, srid: str, amount: str = "900.50") -> Sale:
    return Sale(
        cabinet_id=cab, sale_id=sale_id, srid=srid, nm_id=7, supplier_article="ART", barcode="B", date=at,
        last_change_date=at, total_price=rub("1000"), discount_percent=Decimal(0), spp=Decimal(0),
        for_pay=rub("800"), finished_price=rub("850"), price_with_disc=rub(amount),
    )  # fmt: skip


def fbs(cab: uuid.UUID, order_id: int, rid: str) -> Order:
    return Order(
        cabinet_id=cab, order_id=order_id, order_uid="u", rid=rid, nm_id=7, chrt_id=1, vendor_code="ART",
        price=rub("850"), sale_price=None, warehouse_id=1, created_at=T0, product_name="Платье <летнее>",
    )  # fmt: skip


async def seeded(rb: ReportsBackend) -> tuple[uuid.UUID, uuid.UUID]:
    mine, other = await a_cabinet(rb), await a_cabinet(rb)
    h = timedelta(hours=1)
    async with rb.uow() as uow:
        await uow.stat_orders.upsert_many([
            stat(mine, "r1", T0 - 4 * h, is_cancel=True),
            stat(mine, "r2", T0 - 3 * h, warehouse_type=FBW_WAREHOUSE_TYPE, subject="", tech_size=""),
            stat(mine, "r3", T0 - 2 * h),
            stat(mine, "r4", T0 - 2 * h),  # same instant as r3: srid breaks the tie
            stat(mine, "old", T0 - timedelta(days=40)),
            stat(other, "x1", T0 - h),
        ])  # fmt: skip
        await uow.orders.upsert_many([fbs(mine, 11, "r1"), fbs(mine, 13, "r3")])
        await uow.sales.upsert_many([
            a_sale(mine, "S1", T0 - 2 * h, "r3", "100.10"),
            a_sale(mine, "S2", T0 - h, "r4", "200.20"),
            a_sale(mine, "R1", T0 - h, "r3", "-100.10"),
            a_sale(mine, "B1", T0, "r4"),
            a_sale(other, "S9", T0, "x1"),
        ])  # fmt: skip
        await uow.commit()
    return mine, other


async def test_order_counts_include_cancelled_and_fbw_and_are_scoped_by_cabinet_and_period(
    rb: ReportsBackend,
) -> None:
    mine, other = await seeded(rb)
    counts = await rb.reports.order_counts([mine], Period(T0 - timedelta(days=1), T0))
    assert (counts.total, counts.canceled, counts.fbw) == (4, 1, 1)
    both = await rb.reports.order_counts([mine, other], ALL_TIME)
    assert both.total == 6
    assert (await rb.reports.order_counts([], ALL_TIME)).total == 0
    # the end is exclusive, the start inclusive
    assert (
        await rb.reports.order_counts([mine], Period(T0 - timedelta(hours=3), T0 - timedelta(hours=2)))
    ).total == 1


async def test_recent_orders_page_newest_first_with_the_fbs_order_joined(rb: ReportsBackend) -> None:
    mine, _ = await seeded(rb)
    page = await rb.reports.recent_orders([mine], ALL_TIME, None, 3, 0)
    assert page.total == 5
    assert [(o.srid, o.fbs_order_id) for o in page.items] == [("r3", 13), ("r4", None), ("r2", None)]
    first = page.items[0]
    assert (first.product, first.article, first.size, first.amount) == (
        "Платье <летнее>",
        "ART",
        "M",
        Decimal("900.50"),
    )
    assert (first.warehouse, first.region, first.status, first.nm_id) == (
        "Коледино",
        "Московская",
        "active",
        7,
    )
    assert (page.items[1].product, page.items[2].product, page.items[2].size) == ("Платья", "", "")
    assert first.date == T0 - timedelta(hours=2)

    cancelled = await rb.reports.recent_orders([mine], ALL_TIME, "canceled", 10, 0)
    assert [(o.srid, o.status, o.fbs_order_id) for o in cancelled.items] == [("r1", "canceled", 11)]
    beyond = await rb.reports.recent_orders([mine], ALL_TIME, "active", 10, 10)
    assert (beyond.items, beyond.total) == ([], 4)


async def test_sales_totals_count_buyouts_and_returns_only_with_positive_return_amounts(
    rb: ReportsBackend,
) -> None:
    mine, _ = await seeded(rb)
    totals = await rb.reports.sales_totals([mine], ALL_TIME)
    assert (totals.buyouts, totals.returns) == (2, 1)
    assert (totals.buyouts_amount, totals.returns_amount) == (Decimal("300.30"), Decimal("100.10"))
    empty = await rb.reports.sales_totals([], ALL_TIME)
    assert (empty.buyouts, empty.returns, empty.buyouts_amount, empty.returns_amount) == (0, 0, 0, 0)


async def test_recent_sales_page_newest_first_by_type_with_product_from_the_order(rb: ReportsBackend) -> None:
    mine, _ = await seeded(rb)
    page = await rb.reports.recent_sales([mine], ALL_TIME, None, 10, 0)
    assert [(s.sale_id, s.type) for s in page.items] == [("R1", "return"), ("S2", "buyout"), ("S1", "buyout")]
    r1 = page.items[0]
    assert (r1.srid, r1.product, r1.size, r1.amount, r1.article) == (
        "r3",
        "Платье <летнее>",
        "M",
        Decimal("-100.10"),
        "ART",
    )
    assert page.items[1].product == "Платья"  # no FBS order: the statistics subject
    returns = await rb.reports.recent_sales([mine], ALL_TIME, "return", 10, 0)
    assert [s.sale_id for s in returns.items] == ["R1"]
    second = await rb.reports.recent_sales([mine], ALL_TIME, "buyout", 1, 1)
    assert ([s.sale_id for s in second.items], second.total) == (["S1"], 2)
