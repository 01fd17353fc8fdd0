"""What the sync tells about the cabinet itself (issue 9, point 1): "your data is ready" once, at the end of
a newly connected cabinet's first sync, to the members of that moment and with nothing else from that sync;
and a key about to expire, warned 7 days and 1 day before, once per key and threshold."""

from datetime import timedelta
from uuid import UUID

from application.ports.wb import WbUnavailable
from domain.notifications import DeliveryStatus, NotificationSettings, Suppression
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World, wb_key

DAY = timedelta(days=1)


async def user_id(w: World, telegram_id: int) -> int:
    async with w.uow() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
    assert user is not None and user.id is not None
    return user.id


async def join(w: World, telegram_id: int, settings: NotificationSettings, key: str = wb_key()) -> None:
    await w.user(telegram_id)
    await w.connect(telegram_id, key, "seller-1")
    async with w.uow() as uow:
        await uow.notification_settings.save(await user_id(w, telegram_id), settings)
        await uow.commit()


async def notifications(
    w: World, telegram_id: int, status: DeliveryStatus | None = None
) -> list[tuple[str, dict[str, object]]]:
    """(type, data) of the member's notifications, oldest first."""
    async with w.uow() as uow:
        page = await uow.notifications.history(await user_id(w, telegram_id), status, None, 100, 0)
    return [(n.type, dict(n.data)) for n in reversed(page.items)]


def script_history(w: World, cab: UUID) -> None:
    """A cabinet with a past, including stock already sold out or low when it is connected."""
    w.wb.orders = [b.order(cab, i, T0 - i * DAY) for i in (1, 2)]
    w.wb.stat_rows = [b.stat_order(cab, f"s{i}", T0 - 2 * DAY) for i in range(30)]  # nm 1: one a day
    w.wb.sale_rows = [b.sale(cab, "S1", T0 - DAY), b.sale(cab, "R2", T0 - DAY)]
    w.wb.stock_rows = [b.stock(cab, 1, 2), b.stock(cab, 2, 0), b.stock(cab, 3, 500)]
    w.wb.reviews = {False: [b.review(cab, "bad", T0 - DAY, rating=1)]}
    w.wb.claim_rows = {False: [b.claim(cab, "c1")]}
    w.wb.stat_cap = 1000


async def test_the_first_sync_tells_each_member_only_that_the_data_is_ready_with_its_counts() -> None:
    w = World()
    cab = await w.cabinet(telegram_id=111)
    await join(w, 222, NotificationSettings(critical_stocks_enabled=False, new_orders_enabled=False))
    await join(w, 333, NotificationSettings(notifications_enabled=False))
    script_history(w, cab)
    await w.sync(cab)
    counts = {"orders": 2, "stat_orders": 30, "sales": 2, "reviews": 1, "stocks": 3, "claims": 1}
    for member in (111, 222):  # whatever their toggles
        told = await notifications(w, member, DeliveryStatus.PENDING)
        assert [(kind, {k: data[k] for k in counts}) for kind, data in told] == [("sync_completed", counts)]
    async with w.uow() as uow:
        off = await uow.notifications.history(await user_id(w, 333), None, None, 100, 0)
    assert [(n.type, n.status, n.reason) for n in off.items] == [
        ("sync_completed", DeliveryStatus.SUPPRESSED, Suppression.NOTIFICATIONS_DISABLED)
    ]

    w.clock.advance(minutes=3)
    await w.sync(cab)  # not the first any more: nothing new, not even a second "data is ready"
    for member in (111, 222, 333):
        assert [kind for kind, _ in await notifications(w, member)] == ["sync_completed"]


async def test_a_member_who_joins_after_the_first_sync_is_not_told_it() -> None:
    w = World()
    cab = await w.cabinet(telegram_id=111)
    await w.sync(cab)
    await join(w, 222, NotificationSettings())
    w.clock.advance(minutes=3)
    await w.sync(cab)
    assert [kind for kind, _ in await notifications(w, 111)] == ["sync_completed"]
    assert await notifications(w, 222) == []


async def test_a_first_sync_where_no_source_finished_leaves_it_to_the_next_one() -> None:
    w = World()
    cab = await w.cabinet(telegram_id=111, categories=[WbCategory.STATISTICS])
    w.wb.fail = {m: {1: WbUnavailable(503, "down")} for m in ("stat_orders", "stat_sales")}
    report = await w.sync(cab)
    assert [s.source for s in report.sources if s.error] == ["stat_orders", "stat_sales"]
    assert await notifications(w, 111) == []
    w.clock.advance(minutes=3)
    await w.sync(cab)  # WB is back: this is the first sync that finished a source
    assert [kind for kind, _ in await notifications(w, 111)] == ["sync_completed"]


async def test_a_key_is_warned_a_week_and_a_day_before_it_expires_and_a_new_key_starts_over() -> None:
    w = World()
    await w.user(111)
    cab = (await w.connect(111, wb_key(exp=T0 + 8 * DAY), "seller-1")).cabinet.id
    await w.sync(cab)  # 8 days left: not yet
    assert [kind for kind, _ in await notifications(w, 111)] == ["sync_completed"]

    w.clock.advance(days=1.5)  # 6.5 days left
    await w.sync(cab)
    w.clock.advance(hours=1)
    await w.sync(cab)  # warned once per threshold
    w.clock.advance(days=5, hours=23)  # 12 hours left
    await w.sync(cab)
    warnings = [data for kind, data in await notifications(w, 111) if kind == "token_expiring"]
    assert [(d["days_left"], d["expires_at"]) for d in warnings] == [
        (6, (T0 + 8 * DAY).isoformat()),
        (0, (T0 + 8 * DAY).isoformat()),
    ]

    w.clock.advance(minutes=3)
    new_expiry = w.clock.now() + 3 * DAY  # a newer key of the seller replaces the stored one
    await w.connect(111, wb_key(exp=new_expiry), "seller-1")
    await w.sync(cab)
    warnings = [data for kind, data in await notifications(w, 111) if kind == "token_expiring"]
    assert [(d["days_left"], d["expires_at"]) for d in warnings][2:] == [(3, new_expiry.isoformat())]


async def test_a_key_connected_three_days_before_expiry_is_warned_at_seven_days_only_then_at_one() -> None:
    w = World()
    await w.user(111)
    cab = (await w.connect(111, wb_key(exp=T0 + 3 * DAY), "seller-1")).cabinet.id
    for _ in range(3):  # 3, 2 and 1 day(s) left
        await w.sync(cab)
        w.clock.advance(days=1)
    warnings = [data["days_left"] for kind, data in await notifications(w, 111) if kind == "token_expiring"]
    assert warnings == [3, 1]


async def test_an_expired_key_is_not_warned_of_but_invalidates_the_cabinet() -> None:
    w = World()
    await w.user(111)
    cab = (await w.connect(111, wb_key(exp=T0 + 10 * DAY), "seller-1")).cabinet.id
    w.clock.advance(days=10)
    report = await w.sync(cab)
    assert report.invalidated
    assert [kind for kind, _ in await notifications(w, 111)] == ["cabinet_invalid"]
