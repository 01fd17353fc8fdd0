"""One contract for the sync repositories, the outbox and the cabinet lock, run against the in-memory
fakes and against Postgres: upserts are idempotent and write nothing when nothing changed."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.memory import InMemoryCabinetLock, InMemoryUnitOfWorkFactory
from adapters.outbound.postgres.cabinet_lock import PostgresCabinetLock
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.sync import CabinetLock, OrderStatusUpdate, SourceState
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.claims import Claim
from domain.events import DomainEvent, EventType
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Address, BuyerAmount, CargoType, Order, StatusChange
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel
from domain.wb_token import WbCategory
from tests.integration.builders import stored_cabinet

T0 = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)

R = TypeVar("R")


@attrs.frozen
class SyncBackend:
    name: str
    uow: UnitOfWorkFactory
    locks: tuple[CabinetLock, CabinetLock]  # two independent holders (two connections for Postgres)
    row_versions: Callable[[str, uuid.UUID], Awaitable[list[str]]] | None = None  # Postgres only


@pytest.fixture(params=["memory", "postgres"])
async def sb(request: pytest.FixtureRequest) -> AsyncIterator[SyncBackend]:
    if request.param == "memory":
        lock = InMemoryCabinetLock()
        yield SyncBackend("memory", InMemoryUnitOfWorkFactory(), (lock, lock))
        return
    url = request.getfixturevalue("database_url")
    engine, other = create_engine(url, pool_size=2), create_engine(url, pool_size=1)
    locks = (PostgresCabinetLock(engine), PostgresCabinetLock(other))
    try:
        yield SyncBackend("postgres", PostgresUnitOfWorkFactory(engine), locks, _row_versions(engine))
    finally:
        await engine.dispose()
        await other.dispose()


def _row_versions(engine: AsyncEngine) -> Callable[[str, uuid.UUID], Awaitable[list[str]]]:
    """Each row's physical version (xmin, ctid): any UPDATE, even to equal values, changes it."""

    async def versions(table: str, cabinet_id: uuid.UUID) -> list[str]:
        query = sa.text(f"SELECT xmin::text || ctid::text FROM {table} WHERE cabinet_id = :c ORDER BY 1")  # noqa: S608
        async with engine.connect() as conn:
            return list((await conn.execute(query, {"c": cabinet_id})).scalars())

    return versions


@pytest.fixture
async def cab(sb: SyncBackend) -> uuid.UUID:
    return (await stored_cabinet(sb.uow, name="Shop", categories=frozenset({WbCategory.MARKETPLACE}))).id


def an_order(cab: uuid.UUID, order_id: int, **kw: object) -> Order:
    fields: dict = {
        "cabinet_id": cab, "order_id": order_id, "order_uid": f"uid{order_id}", "rid": f"rid{order_id}",
        "nm_id": 100 + order_id, "chrt_id": 7, "vendor_code": "VC", "price": Money(Decimal("1200.50")),
        "sale_price": Money(Decimal("999.00")), "warehouse_id": 5, "created_at": T0, "product_name": "Cap",
        "cargo_type": CargoType.KGT, "address": Address("Moscow", 37.6, 55.7),
    }  # fmt: skip
    return Order(**{**fields, **kw})


def a_stat_order(cab: uuid.UUID, srid: str, **kw: object) -> StatOrder:
    m = Money(Decimal("500.00"))
    fields: dict = {
        "cabinet_id": cab, "srid": srid, "nm_id": 1, "date": T0, "last_change_date": T0, "total_price": m,
        "discount_percent": Decimal("10"), "spp": Decimal("5.5"), "finished_price": m, "price_with_disc": m,
        "warehouse_name": "Koledino", "region_name": "Moscow",
    }  # fmt: skip
    return StatOrder(**{**fields, **kw})


def a_sale(cab: uuid.UUID, sale_id: str, srid: str = "srid1", **kw: object) -> Sale:
    m = Money(Decimal("300.00"))
    fields: dict = {
        "cabinet_id": cab, "sale_id": sale_id, "srid": srid, "nm_id": 1, "supplier_article": "A",
        "barcode": "B", "date": T0, "last_change_date": T0, "total_price": m, "discount_percent": Decimal(0),
        "spp": Decimal(0), "for_pay": m, "finished_price": m, "price_with_disc": m,
    }  # fmt: skip
    return Sale(**{**fields, **kw})


