"""SyncCabinet against a scripted WB: complete, idempotent, resumable, and quiet on the first backfill."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from application.errors import WbAuthError, WbRateLimited, WbUnavailable
from application.use_cases.cabinet_data_health import CabinetDataHealth
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.sync_cabinet import SyncCabinet
from application.use_cases.sync_support import SyncSettings
from domain.events import EventType
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.fakes import (
    T0,
    FakeClock,
    FakeLock,
    FakeSecretBox,
    FakeUnitOfWorkFactory,
    FakeWbSellerApi,
    add_cabinet,
    add_user,
    wb_key,
)

DATA_TABLES = ("orders", "history", "stat_orders", "sales", "stocks", "reviews", "claims", "events")
SMALL = SyncSettings(fbs_page_limit=2, stocks_page_size=2, feedbacks_take=2, claims_limit=2)


class World:
    def __init__(self) -> None:
        self.uow, self.wb, self.clock, self.lock = (
            FakeUnitOfWorkFactory(),
            FakeWbSellerApi(),
            FakeClock(),
            FakeLock(),
        )
        self.wb.stat_cap = 4
        self.sync = SyncCabinet(self.uow, self.wb, FakeSecretBox(), self.clock, self.lock, SMALL, uuid4)
        self.cab: UUID

    async def connect(self) -> None:
        add_user(self.uow.store, 111)
        connect = ConnectCabinet(self.uow, self.wb, FakeSecretBox(), self.clock, uuid4)
        self.cab = (await connect(111, wb_key(), "Shop")).cabinet.id
        self.wb.calls.clear()

    def script_history(self) -> None:
        cab, day = self.cab, timedelta(days=1)
        self.wb.orders = [b.order(cab, i, T0 - i * day) for i in range(1, 6)]
        self.wb.new_orders = [b.order(cab, 6, T0 - timedelta(minutes=5))]
        self.wb.statuses = {i: b.status(i, S.NEW, W.WAITING) for i in range(1, 7)}
        self.wb.statuses[5] = b.status(5, S.CANCEL, W.CANCELED)
        ts = [T0 - 3 * day, T0 - 3 * day, T0 - 3 * day, T0 - 2 * day, T0 - 2 * day, T0 - day, T0 - day]
        self.wb.stat_rows = [b.stat_order(cab, f"srid{i}", t) for i, t in enumerate(ts)]
        self.wb.sale_rows = [b.sale(cab, f"S{i}", t) for i, t in enumerate(ts[:4])] + [
            b.sale(cab, "R9", ts[5])
        ]
        self.wb.stock_rows = [b.stock(cab, n) for n in (1, 2, 3)]
        self.wb.reviews = {
            False: [b.review(cab, f"u{i}", T0 - day) for i in range(3)],
            True: [b.review(cab, "a1", T0 - day)],
            None: [b.review(cab, "old", T0 - 9 * day)],
        }
        self.wb.claim_rows = {False: [b.claim(cab, "c1")], True: [b.claim(cab, f"c{i}") for i in range(2, 5)]}

    def snapshot(self) -> dict[str, dict]:
        return {t: dict(self.uow.store.tables[t]) for t in DATA_TABLES}

    def count(self, table: str) -> int:
        return len(self.uow.store.tables[table])


@pytest.fixture
async def w() -> World:
    world = World()
    await world.connect()
    world.script_history()
    return world


async def test_first_sync_stores_everything_and_sends_no_backfill_events(w: World) -> None:
    report = await w.sync(w.cab)
    assert all(s.error is None and s.skipped is None for s in report.sources), report
    assert [w.count(t) for t in ("orders", "stat_orders", "sales", "reviews", "claims")] == [6, 7, 5, 5, 4]
    assert len(w.uow.store.tables["stocks"][(w.cab,)]) == 3
    orders = w.uow.store.tables["orders"]
    assert orders[(w.cab, 5)].supplier_status is S.CANCEL and orders[(w.cab, 1)].wb_status is W.WAITING
    assert w.count("events") == 0


async def test_second_sync_with_nothing_new_writes_nothing(w: World) -> None:
    await w.sync(w.cab)
    before = w.snapshot()
    w.clock.advance(minutes=3)
    report = await w.sync(w.cab)
    assert all(s.error is None for s in report.sources)
    assert [s.written for s in report.sources] == [0] * 7
    assert w.snapshot() == before
    assert w.wb.count("feedbacks") > 0 and ("feedbacks", (None, 2, 0)) in w.wb.calls  # archive read once
    assert sum(1 for m, a in w.wb.calls if m == "feedbacks" and a[0] is None) == 1


async def test_things_after_the_first_sync_become_events(w: World) -> None:
    await w.sync(w.cab)
    w.clock.advance(minutes=3)
    now = w.clock.now()
    w.wb.new_orders.append(b.order(w.cab, 7, now - timedelta(minutes=1)))
    w.wb.statuses[7] = b.status(7, S.NEW, W.WAITING)
    w.wb.statuses[1] = b.status(1, S.CANCEL, W.CANCELED)
    w.wb.sale_rows.append(b.sale(w.cab, "R10", now))
    w.wb.reviews[False].append(b.review(w.cab, "fresh", now))
    await w.sync(w.cab)
    kinds = sorted((e.type.value, e.subject) for e in w.uow.store.tables["events"].values())
    assert kinds == [("negative_review", "fresh"), ("new_order", "7"), ("order_cancellation", "1"),
                     ("order_return", "R10")]  # fmt: skip


async def test_failure_mid_source_resumes_at_last_committed_page_without_duplicates(w: World) -> None:
    clean = World()
    await clean.connect()
    clean.script_history()
    await clean.sync(clean.cab)

    w.wb.fail["stat_sales"] = {2: WbUnavailable(503, "down")}
    report = await w.sync(w.cab)
    assert report.source("stat_sales").error is not None
    assert report.source("stocks").error is None and w.count("claims") == 4  # later sources still ran
    cursor = w.uow.store.tables["cursors"][(w.cab, "stat_sales")]
    assert cursor.cursor["last_change_date"] == (T0 - timedelta(days=2)).isoformat()  # page 1's max
    assert cursor.last_error and cursor.last_error_at == T0
    w.clock.advance(minutes=3)
    report = await w.sync(w.cab)
    assert report.source("stat_sales").error is None
    for table in ("sales", "stat_orders", "orders", "reviews", "claims"):
        assert sorted(k[1] for k in w.uow.store.tables[table]) == sorted(
            k[1] for k in clean.uow.store.tables[table]
        )
    assert w.uow.store.tables["cursors"][(w.cab, "stat_sales")].last_error is None


async def test_lock_held_elsewhere_does_nothing(w: World) -> None:
    w.lock.held.add(w.cab)
    report = await w.sync(w.cab)
    assert report.skipped == "already running" and w.wb.calls == [] and w.uow.store.commits == 1


async def test_rejected_key_invalidates_cabinet_and_stops(w: World) -> None:
    w.wb.fail["stat_orders"] = {1: WbAuthError(401, "token withdrawn")}
    report = await w.sync(w.cab)
    assert report.invalidated and w.wb.count("stocks") == 0
    assert not w.uow.store.tables["cabinets"][w.cab].is_active
    assert [e.type for e in w.uow.store.tables["events"].values()] == [EventType.CABINET_INVALID]
    again = await w.sync(w.cab)
    assert again.skipped == "cabinet is invalid"


async def test_rate_limited_source_backs_off_and_health_shows_it(w: World) -> None:
    w.wb.fail["claims"] = {1: WbRateLimited(120)}
    await w.sync(w.cab)
    health = {h.source: h for h in await CabinetDataHealth(w.uow)(w.cab)}
    assert health["claims"].backoff_until == T0 + timedelta(seconds=120) and health["claims"].last_error
    assert health["fbs_orders"].last_success_at == T0 and health["stocks"].rows_taken == 3
    w.clock.advance(seconds=60)
    report = await w.sync(w.cab)
    assert report.source("claims").skipped and w.wb.count("claims") == 1
    w.clock.advance(seconds=61)
    report = await w.sync(w.cab)
    assert report.source("claims").error is None and w.count("claims") == 4


async def test_sources_whose_category_the_key_lacks_are_skipped() -> None:
    uow, wb, clock = FakeUnitOfWorkFactory(), FakeWbSellerApi(), FakeClock()
    cab = add_cabinet(uow.store, frozenset({WbCategory.STATISTICS}))
    report = await SyncCabinet(uow, wb, FakeSecretBox(), clock, FakeLock(), SMALL, uuid4)(cab)
    ran = {s.source for s in report.sources if s.skipped is None}
    assert ran == {"stat_orders", "stat_sales"}
    assert {m for m, _ in wb.calls} == {"stat_orders", "stat_sales"}


async def test_key_expired_by_its_own_exp_invalidates_without_calling_wb(w: World) -> None:
    w.clock.advance(days=181)
    report = await w.sync(w.cab)
    assert report.invalidated and w.wb.calls == []
    assert [e.type for e in w.uow.store.tables["events"].values()] == [EventType.CABINET_INVALID]


async def test_illegal_move_reported_by_wb_is_still_recorded(w: World) -> None:
    w.wb.statuses[2] = b.status(2, S.COMPLETE, W.SORTED)
    await w.sync(w.cab)
    w.wb.statuses[2] = b.status(2, S.CONFIRM, W.SORTED)  # complete -> confirm: the table forbids it
    w.clock.advance(minutes=3)
    await w.sync(w.cab)
    assert w.uow.store.tables["orders"][(w.cab, 2)].supplier_status is S.CONFIRM  # WB is the truth
    history = [c for (cab, c) in w.uow.store.tables["history"] if c.order_id == 2]
    assert [(c.previous_supplier, c.supplier) for c in history] == [
        (None, S.COMPLETE),
        (S.COMPLETE, S.CONFIRM),
    ]


async def test_sold_order_is_final_and_no_longer_polled(w: World) -> None:
    await w.sync(w.cab)
    w.wb.statuses[2] = b.status(2, S.COMPLETE, W.SOLD)
    w.clock.advance(minutes=3)
    await w.sync(w.cab)
    assert ("order_buyout", "2") in {(e.type.value, e.subject) for e in w.uow.store.tables["events"].values()}
    w.wb.calls.clear()
    w.clock.advance(minutes=3)
    await w.sync(w.cab)
    polled = {i for m, a in w.wb.calls if m == "fbs_statuses" for i in a[0]}
    assert 2 not in polled and 5 not in polled and 1 in polled
