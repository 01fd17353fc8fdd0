"""One contract for the dashboard's orders read model, on the in-memory store and on Postgres: FBS by
default, FBW on request, filters by Moscow days, statuses and article, sorting with stable ties, one
cabinet only, and an order's status history."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.dashboard_orders import InMemoryDashboardOrders
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.repositories.dashboard_orders import PostgresDashboardOrders
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.dashboard.orders import GetOrder, ListOrders, OrderQuery
from application.ports.dashboard import DashboardOrders
from application.ports.sync import OrderStatusUpdate
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.errors import InvalidValue, NotFound
from domain.money import Money
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import Address, StatusChange
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.integration.builders import stored_cabinet
from tests.unit.use_cases import builders as b

D = date(2026, 1, 10)  # a Moscow day: 2026-01-09T21:00Z .. 2026-01-10T21:00Z
LATE = datetime(2026, 1, 10, 20, 59, tzinfo=UTC)  # 23:59 MSK on D
NEXT = datetime(2026, 1, 10, 21, 1, tzinfo=UTC)  # 00:01 MSK on D + 1


@attrs.frozen
class Backend:
    uow: UnitOfWorkFactory
    orders: DashboardOrders


@pytest.fixture(params=["memory", "postgres"])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        factory = InMemoryUnitOfWorkFactory()
        yield Backend(factory, InMemoryDashboardOrders(factory.store))
        return
    engine = create_engine(request.getfixturevalue("database_url"), pool_size=2)
    try:
        yield Backend(PostgresUnitOfWorkFactory(engine), PostgresDashboardOrders(engine))
    finally:
        await engine.dispose()


async def seeded(db: Backend) -> tuple[uuid.UUID, uuid.UUID]:
    """Cabinet A: FBS orders 1 (D, new), 2 (D 23:59 MSK, cancelled, pricier), 3 (D + 1, B2B, another
    article), and one FBW order; cabinet B: an FBS order 9 and an FBW order."""
    a, other = (await stored_cabinet(db.uow)).id, (await stored_cabinet(db.uow)).id
    morning = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    fbs = [
        b.order(a, 1, morning),
        b.order(a, 2, LATE, price=Money(Decimal("900.50")), sale_price=Money(Decimal("900.50")),
                address=Address("г. Москва, ул. Примерная, д. 1", 37.6, 55.7)),
        b.order(a, 3, NEXT, nm_id=555, is_b2b=True),
        b.order(other, 9, morning),
    ]  # fmt: skip
    fbw = {"warehouse_type": FBW_WAREHOUSE_TYPE, "warehouse_name": "Коледино", "subject": "Платья"}
    stats = [
        b.stat_order(a, "fbw-a", morning + timedelta(hours=1), date=morning + timedelta(hours=1), **fbw),
        # The FBS order 1 as the statistics see it (not an FBW order): its prices win (docs/metrics.md).
        b.stat_order(
            a,
            "rid1",
            morning,
            date=morning,
            total_price=Money(Decimal(777)),
            price_with_disc=Money(Decimal(555)),
        ),
        b.stat_order(other, "fbw-b", morning, date=morning, **fbw),
    ]
    history = [
        StatusChange(2, S.NEW, W.WAITING, S.CONFIRM, W.SORTED, LATE + timedelta(seconds=30)),
        StatusChange(2, S.CONFIRM, W.SORTED, S.CANCEL, W.CANCELED, NEXT),
    ]
    statuses = {  # what the status polls reported last (the order listing carries no statuses)
        (a, 1): OrderStatusUpdate(1, S.NEW, W.WAITING, morning, False),
        (a, 2): OrderStatusUpdate(2, S.CANCEL, W.CANCELED, NEXT, True),
        (a, 3): OrderStatusUpdate(3, S.CONFIRM, W.SORTED, NEXT, False),
        (other, 9): OrderStatusUpdate(9, S.NEW, W.WAITING, morning, False),
    }
    async with db.uow() as uow:
        await uow.orders.upsert_many(fbs)
        for (cabinet, _), update in statuses.items():
            await uow.orders.apply_status_updates(cabinet, [update])
        await uow.orders.add_history(a, history)
        await uow.stat_orders.upsert_many(stats)
        for cabinet in (a, other):  # the rollups commit with the orders, as every writer's do
            await uow.rollups.rebuild(cabinet)
        await uow.commit()
    return a, other


async def ids(db: Backend, cabinet: uuid.UUID, **q: object) -> list[str]:
    page = await ListOrders(db.orders)(cabinet, OrderQuery(**q))  # type: ignore[arg-type]
    return [o.order_id for o in page.items]


async def test_fbs_by_default_newest_first_and_one_cabinet_only(db: Backend) -> None:
    a, other = await seeded(db)
    assert await ids(db, a) == ["3", "2", "1"]
    assert await ids(db, other) == ["9"]
    page = await ListOrders(db.orders)(a, OrderQuery(limit=2, offset=1))
    assert [o.order_id for o in page.items] == ["2", "1"] and page.total == 3


async def test_fbw_orders_on_request(db: Backend) -> None:
    a, _ = await seeded(db)
    assert await ids(db, a, deliveries=frozenset({"fbw"})) == ["fbw-a"]
    assert await ids(db, a, deliveries=frozenset({"fbs", "fbw"})) == ["3", "2", "fbw-a", "1"]
    (fbw,) = (await ListOrders(db.orders)(a, OrderQuery(deliveries=frozenset({"fbw"})))).items
    assert (fbw.delivery_type, fbw.supplier_status, fbw.warehouse_name, fbw.product_name) == (
        "fbw",
        None,
        "Коледино",
        "Платья",
    )


async def test_filters_by_moscow_days_statuses_and_article(db: Backend) -> None:
    a, _ = await seeded(db)
    assert await ids(db, a, from_day=D, to_day=D) == ["2", "1"]  # 23:59 MSK is still D
    assert await ids(db, a, from_day=D + timedelta(days=1)) == ["3"]
    assert await ids(db, a, to_day=D - timedelta(days=1)) == []
    assert await ids(db, a, supplier_status="cancel") == ["2"]
    assert await ids(db, a, wb_status="sorted") == ["3"]
    assert await ids(db, a, nm_id=555) == ["3"]
    assert await ids(db, a, supplier_status="cancel", deliveries=frozenset({"fbs", "fbw"})) == ["2"]


async def test_sorting_with_stable_ties(db: Backend) -> None:
    a, _ = await seeded(db)
    # Prices: 3 at 500 (FBS), 1 at 777 (its statistics row), 2 at 900.50; sale prices 500, 555, 900.50.
    assert await ids(db, a, sort_by="price", sort_order="asc") == ["3", "1", "2"]
    assert await ids(db, a, sort_by="price", sort_order="desc") == ["2", "1", "3"]
    assert await ids(db, a, sort_by="sale_price", sort_order="asc") == ["3", "1", "2"]
    # 2 and 3 changed at NEXT (a tie: the higher id first, descending), 1 earlier.
    assert await ids(db, a, sort_by="status_updated_at") == ["3", "2", "1"]
    assert await ids(db, a, sort_by="status_updated_at", sort_order="asc") == ["1", "2", "3"]


async def test_an_order_with_its_status_history_and_nothing_of_another_cabinet(db: Backend) -> None:
    a, other = await seeded(db)
    detail = await GetOrder(db.orders)(a, "2")
    assert detail.order.price == Decimal("900.50") and detail.order.supplier_status == "cancel"
    assert detail.address == Address("г. Москва, ул. Примерная, д. 1", 37.6, 55.7)
    assert [(h.supplier_status, h.wb_status, h.changed_at) for h in detail.history] == [
        ("new", "waiting", LATE),
        ("confirm", "sorted", LATE + timedelta(seconds=30)),
        ("cancel", "canceled", NEXT),
    ]
    never_changed = await GetOrder(db.orders)(a, "1")
    assert (never_changed.order.price, never_changed.order.sale_price) == (Decimal(777), Decimal(555))
    assert [(h.supplier_status, h.wb_status) for h in never_changed.history] == [("new", "waiting")]
    fbw = await GetOrder(db.orders)(a, "fbw-a")
    assert fbw.order.delivery_type == "fbw" and len(fbw.history) == 1
    for foreign in ("9", "fbw-b", "rid1", "404", "x" * 40):
        with pytest.raises(NotFound):
            await GetOrder(db.orders)(a, foreign)
    assert (await GetOrder(db.orders)(other, "9")).order.order_id == "9"


async def test_bad_inputs_name_the_field(db: Backend) -> None:
    a, _ = await seeded(db)
    for query, field in (
        (OrderQuery(limit=0), "limit"),
        (OrderQuery(limit=1001), "limit"),
        (OrderQuery(offset=-1), "offset"),
        (OrderQuery(from_day=D, to_day=D - timedelta(days=1)), "to"),
        (OrderQuery(deliveries=frozenset()), "delivery"),
    ):
        with pytest.raises(InvalidValue) as raised:
            await ListOrders(db.orders)(a, query)
        assert raised.value.field == field


async def test_the_total_is_the_count_of_what_the_filter_lists(db: Backend) -> None:
    """Postgres takes most totals from the day rollups (not by counting the rows): they must agree."""
    a, _ = await seeded(db)
    queries = [
        OrderQuery(),
        OrderQuery(deliveries=frozenset({"fbs", "fbw"})),
        OrderQuery(deliveries=frozenset({"fbw"})),
        OrderQuery(from_day=D, to_day=D),
        OrderQuery(from_day=D + timedelta(days=1), deliveries=frozenset({"fbs", "fbw"})),
        OrderQuery(supplier_status="cancel", deliveries=frozenset({"fbs", "fbw"})),
        OrderQuery(supplier_status="new"),
        OrderQuery(nm_id=555),
        OrderQuery(nm_id=555, supplier_status="confirm"),
        OrderQuery(wb_status="sorted"),
    ]
    for q in queries:
        page = await ListOrders(db.orders)(a, attrs.evolve(q, limit=1000))
        assert page.total == len(page.items), q
        small = await ListOrders(db.orders)(a, attrs.evolve(q, limit=1))
        assert small.total == page.total, q
    assert (await ListOrders(db.orders)(a, OrderQuery(supplier_status="cancel"))).total == 1