def a_stock(cab: uuid.UUID, nm_id: int, quantity: int = 3, **kw: object) -> StockLevel:
    fields: dict = {"cabinet_id": cab, "nm_id": nm_id, "chrt_id": None, "warehouse_id": 1,
                    "warehouse_name": "W", "quantity": quantity}  # fmt: skip
    return StockLevel(**{**fields, **kw})


async def write(sb: SyncBackend, action: Callable[[UnitOfWork], Awaitable[R]]) -> R:
    async with sb.uow() as uow:
        result = await action(uow)
        await uow.commit()
    return result


async def read(sb: SyncBackend, action: Callable[[UnitOfWork], Awaitable[R]]) -> R:
    async with sb.uow() as uow:
        return await action(uow)


# --- orders ------------------------------------------------------------------------------------------------


async def test_orders_upsert_is_idempotent_and_counts_only_changes(sb: SyncBackend, cab: uuid.UUID) -> None:
    batch = [an_order(cab, i) for i in range(1, 4)]
    assert await write(sb, lambda u: u.orders.upsert_many(batch)) == 3
    assert await write(sb, lambda u: u.orders.upsert_many([an_order(cab, i) for i in range(1, 4)])) == 0
    changed = [an_order(cab, 1), an_order(cab, 2, product_name="Hat")]
    assert await write(sb, lambda u: u.orders.upsert_many(changed)) == 1
    found = await read(sb, lambda u: u.orders.get_many(cab, [2, 3, 99]))
    assert sorted(found) == [2, 3]
    order = found[2]
    assert (order.product_name, order.price, order.cargo_type, order.address) == (
        "Hat", Money(Decimal("1200.50")), CargoType.KGT, Address("Moscow", 37.6, 55.7),
    )  # fmt: skip
    assert order.created_at == T0 and order.supplier_status is None
    assert await read(sb, lambda u: u.orders.count(cab)) == 3


async def test_statuses_history_and_unfinished(sb: SyncBackend, cab: uuid.UUID) -> None:
    await write(sb, lambda u: u.orders.upsert_many([an_order(cab, i) for i in (1, 2, 3)]))
    updates = [
        OrderStatusUpdate(1, SupplierStatus.NEW, WbStatus.WAITING, T0, False),
        OrderStatusUpdate(2, SupplierStatus.CANCEL, WbStatus.CANCELED, T0, True),
    ]
    assert await write(sb, lambda u: u.orders.apply_status_updates(cab, updates)) == 2
    assert await write(sb, lambda u: u.orders.apply_status_updates(cab, updates)) == 0
    change = StatusChange(1, None, None, SupplierStatus.NEW, WbStatus.WAITING, T0)
    assert await write(sb, lambda u: u.orders.add_history(cab, [change, change])) == 1
    assert await write(sb, lambda u: u.orders.add_history(cab, [change])) == 0
    later = StatusChange(1, SupplierStatus.NEW, WbStatus.WAITING, SupplierStatus.CONFIRM, WbStatus.WAITING,
                         T0 + timedelta(minutes=5))  # fmt: skip
    assert await write(sb, lambda u: u.orders.add_history(cab, [later])) == 1
    assert await read(sb, lambda u: u.orders.history(cab, 1)) == [change, later]
    assert await read(sb, lambda u: u.orders.history(cab, 2)) == []
    assert await read(sb, lambda u: u.orders.unfinished_ids(cab, 0, 10)) == [1, 3]
    assert await read(sb, lambda u: u.orders.unfinished_ids(cab, 1, 10)) == [3]
    # Re-upserting the WB-side facts never touches statuses.
    assert await write(sb, lambda u: u.orders.upsert_many([an_order(cab, 2)])) == 0
    got = (await read(sb, lambda u: u.orders.get_many(cab, [2])))[2]
    assert (got.supplier_status, got.wb_status, got.status_updated_at) == (
        SupplierStatus.CANCEL, WbStatus.CANCELED, T0,
    )  # fmt: skip


