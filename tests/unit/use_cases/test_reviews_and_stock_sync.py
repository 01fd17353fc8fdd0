"""Reviews as WB files them (archive read on every sync down to a date cursor, edited versions told once)
and stock that runs out (a vanished row kept at zero, critical_stock candidates when a SKU's level falls,
each member told when their own threshold is crossed), through SyncCabinet."""

from datetime import timedelta
from uuid import UUID

import attrs
import pytest

from domain.events import EventType
from domain.notifications import DeliveryStatus, NotificationSettings
from domain.reviews import Review
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World, wb_key

DAY = timedelta(days=1)


@pytest.fixture
async def world() -> tuple[World, UUID]:
    w = World()
    return w, await w.cabinet()


async def told(w: World, cab: UUID, kind: EventType) -> list[tuple[str, dict]]:
    return [(e.event.subject, dict(e.event.payload)) for e in await w.events(cab) if e.event.type is kind]


def archive_reads(w: World) -> list[int]:
    return [a[2] for m, a in w.wb.calls if m == "feedbacks" and a[0] is None]


async def test_a_rating_only_review_filed_straight_into_the_archive_is_stored_and_told_once(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    w.wb.reviews = {None: [b.review(cab, "old", T0 - 9 * DAY)]}
    await w.sync(cab)
    w.clock.advance(minutes=3)
    one_star = attrs.evolve(b.review(cab, "silent", w.clock.now(), rating=1), text="")
    w.wb.reviews[None].insert(0, one_star)
    await w.sync(cab)
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert [s for s, _ in await told(w, cab, EventType.NEGATIVE_REVIEW)] == ["silent"]
    async with w.uow() as uow:
        assert await uow.reviews.ratings(cab, ["old", "silent"]) == {"old": 2, "silent": 1}


async def test_the_archive_is_read_newest_first_down_to_the_cursor_minus_the_overlap() -> None:
    w = World(settings=attrs.evolve(World().settings, feedbacks_take=2, feedbacks_archive_overlap_hours=24))
    cab = await w.cabinet()
    archive = [b.review(cab, f"r{i}", T0 - i * DAY) for i in range(10)]  # newest first, as WB sends it
    w.wb.reviews = {None: archive}
    await w.sync(cab)
    assert archive_reads(w) == [0, 2, 4, 6, 8, 10]  # the first sync reads it all
    w.wb.calls.clear()
    w.clock.advance(minutes=3)
    await w.sync(cab)
    # The newest seen is T0; its page reaches T0 - 1 day only with r2, on the second page.
    assert archive_reads(w) == [0, 2]


async def test_an_edit_of_a_known_review_is_not_news_unless_it_lowers_the_rating(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    w.wb.reviews = {False: [b.review(cab, "v1", T0 - DAY, rating=4)]}
    await w.sync(cab)
    w.clock.advance(minutes=3)
    now = w.clock.now()
    up = Review(cab, "v2", 42, 5, now, text="ok now", parent_id="v1")
    w.wb.reviews = {False: [up], None: [attrs.evolve(b.review(cab, "v1", T0 - DAY, rating=4), child_id="v2")]}
    await w.sync(cab)
    assert await told(w, cab, EventType.NEGATIVE_REVIEW) == []
    w.clock.advance(minutes=3)
    down = Review(cab, "v3", 42, 1, w.clock.now(), text="broke", parent_id="v2")
    w.wb.reviews = {False: [down], None: [attrs.evolve(up, child_id="v3"), w.wb.reviews[None][0]]}
    await w.sync(cab)
    events = await told(w, cab, EventType.NEGATIVE_REVIEW)
    assert [(s, p["rating"], p["previous_rating"], p["parent_review_id"]) for s, p in events] == [
        ("v3", 1, 5, "v2")
    ]


async def test_a_review_written_and_edited_between_two_syncs_is_told_once(world: tuple[World, UUID]) -> None:
    w, cab = world
    await w.sync(cab)
    w.clock.advance(minutes=3)
    now = w.clock.now()
    old = attrs.evolve(b.review(cab, "a", now - timedelta(minutes=2), rating=2), child_id="b")
    new = Review(cab, "b", 42, 3, now - timedelta(minutes=1), text="better", parent_id="a")
    w.wb.reviews = {False: [new], None: [old]}
    await w.sync(cab)
    await w.sync(cab)
    assert [s for s, _ in await told(w, cab, EventType.NEGATIVE_REVIEW)] == ["b"]


async def test_a_stock_row_that_vanishes_is_kept_at_zero_and_told_critical(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.stock_rows = [b.stock(cab, 1, 50), b.stock(cab, 2, 50)]
    await w.sync(cab)
    assert await told(w, cab, EventType.CRITICAL_STOCK) == []
    w.clock.advance(minutes=3)
    w.wb.stock_rows = [b.stock(cab, 1, 50)]  # nm 2 sold out: WB leaves its row out
    await w.sync(cab)
    async with w.uow() as uow:
        assert await uow.stocks.quantities_by_nm(cab) == {1: 50, 2: 0}
        assert await uow.stocks.count(cab) == 2
    events = await told(w, cab, EventType.CRITICAL_STOCK)
    facts = [(p["nm_id"], p["quantity"], p["days_left"], p["level"], p["previous_level"]) for _, p in events]
    assert facts == [(2, 0, "0.00", 0, None)]
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert len(await told(w, cab, EventType.CRITICAL_STOCK)) == 1  # still sold out: nothing new


async def test_what_the_first_snapshot_finds_critical_is_not_news(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.stock_rows = [b.stock(cab, 1, 0), b.stock(cab, 2, 50)]
    await w.sync(cab)
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert await told(w, cab, EventType.CRITICAL_STOCK) == []
    async with w.uow() as uow:
        assert await uow.stocks.alert_levels(cab) == {1: 0, 2: None}


async def test_stock_is_critical_when_it_lasts_at_most_14_days_at_the_30_day_order_rate(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    at = T0 - 5 * DAY
    # nm 1: 30 orders in 30 days (1 a day), 14 in stock -> 14 days: critical. nm 2: 15 in stock -> not.
    # nm 3: 30 orders but 20 of them cancelled -> 10 in 30 days, 4 in stock -> 12 days: critical.
    rows = [b.stat_order(cab, f"a{i}", at, nm_id=1) for i in range(30)]
    rows += [b.stat_order(cab, f"b{i}", at, nm_id=2) for i in range(30)]
    rows += [b.stat_order(cab, f"c{i}", at, nm_id=3, is_cancel=i < 20, cancel_date=at) for i in range(30)]
    rows += [b.stat_order(cab, f"d{i}", T0 - 31 * DAY, nm_id=4) for i in range(30)]  # outside the window
    w.wb.stat_rows = rows
    w.wb.stat_cap = 1000
    w.wb.stock_rows = [b.stock(cab, n, 500) for n in (1, 2, 3, 4)]
    await w.sync(cab)  # the first snapshot only sets the levels
    w.clock.advance(minutes=3)
    w.wb.stock_rows = [b.stock(cab, 1, 14), b.stock(cab, 2, 15), b.stock(cab, 3, 4), b.stock(cab, 4, 1)]
    await w.sync(cab)
    events = await told(w, cab, EventType.CRITICAL_STOCK)
    assert sorted((p["nm_id"], p["days_left"], p["level"]) for _, p in events) == [
        (1, "14.00", 14),
        (3, "12.00", 14),
    ]


async def stock_news(w: World, telegram_id: int) -> list[tuple[object, object]]:
    """The critical-stock notifications a member is to be told, oldest first: (level, previous level)."""
    async with w.uow() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        assert user is not None and user.id is not None
        page = await uow.notifications.history(user.id, DeliveryStatus.PENDING, "critical_stocks", 100, 0)
    return [(n.data["level"], n.data["previous_level"]) for n in reversed(page.items)]


async def set_stock_days(w: World, telegram_id: int, days: int) -> None:
    async with w.uow() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        assert user is not None and user.id is not None
        await uow.notification_settings.save(user.id, NotificationSettings(stock_analysis_days=days))
        await uow.commit()


async def test_each_member_is_told_once_per_crossing_of_their_own_threshold(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    await w.user(222)
    await w.connect(222, wb_key("seller-1"), "seller-1")
    await set_stock_days(w, 111, 3)
    await set_stock_days(w, 222, 14)
    w.wb.stat_rows = [b.stat_order(cab, f"o{i}", T0 - 5 * DAY) for i in range(30)]  # nm 1: one a day
    w.wb.stat_cap = 1000
    # nm 1's stock at each sync: 100 days, 10 days, 2 days, sold out twice, 50 days, 2 days again.
    for quantity in (100, 10, 2, 0, 0, 50, 2):
        w.wb.stock_rows = [b.stock(cab, 1, quantity)]
        await w.sync(cab)
        w.clock.advance(minutes=3)
    # 3 days: hears 10 → 2 days and, after the recovery, 50 → 2 days; not 2 days → sold out.
    assert await stock_news(w, 111) == [(3, 10), (3, None)]
    # 14 days: hears 100 → 10 days, then nothing until the recovery, and 50 → 2 days.
    assert await stock_news(w, 222) == [(10, None), (3, None)]
