"""hypothesis: for random sequences of WB snapshots and member settings, the notifications the bot receives
equal an oracle's: nothing lost, nothing twice, nothing to a member who turned it off, nothing from the
first sync's backfill (sync + fan-out + delivery, on the in-memory adapters)."""

from collections import Counter
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.outbound.memory.bot import RecordingBot
from application.notifications.deliver import DeliverNotifications
from domain.notifications import NotificationSettings
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.reviews import is_negative
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import World, wb_key

Told = tuple[int, str, str]  # telegram id, type, subject (srid or review id)

member_settings = st.fixed_dictionaries(
    {
        "notifications_enabled": st.booleans(),
        "new_orders_enabled": st.booleans(),
        "order_buyouts_enabled": st.booleans(),
        "order_cancellations_enabled": st.booleans(),
        "negative_reviews_enabled": st.booleans(),
        "review_rating_threshold": st.integers(0, 5),
        "grouping_enabled": st.booleans(),
        "max_group_size": st.integers(1, 3),
        "group_timeout": st.integers(1, 300),
    }
)
step = st.fixed_dictionaries(
    {
        "new": st.integers(0, 3),
        "cancel": st.lists(st.integers(0, 50), max_size=2),
        "sell": st.lists(st.integers(0, 50), max_size=2),
        "reviews": st.lists(st.integers(1, 5), max_size=3),
    }
)


def expected(
    members: dict[int, NotificationSettings], kind: str, subject: str, rating: int = 0
) -> list[Told]:
    toggle = {
        "new_order": "new_orders_enabled",
        "order_cancellation": "order_cancellations_enabled",
        "order_buyout": "order_buyouts_enabled",
        "negative_review": "negative_reviews_enabled",
    }[kind]
    out = []
    for telegram_id, s in members.items():
        if not (s.notifications_enabled and getattr(s, toggle)):
            continue
        if kind == "negative_review" and not is_negative(rating, s.review_rating_threshold):
            continue
        out.append((telegram_id, kind, subject))
    return out


def received(bot: RecordingBot) -> list[Told]:
    told: list[Told] = []
    for n in bot.received:
        items: list[dict[str, Any]] = list(n.data["items"]) if "items" in n.data else [dict(n.data)]
        for item in items:
            subject = item.get("review_id") or item.get("srid")
            told.append((n.telegram_id, n.type, str(subject)))
    return told


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(member_settings, min_size=1, max_size=3), st.lists(step, min_size=1, max_size=5))
async def test_notifications_sent_equal_the_oracle(
    raw: list[dict[str, Any]], steps: list[dict[str, Any]]
) -> None:
    w = World()
    bot = RecordingBot()
    deliver = DeliverNotifications(w.uow, bot, w.clock)
    cab = await w.cabinet(telegram_id=1000)
    telegram_ids = [1000 + i for i in range(len(raw))]
    for tid in telegram_ids[1:]:
        await w.user(tid)
        await w.connect(tid, wb_key("seller-1"), "seller-1")
    members = {tid: NotificationSettings(**r) for tid, r in zip(telegram_ids, raw, strict=True)}
    async with w.uow() as uow:
        for tid, s in members.items():
            user = await uow.users.get_by_telegram_id(tid)
            assert user is not None and user.id is not None
            await uow.notification_settings.save(user.id, s)
        await uow.commit()
    # Backfill: orders and a review already there before the first sync are never told.
    now = w.clock.now()
    old = [b.order(cab, i, now - timedelta(days=1)) for i in (1, 2)]
    w.wb.orders, w.wb.new_orders = list(old), list(old)
    w.wb.statuses = {o.order_id: b.status(o.order_id, S.NEW, W.WAITING) for o in old}
    w.wb.reviews[False] = [b.review(cab, "old-review", now - timedelta(days=1), rating=1)]
    await w.sync(cab)
    oracle: list[Told] = []
    active: list[int] = []
    next_id = 100
    for n, todo in enumerate(steps):
        w.clock.advance(minutes=10)
        now = w.clock.now()
        for picks, supplier, wb_status, kind in (
            (todo["cancel"], S.CANCEL, W.CANCELED, "order_cancellation"),
            (todo["sell"], S.COMPLETE, W.SOLD, "order_buyout"),
        ):
            for pick in picks:
                if not active:
                    break
                order_id = active.pop(pick % len(active))
                w.wb.statuses[order_id] = b.status(order_id, supplier, wb_status)
                w.wb.new_orders = [o for o in w.wb.new_orders if o.order_id != order_id]
                oracle += expected(members, kind, f"rid{order_id}")
        for _ in range(todo["new"]):
            order = b.order(cab, next_id, now - timedelta(minutes=1))
            w.wb.orders.append(order)
            w.wb.new_orders.append(order)
            w.wb.statuses[next_id] = b.status(next_id, S.NEW, W.WAITING)
            oracle += expected(members, "new_order", f"rid{next_id}")
            active.append(next_id)
            next_id += 1
        for i, rating in enumerate(todo["reviews"]):
            review_id = f"r{n}-{i}"
            w.wb.reviews[False].append(b.review(cab, review_id, now - timedelta(minutes=1), rating=rating))
            oracle += expected(members, "negative_review", review_id, rating)
        await w.sync(cab)
        await deliver()
    w.clock.advance(seconds=301)  # every open summary's window has ended
    await deliver()
    ours = Counter(t for t in received(bot) if t[1] != "sync_completed")
    assert ours == Counter(oracle)
    assert len(bot.unique_ids) == len(bot.received)  # no notification delivered twice