async def test_stat_orders_upsert_and_copy_onto_the_fbs_order(sb: SyncBackend, cab: uuid.UUID) -> None:
    await write(sb, lambda u: u.orders.upsert_many([an_order(cab, 1)]))
    rows = [a_stat_order(cab, "rid1", is_cancel=True, cancel_date=T0), a_stat_order(cab, "fbw-9")]
    assert await write(sb, lambda u: u.stat_orders.upsert_many(rows)) == 2
    assert await write(sb, lambda u: u.stat_orders.upsert_many(list(rows))) == 0
    assert await read(sb, lambda u: u.stat_orders.count(cab)) == 2
    got = (await read(sb, lambda u: u.orders.get_many(cab, [1])))[1]
    assert (got.is_cancel, got.cancel_date, got.finished_price, got.warehouse_name, got.last_change_date) == (
        True, T0, Money(Decimal("500.00")), "Koledino", T0,
    )  # fmt: skip
    # An order first seen after its statistics row picks the fields up too.
    await write(sb, lambda u: u.stat_orders.upsert_many([a_stat_order(cab, "rid2", region_name="Kazan")]))
    await write(sb, lambda u: u.orders.upsert_many([an_order(cab, 2)]))
    assert (await read(sb, lambda u: u.orders.get_many(cab, [2])))[2].region_name == "Kazan"


# --- sales, reviews, claims --------------------------------------------------------------------------------


async def test_sales_keep_sale_and_return_of_one_srid(sb: SyncBackend, cab: uuid.UUID) -> None:
    rows = [a_sale(cab, "S1", "srid1"), a_sale(cab, "R1", "srid1", for_pay=Money(Decimal("-300.00")))]
    assert sorted(await write(sb, lambda u: u.sales.upsert_many(rows))) == ["R1", "S1"]
    assert await write(sb, lambda u: u.sales.upsert_many([a_sale(cab, "S1", "srid1")])) == []
    changed = [a_sale(cab, "S1", "srid1", warehouse_name="X"), a_sale(cab, "S2")]
    assert await write(sb, lambda u: u.sales.upsert_many(changed)) == ["S2"]
    assert await read(sb, lambda u: u.sales.count(cab)) == 3


async def test_reviews_and_claims_return_new_ids(sb: SyncBackend, cab: uuid.UUID) -> None:
    def review(rid: str, is_answered: bool = False) -> Review:
        return Review(cabinet_id=cab, id=rid, nm_id=1, rating=2, created_at=T0, is_answered=is_answered)

    def claim(cid: str, **kw: object) -> Claim:
        fields: dict = {"cabinet_id": cab, "id": cid, "nm_id": 1, "srid": None, "claim_type": 1, "status": 0,
                        "status_ex": 0, "created_at": T0, "price": Money(Decimal("10.00"))}  # fmt: skip
        return Claim(**{**fields, **kw})

    assert await write(sb, lambda u: u.reviews.upsert_many([review("a"), review("b")])) in (
        ["a", "b"],
        ["b", "a"],
    )
    assert await write(sb, lambda u: u.reviews.upsert_many([review("a", is_answered=True)])) == []
    assert await read(sb, lambda u: u.reviews.count(cab)) == 2
    assert await read(sb, lambda u: u.reviews.ratings(cab, ["a", "zz"])) == {"a": 2}
    assert await read(sb, lambda u: u.reviews.ratings(uuid.uuid4(), ["a"])) == {}
    assert await write(sb, lambda u: u.claims.upsert_many([claim("c1")])) == ["c1"]
    assert await write(sb, lambda u: u.claims.upsert_many([claim("c1", status=2), claim("c2")])) == ["c2"]
    assert await read(sb, lambda u: u.claims.count(cab)) == 2


async def test_review_version_links_are_stored_and_kept(sb: SyncBackend, cab: uuid.UUID) -> None:
    def review(rid: str, rating: int, **kw: object) -> Review:
        return Review(cabinet_id=cab, id=rid, nm_id=1, rating=rating, created_at=T0, **kw)  # type: ignore[arg-type]

    await write(sb, lambda u: u.reviews.upsert_many([review("old", 5)]))
    edit = [review("old", 5, child_id="new"), review("new", 2, parent_id="old")]
    assert await write(sb, lambda u: u.reviews.upsert_many(edit)) == ["new"]
    assert await write(sb, lambda u: u.reviews.upsert_many([review("old", 5)])) == []  # a link stays
    assert await write(sb, lambda u: u.reviews.upsert_many(list(edit))) == []
    assert await read(sb, lambda u: u.reviews.ratings(cab, ["old", "new"])) == {"old": 5, "new": 2}


