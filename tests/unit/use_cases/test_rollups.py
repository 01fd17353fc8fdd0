"""Order rollups through the use cases: after any sequence of syncs and fast-lane polls the rollups equal a
recomputation from the stored orders (issue 10's Done-when), and `RebuildRollups` recomputes them."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.outbound.memory.clock import ManualClock
from application.ports.rollups import DELIVERIES, FBS_ONLY
from application.ports.wb import FbsStatus
from application.sync.run import SyncSettings
from application.use_cases.poll_new_orders import PollNewOrders
from application.use_cases.rebuild_rollups import RebuildRollups
from domain.errors import NotFound
from domain.money import Money
from domain.moscow_time import MSK
from domain.order_status import CANCELLED_SUPPLIER, CANCELLED_WB, SupplierStatus, WbStatus
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import World

START = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # 22:00 in Moscow: the first steps cross a Moscow midnight
FAR = (date(2026, 1, 1), date(2026, 12, 31))
PRICES = st.sampled_from(["100.00", "250.50", "999.99", "1200.00"])


def rub(text: str) -> Money:
    return Money(Decimal(text))


async def rollups(w: World, cab: UUID, deliveries: Any) -> tuple[list[Any], ...]:
    async with w.uow() as uow:
        r = uow.rollups
        return (
            list(await r.days(cab, *FAR, deliveries)),
            list(await r.hours(cab, *FAR, deliveries)),
            list(await r.sku_days(cab, *FAR, deliveries)),
        )


def recomputed(w: World, cab: UUID, deliveries: Any) -> tuple[list[tuple[Any, ...]], ...]:
    """The same figures straight from the stored rows, written out independently of the adapters."""
    t = w.uow.store.tables
    facts = []  # (instant, delivery, nm_id, cancelled, b2b, amount, supplier status)
    for (c, _), o in t.orders.items():
        stat = t.stat_orders.get((c, o.rid))
        cancelled = o.supplier_status in CANCELLED_SUPPLIER or o.wb_status in CANCELLED_WB
        cancelled = cancelled or bool(stat and stat.is_cancel)
        amount = stat.price_with_disc if stat else (o.sale_price or o.price)
        facts.append((o.created_at, "fbs", o.nm_id, cancelled, o.is_b2b, amount.amount, o.supplier_status))
    for s in t.stat_orders.values():
        if s.warehouse_type == FBW_WAREHOUSE_TYPE:
            status = SupplierStatus.CANCEL if s.is_cancel else None
            facts.append((s.date, "fbw", s.nm_id, s.is_cancel, False, s.price_with_disc.amount, status))
    facts = [f for f in facts if f[1] in deliveries]
    days: dict[date, list[Any]] = defaultdict(lambda: [0, 0, 0, Decimal(0), 0, Counter()])
    hours: Counter[tuple[date, int]] = Counter()
    skus: dict[tuple[date, int], list[Any]] = defaultdict(lambda: [0, 0, Decimal(0)])
    for at, _, nm_id, cancelled, b2b, amount, status in facts:
        local = at.astimezone(MSK)
        row, sku = days[local.date()], skus[(local.date(), nm_id)]
        row[0], row[1], row[2] = row[0] + 1, row[1] + cancelled, row[2] + b2b
        row[3] += 0 if cancelled else amount
        row[5][status] += 1
        hours[(local.date(), local.hour)] += 1
        sku[0], sku[1], sku[2] = sku[0] + 1, sku[1] + cancelled, sku[2] + (0 if cancelled else amount)
    for (c, _), s in t.sales.items():
        stat = t.stat_orders.get((c, s.srid))
        delivery = "fbw" if stat and stat.warehouse_type == FBW_WAREHOUSE_TYPE else "fbs"
        if s.sale_id.startswith("R") and delivery in deliveries:
            days[s.date.astimezone(MSK).date()][4] += 1
    return (
        [(d, *row[:5], dict(+row[5])) for d, row in sorted(days.items())],
        sorted((d, h, n) for (d, h), n in hours.items()),
        [(d, nm, *v) for (d, nm), v in sorted(skus.items())],
    )


def as_tuples(got: tuple[list[Any], ...]) -> tuple[list[tuple[Any, ...]], ...]:
    days, hours, skus = got
    names = [*(s.value for s in SupplierStatus), "unknown"]

    def statuses(counts: Any) -> dict[Any, int]:
        by_name = {n: getattr(counts, n) for n in names}
        return {(None if n == "unknown" else SupplierStatus(n)): v for n, v in by_name.items() if v}

    return (
        [(d.day, d.orders, d.cancelled, d.b2b, d.revenue, d.returns, statuses(d.statuses)) for d in days],
        [(h.day, h.hour, h.orders) for h in hours],
        [(s.day, s.nm_id, s.orders, s.cancelled, s.revenue) for s in skus],
    )


STATUSES = st.sampled_from(
    [
        (SupplierStatus.NEW, WbStatus.WAITING),
        (SupplierStatus.CONFIRM, WbStatus.SORTED),
        (SupplierStatus.COMPLETE, WbStatus.SOLD),
        (SupplierStatus.CANCEL, WbStatus.CANCELED),
        (SupplierStatus.CONFIRM, WbStatus.CANCELED_BY_CLIENT),
        (SupplierStatus.CANCEL_CARRIER, WbStatus.CANCELED_BY_CARRIER),
    ]
)


class Script:
    """WB's side of a random history: orders appear, statistics arrive late (a minute either side of the
    order, so across Moscow midnight at times), get cancelled, statuses move, items are returned."""

    def __init__(self, w: World, cab: UUID) -> None:
        self.w, self.cab = w, cab
        self.fbs: list[Any] = []
        self.fbw: list[str] = []
        self.pending: list[tuple[str, datetime, int]] = []
        self.n = 0

    def now(self) -> datetime:
        return self.w.clock.now()

    def add_order(self, data: st.DataObject) -> None:
        self.n += 1
        created = self.now() - timedelta(minutes=data.draw(st.integers(0, 50)))
        order = b.order(
            self.cab, self.n, created, nm_id=data.draw(st.sampled_from([1, 2, 3])),
            is_b2b=data.draw(st.booleans()), price=rub(data.draw(PRICES)),
            sale_price=data.draw(st.none() | PRICES.map(rub)),
        )  # fmt: skip
        self.fbs.append(order)
        (self.w.wb.new_orders if data.draw(st.booleans()) else self.w.wb.orders).append(order)

    def add_fbw(self, data: st.DataObject) -> None:
        self.n += 1
        srid = f"fbw{self.n}"
        at = self.now() - timedelta(minutes=data.draw(st.sampled_from([0, 50, 1500])))
        self.fbw.append(srid)
        nm_id = data.draw(st.sampled_from([1, 4]))
        if data.draw(st.booleans()):  # published at once, or later than its returns may be
            self.put_stat(srid, at, warehouse_type=FBW_WAREHOUSE_TYPE, nm_id=nm_id)
        else:
            self.pending.append((srid, at, nm_id))

    def publish(self, data: st.DataObject) -> None:
        for srid, at, nm_id in self.pending:
            self.put_stat(srid, at, warehouse_type=FBW_WAREHOUSE_TYPE, nm_id=nm_id)
        self.pending.clear()

    def put_stat(self, srid: str, at: datetime, **kw: Any) -> None:
        rows = self.w.wb.stat_rows
        old = next((r for r in rows if r.srid == srid), None)
        base = (
            {}
            if old is None
            else {"date": old.date, "warehouse_type": old.warehouse_type, "nm_id": old.nm_id}
        )
        rows[:] = [r for r in rows if r.srid != srid]
        rows.append(b.stat_order(self.cab, srid, self.now(), **{"date": at, **base, **kw}))

    def stat_for_order(self, data: st.DataObject) -> None:
        if self.fbs:
            o = data.draw(st.sampled_from(self.fbs))
            # WB's statistics date of an FBS order is its creation time give or take seconds; hours here
            # too, so that it often falls on another Moscow day than the order, which counts on its own.
            shift = timedelta(seconds=data.draw(st.sampled_from([-7200, -90, 0, 30, 7200])))
            self.put_stat(o.rid, o.created_at + shift, price_with_disc=rub(data.draw(PRICES)))

    def cancel_stat(self, data: st.DataObject) -> None:
        srids = [r.srid for r in self.w.wb.stat_rows]
        if srids:
            srid = data.draw(st.sampled_from(srids))
            self.put_stat(srid, self.now(), is_cancel=True, cancel_date=self.now())

    def move_status(self, data: st.DataObject) -> None:
        if self.fbs:
            o = data.draw(st.sampled_from(self.fbs))
            supplier, wb = data.draw(STATUSES)
            self.w.wb.statuses[o.order_id] = FbsStatus(o.order_id, supplier, wb)

    def add_sale(self, data: st.DataObject) -> None:
        srids = [o.rid for o in self.fbs] + self.fbw
        if srids:
            self.n += 1
            prefix = data.draw(st.sampled_from("RRS"))
            at = self.now() - timedelta(minutes=data.draw(st.sampled_from([0, 60, 1440, 4000])))
            row = b.sale(self.cab, f"{prefix}{self.n}", self.now(), srid=data.draw(st.sampled_from(srids)))
            self.w.wb.sale_rows.append(b.sale(self.cab, row.sale_id, self.now(), srid=row.srid, date=at))


ACTIONS = (
    "add_order", "add_order", "add_fbw", "publish", "stat_for_order", "cancel_stat", "move_status",
    "add_sale",
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_rollups_equal_a_recomputation_from_the_orders_after_any_sequence_of_syncs(
    data: st.DataObject,
) -> None:
    w = World(clock=ManualClock(START), settings=SyncSettings(fbs_page_limit=3, stats_min_interval_s=0))
    cab = await w.cabinet()
    script = Script(w, cab)
    poll = PollNewOrders(w.uow, w.wb, w.box, w.clock, w.lock, w.settings)
    for _ in range(data.draw(st.integers(1, 10))):
        for action in data.draw(st.lists(st.sampled_from(ACTIONS), max_size=8)):
            getattr(script, action)(data)
        if data.draw(st.booleans()):
            await w.sync(cab)
        else:
            await poll(cab)
        w.wb.orders += w.wb.new_orders  # /orders/new lists an order until it is picked up, not forever
        w.wb.new_orders.clear()
        w.clock.advance(minutes=data.draw(st.sampled_from([5, 60, 600, 1500, 2880])))
    for deliveries in (FBS_ONLY, frozenset({"fbw"}), DELIVERIES):
        assert as_tuples(await rollups(w, cab, deliveries)) == recomputed(w, cab, deliveries)


@pytest.fixture
async def synced() -> tuple[World, UUID]:
    w = World()
    cab = await w.cabinet()
    now = w.clock.now()
    w.wb.orders = [b.order(cab, 1, now - timedelta(hours=30)), b.order(cab, 2, now - timedelta(hours=2))]
    w.wb.stat_rows = [b.stat_order(cab, "fbw-1", now, warehouse_type=FBW_WAREHOUSE_TYPE)]
    w.wb.sale_rows = [b.sale(cab, "R1", now, srid="fbw-1")]
    await w.sync(cab)
    return w, cab


async def test_a_sync_keeps_the_rollups_of_what_it_stored(synced: tuple[World, UUID]) -> None:
    w, cab = synced
    days, hours, _ = await rollups(w, cab, DELIVERIES)
    assert [(d.orders, d.returns, d.revenue) for d in days] == [
        (1, 0, Decimal("500.00")),
        (2, 1, Decimal("1000.00")),
    ]
    assert sum(h.orders for h in hours) == 3


async def test_rebuild_recomputes_every_cabinet_and_changes_nothing_when_current(
    synced: tuple[World, UUID],
) -> None:
    w, cab = synced
    before = await rollups(w, cab, DELIVERIES)
    for table in ("rollup_days", "rollup_hours", "rollup_sku_days"):
        getattr(w.uow.store.tables, table).clear()  # rows lost: only a rebuild brings them back
    assert (await rollups(w, cab, DELIVERIES))[0] == []
    rebuilt = await RebuildRollups(w.uow)()
    assert [(r.cabinet_id, r.days) for r in rebuilt] == [(cab, 2)]
    assert await rollups(w, cab, DELIVERIES) == before
    assert [r.days for r in await RebuildRollups(w.uow)(cab)] == [2]
    assert await rollups(w, cab, DELIVERIES) == before


async def test_rebuild_of_an_unknown_cabinet_is_not_found(synced: tuple[World, UUID]) -> None:
    with pytest.raises(NotFound):
        await RebuildRollups(synced[0].uow)(uuid4())