async def test_orders_keep_roubles_and_the_buyers_currency(sb: SyncBackend, cab: uuid.UUID) -> None:
    byn = an_order(
        cab, 1, price=Money(Decimal("283.22")), sale_price=Money(Decimal("350.10")),
        buyer_price=BuyerAmount(Decimal("10.14"), 933), buyer_sale_price=BuyerAmount(Decimal("12.54"), 933),
    )  # fmt: skip
    assert await write(sb, lambda u: u.orders.upsert_many([byn, an_order(cab, 2)])) == 2
    got = await read(sb, lambda u: u.orders.get_many(cab, [1, 2]))
    assert (got[1].price, got[1].sale_price, got[1].buyer_price, got[1].buyer_sale_price) == (
        byn.price, byn.sale_price, byn.buyer_price, byn.buyer_sale_price,
    )  # fmt: skip
    assert (got[1].currency_code, got[2].currency_code, got[2].buyer_price) == (933, 643, None)
    # A listing without salePrice (/api/v3/orders) keeps both sale prices.
    listed = attrs.evolve(byn, sale_price=None, buyer_sale_price=None)
    assert await write(sb, lambda u: u.orders.upsert_many([listed])) == 0
    again = (await read(sb, lambda u: u.orders.get_many(cab, [1])))[1]
    assert (again.sale_price, again.buyer_sale_price) == (byn.sale_price, byn.buyer_sale_price)


# --- stocks, source states, events ---------------------------------------------------------------------


async def test_stock_snapshot_keeps_a_vanished_row_at_zero(sb: SyncBackend, cab: uuid.UUID) -> None:
    first = [a_stock(cab, 1), a_stock(cab, 2, in_way_to_client=2), a_stock(cab, 3, warehouse_id=None)]
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, first, T0)) == 3
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, list(first), T0 + timedelta(hours=1))) == 0
    second = [a_stock(cab, 1, quantity=5), a_stock(cab, 3, warehouse_id=None)]
    assert (
        await write(sb, lambda u: u.stocks.apply_snapshot(cab, second, T0)) == 2
    )  # one changed, one sold out
    assert await read(sb, lambda u: u.stocks.count(cab)) == 3
    assert await read(sb, lambda u: u.stocks.quantities_by_nm(cab)) == {1: 5, 2: 0, 3: 3}
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, list(second), T0)) == 0  # already zero
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, [], T0)) == 2
    assert await read(sb, lambda u: u.stocks.quantities_by_nm(cab)) == {1: 0, 2: 0, 3: 0}
    back = [a_stock(cab, 2, quantity=4)]
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, back, T0)) == 1
    assert await read(sb, lambda u: u.stocks.quantities_by_nm(cab)) == {1: 0, 2: 4, 3: 0}


async def test_stock_snapshot_sums_sizes_and_warehouses_per_nm_and_ignores_other_cabinets(
    sb: SyncBackend, cab: uuid.UUID
) -> None:
    rows = [a_stock(cab, 7, 2, chrt_id=1), a_stock(cab, 7, 3, chrt_id=2), a_stock(cab, 7, 4, warehouse_id=9)]
    other = a_stock(uuid.uuid4(), 7, 100)
    assert await write(sb, lambda u: u.stocks.apply_snapshot(cab, [*rows, other], T0)) == 3
    assert await read(sb, lambda u: u.stocks.quantities_by_nm(cab)) == {7: 9}


async def test_stock_alert_levels_are_kept_per_cabinet_and_nm_until_changed(
    sb: SyncBackend, cab: uuid.UUID
) -> None:
    other = (await stored_cabinet(sb.uow, name="Other")).id
    assert await read(sb, lambda u: u.stocks.alert_levels(cab)) == {}
    await write(sb, lambda u: u.stocks.save_alert_levels(cab, {1: 3, 2: None, 3: 0}, T0))
    await write(sb, lambda u: u.stocks.save_alert_levels(other, {1: 14}, T0))
    later = T0 + timedelta(minutes=3)
    await write(sb, lambda u: u.stocks.save_alert_levels(cab, {1: None, 2: None, 4: 14}, later))
    await write(sb, lambda u: u.stocks.save_alert_levels(cab, {}, later))
    assert await read(sb, lambda u: u.stocks.alert_levels(cab)) == {1: None, 2: None, 3: 0, 4: 14}
    assert await read(sb, lambda u: u.stocks.alert_levels(other)) == {1: 14}
    async with sb.uow() as uow:  # not committed: gone
        await uow.stocks.save_alert_levels(cab, {3: 7}, later)
    assert (await read(sb, lambda u: u.stocks.alert_levels(cab)))[3] == 0


async def test_order_counts_by_nm_count_non_cancelled_orders_since(sb: SyncBackend, cab: uuid.UUID) -> None:
    day = timedelta(days=1)
    rows = [
        a_stat_order(cab, "a", nm_id=1, date=T0), a_stat_order(cab, "b", nm_id=1, date=T0 - 3 * day),
        a_stat_order(cab, "c", nm_id=1, date=T0 - 40 * day), a_stat_order(cab, "d", nm_id=2, date=T0),
        a_stat_order(cab, "e", nm_id=2, date=T0, is_cancel=True, cancel_date=T0),
        a_stat_order(cab, "f", nm_id=3, date=T0, is_cancel=True, cancel_date=T0),
    ]  # fmt: skip
    await write(sb, lambda u: u.stat_orders.upsert_many(rows))
    assert await read(sb, lambda u: u.stat_orders.order_counts_by_nm(cab, T0 - 30 * day)) == {1: 2, 2: 1}
    assert await read(sb, lambda u: u.stat_orders.order_counts_by_nm(uuid.uuid4(), T0 - 30 * day)) == {}


async def test_source_state_round_trip(sb: SyncBackend, cab: uuid.UUID) -> None:
    assert await read(sb, lambda u: u.source_states.get(cab, "stat_sales")) is None
    state = SourceState(cab, "stat_sales", {"last_change_date": "2026-01-04T10:30:00"}, T0, rows_taken=7)
    await write(sb, lambda u: u.source_states.save(state))
    later = attrs.evolve(state, last_error="429", last_error_at=T0, backoff_until=T0 + timedelta(minutes=1))
    await write(sb, lambda u: u.source_states.save(later))
    await write(sb, lambda u: u.source_states.save(SourceState(cab, "feedbacks")))
    assert await read(sb, lambda u: u.source_states.get(cab, "stat_sales")) == later
    listed = await read(sb, lambda u: u.source_states.list_for_cabinet(cab))
    assert [c.source for c in listed] == ["feedbacks", "stat_sales"]


async def test_source_states_saved_together_insert_and_update(sb: SyncBackend, cab: uuid.UUID) -> None:
    await write(sb, lambda u: u.source_states.save(SourceState(cab, "stocks", last_error="boom")))
    paused = SourceState(cab, "stat_sales", {"last_change_date": "2026-01-04T10:30:00"}, continues_at=T0)
    done = SourceState(cab, "stocks", {}, T0, rows_taken=3)
    await write(sb, lambda u: u.source_states.save_many([paused, done]))
    await write(sb, lambda u: u.source_states.save_many([]))
    listed = await read(sb, lambda u: u.source_states.list_for_cabinet(cab))
    assert listed == [paused, done]


async def test_events_dedupe(sb: SyncBackend, cab: uuid.UUID) -> None:
    one = DomainEvent(EventType.NEW_ORDER, cab, "1", T0, {"order_id": 1})
    two = DomainEvent(EventType.NEW_ORDER, cab, "2", T0, {"order_id": 2})
    ids = [uuid.uuid4() for _ in range(3)]
    assert len(await write(sb, lambda u: u.events.add_many([one, two, one], ids, T0))) == 2
    assert len(await write(sb, lambda u: u.events.add_many([two], [uuid.uuid4()], T0))) == 0
    stored = await read(sb, lambda u: u.events.list_for_cabinet(cab))
    assert [(e.id, e.event, e.stored_at) for e in stored] == [(ids[0], one, T0), (ids[1], two, T0)]
    assert dict(stored[1].event.payload) == {"order_id": 2}


async def test_rollback_leaves_nothing(sb: SyncBackend, cab: uuid.UUID) -> None:
    async with sb.uow() as uow:
        await uow.orders.upsert_many([an_order(cab, 1)])
        await uow.stat_orders.upsert_many([a_stat_order(cab, "rid1")])
        await uow.sales.upsert_many([a_sale(cab, "S1")])
        await uow.stocks.apply_snapshot(cab, [a_stock(cab, 1)], T0)
        await uow.events.add_many([DomainEvent(EventType.NEW_ORDER, cab, "1", T0)], [uuid.uuid4()], T0)
        await uow.source_states.save(SourceState(cab, "fbs_orders"))
        assert await uow.orders.count(cab) == 1
    async with sb.uow() as uow:
        counts = [await uow.orders.count(cab), await uow.stat_orders.count(cab), await uow.sales.count(cab)]
        assert counts == [0, 0, 0]
        assert await uow.stocks.count(cab) == 0 and await uow.source_states.list_for_cabinet(cab) == []
        assert await uow.events.list_for_cabinet(cab) == []
        event = DomainEvent(EventType.NEW_ORDER, cab, "1", T0)
        assert len(await uow.events.add_many([event], [uuid.uuid4()], T0)) == 1


async def test_deleting_a_cabinet_deletes_its_synced_data_and_events(sb: SyncBackend, cab: uuid.UUID) -> None:
    async with sb.uow() as uow:
        await uow.orders.upsert_many([an_order(cab, 1)])
        change = StatusChange(1, None, None, SupplierStatus.NEW, WbStatus.WAITING, T0)
        await uow.orders.add_history(cab, [change])
        await uow.stat_orders.upsert_many([a_stat_order(cab, "rid1")])
        await uow.sales.upsert_many([a_sale(cab, "S1")])
        await uow.stocks.apply_snapshot(cab, [a_stock(cab, 1)], T0)
        await uow.stocks.save_alert_levels(cab, {1: 0}, T0)
        await uow.events.add_many([DomainEvent(EventType.NEW_ORDER, cab, "1", T0)], [uuid.uuid4()], T0)
        await uow.source_states.save(SourceState(cab, "fbs_orders"))
        await uow.commit()
    async with sb.uow() as uow:
        await uow.cabinets.schedule_deletion(cab, T0)
        assert await uow.cabinets.delete_if_due(cab, T0) is True
        await uow.commit()
    async with sb.uow() as uow:
        counts = [await uow.orders.count(cab), await uow.stat_orders.count(cab), await uow.sales.count(cab)]
        assert counts == [0, 0, 0]
        assert await uow.stocks.count(cab) == 0 and await uow.source_states.list_for_cabinet(cab) == []
        assert await uow.events.list_for_cabinet(cab) == [] and await uow.orders.history(cab, 1) == []
        assert await uow.stocks.alert_levels(cab) == {}


# --- the cabinet lock --------------------------------------------------------------------------------------


async def test_cabinet_lock_excludes_a_second_holder(sb: SyncBackend, cab: uuid.UUID) -> None:
    first, second = sb.locks
    async with first.hold(cab) as held:
        assert held is True
        async with second.hold(cab) as other:
            assert other is False
        async with second.hold(uuid.uuid4()) as unrelated:
            assert unrelated is True
    async with second.hold(cab) as again:
        assert again is True
    async with first.hold(cab) as after_second:
        assert after_second is True


async def test_a_sync_with_nothing_new_writes_no_row_version(sb: SyncBackend, cab: uuid.UUID) -> None:
    if sb.row_versions is None:
        pytest.skip("row versions are a Postgres notion")

    async def sync() -> None:
        async with sb.uow() as uow:
            await uow.orders.upsert_many([an_order(cab, i) for i in range(1, 50)])
            await uow.stat_orders.upsert_many([a_stat_order(cab, f"rid{i}") for i in range(1, 50)])
            await uow.sales.upsert_many([a_sale(cab, f"S{i}") for i in range(1, 50)])
            await uow.stocks.apply_snapshot(cab, [a_stock(cab, i) for i in range(1, 50)], T0)
            await uow.commit()

    tables = ("orders", "stat_orders", "sales", "stocks")
    await sync()
    before = [await sb.row_versions(t, cab) for t in tables]
    await sync()
    assert [await sb.row_versions(t, cab) for t in tables] == before
    assert all(len(v) == 49 for v in before)
