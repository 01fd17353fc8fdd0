"""DeliverNotifications on the in-memory outbox and bot: sent once, retried on the schedule, dead-lettered
with the reason, a bad one skipped without stopping the others, a dead worker's claims delivered later."""

import uuid
from datetime import UTC, datetime, timedelta

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.memory.bot import RecordingBot
from adapters.outbound.memory.clock import ManualClock
from application.notifications.deliver import DeliverNotifications, DeliverySettings
from application.notifications.outbox import record_events
from application.ports.notifications import DeliveryResult, NewNotification, OutgoingNotification
from domain.events import DomainEvent, EventType
from domain.identity import Cabinet, Membership, Role, User
from domain.notifications import DeliveryStatus, NotificationSettings
from domain.wb_token import WbCategory

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SCHEDULE = (10.0, 60.0, 600.0)


class World:
    def __init__(self, bot: RecordingBot | None = None, **settings: object) -> None:
        self.clock = ManualClock(T0)
        self.uow = InMemoryUnitOfWorkFactory(clock=self.clock)
        self.bot = bot or RecordingBot()
        self.settings = NotificationSettings(**settings)  # type: ignore[arg-type]
        self.cabinet_id = uuid.uuid4()
        self.deliver = DeliverNotifications(
            self.uow, self.bot, self.clock, DeliverySettings(batch=10, retry_schedule_s=SCHEDULE)
        )

    async def setup(self, members: int = 1) -> list[int]:
        cabinet = Cabinet(
            id=self.cabinet_id, name="Shop", key_fingerprint="f" * 64, seller_id="s1",
            token_expires_at=T0 + timedelta(days=100), categories=frozenset({WbCategory.MARKETPLACE}),
            read_only=True, created_at=T0,
        )  # fmt: skip
        ids = []
        async with self.uow() as uow:
            await uow.cabinets.add(cabinet, b"key")
            for n in range(members):
                user = await uow.users.add(User(telegram_id=500 + n, created_at=T0))
                assert user.id is not None
                await uow.memberships.add(Membership(user.id, self.cabinet_id, Role.MEMBER, T0))
                await uow.notification_settings.add_if_missing(user.id, self.settings)
                ids.append(user.id)
            await uow.commit()
        return ids

    async def orders(self, *srids: str) -> None:
        events = [
            DomainEvent(
                EventType.NEW_ORDER, self.cabinet_id, s, self.clock.now(), {"srid": s, "price": "100.00"}
            )
            for s in srids
        ]
        async with self.uow() as uow:
            await record_events(uow, events, self.clock.now(), uuid.uuid4)
            await uow.commit()

    async def rows(self, user_id: int, status: DeliveryStatus | None = None) -> list:
        async with self.uow() as uow:
            return list((await uow.notifications.history(user_id, status, None, 1000, 0)).items)


def failing(status: int | None, retry_after: float | None = None) -> RecordingBot:
    return RecordingBot(lambda _: DeliveryResult(False, status, 3, f"HTTP {status}", retry_after))


async def test_each_member_gets_each_notification_once_with_the_telegram_text() -> None:
    w = World()
    users = await w.setup(members=2)
    await w.orders("a", "b")
    report = await w.deliver()
    assert report.sent == 4 and report.retried == report.dead == 0
    assert sorted((n.telegram_id, n.data["srid"]) for n in w.bot.received) == [
        (500, "a"), (500, "b"), (501, "a"), (501, "b"),
    ]  # fmt: skip
    assert all(n.telegram_text.startswith("📦") and not n.is_test for n in w.bot.received)
    assert await w.deliver() == type(report)()  # nothing left
    for user in users:
        assert {n.status for n in await w.rows(user)} == {DeliveryStatus.SENT}


async def test_a_bot_down_ten_minutes_then_back_gets_everything_once() -> None:
    w = World(bot=failing(503))
    (user,) = await w.setup()
    await w.orders("a", "b")
    assert (await w.deliver()).retried == 2
    for _ in range(3):  # ten minutes of retries, all failing
        w.clock.advance(seconds=200)
        await w.deliver()
    w.bot.answer = lambda _: DeliveryResult(True, 200, 1)
    w.clock.advance(seconds=600)
    await w.deliver()
    assert sorted(n.data["srid"] for n in w.bot.received) == ["a", "b"]
    rows = await w.rows(user)
    assert {n.status for n in rows} == {DeliveryStatus.SENT}
    async with w.uow() as uow:
        attempts = await uow.notifications.attempts_for([n.id for n in rows])
    assert [a.http_status for a in attempts].count(503) >= 4 and [a.http_status for a in attempts].count(
        200
    ) == 2


async def test_a_bot_that_never_recovers_leaves_dead_letters_with_the_reason() -> None:
    w = World(bot=failing(502))
    (user,) = await w.setup()
    await w.orders("a")
    for _ in range(len(SCHEDULE) + 1):
        await w.deliver()
        w.clock.advance(seconds=max(SCHEDULE))
    (row,) = await w.rows(user)
    assert row.status is DeliveryStatus.FAILED and row.attempts == len(SCHEDULE) + 1
    assert row.last_error == f"gave up after {len(SCHEDULE) + 1} attempts: HTTP 502"
    assert w.bot.calls == len(SCHEDULE) + 1


async def test_a_429_retry_after_is_honoured() -> None:
    w = World(bot=failing(429, retry_after=300))
    (user,) = await w.setup()
    await w.orders("a")
    await w.deliver()
    (row,) = await w.rows(user)
    assert row.next_attempt_at == T0 + timedelta(seconds=300)  # not the schedule's 10 s


async def test_a_permanent_refusal_is_dead_lettered_at_once() -> None:
    w = World(bot=failing(400))
    (user,) = await w.setup()
    await w.orders("a")
    assert (await w.deliver()).dead == 1
    assert (await w.rows(user))[0].status is DeliveryStatus.FAILED


async def test_one_unformattable_notification_does_not_stop_the_others() -> None:
    w = World()
    (user,) = await w.setup()
    bad = NewNotification(
        id=uuid.uuid4(), user_id=user, telegram_id=500, type="no_such_type", data={}, created_at=T0,
        next_attempt_at=T0,
    )  # fmt: skip
    async with w.uow() as uow:
        await uow.notifications.add_many([bad])
        await uow.commit()
    await w.orders("a", "b")
    report = await w.deliver()
    assert (report.sent, report.dead) == (2, 1)
    failed = await w.rows(user, DeliveryStatus.FAILED)
    assert [n.id for n in failed] == [bad.id] and "cannot be formatted" in (failed[0].last_error or "")


async def test_a_worker_that_dies_after_claiming_delivers_after_the_lease() -> None:
    w = World()
    await w.setup()
    await w.orders("a")
    async with w.uow() as uow:  # a worker claims, commits, and dies before sending
        (claimed,) = await uow.notifications.claim_due(T0, 10, T0 + timedelta(minutes=2))
        await uow.commit()
    assert (await w.deliver()).sent == 0
    w.clock.advance(minutes=2)
    assert (await w.deliver()).sent == 1
    assert [n.id for n in w.bot.received] == [claimed.id]


async def test_a_burst_is_one_summary_when_its_window_ends() -> None:
    w = World(max_group_size=2, group_timeout=60)
    (user,) = await w.setup()
    await w.orders(*[f"s{n}" for n in range(6)])
    assert (await w.deliver()).sent == 2
    w.clock.advance(seconds=60)
    assert (await w.deliver()).sent == 1
    summary = w.bot.received[-1]
    assert summary.data["count"] == 4 and len(summary.data["items"]) == 4
    assert "4" in summary.telegram_text
    (stored,) = [n for n in await w.rows(user) if n.is_summary]
    assert stored.status is DeliveryStatus.SENT and stored.data["count"] == 4


async def test_the_body_is_stable_across_retries() -> None:
    seen: list[OutgoingNotification] = []

    def flaky(n: OutgoingNotification) -> DeliveryResult:
        seen.append(n)
        return DeliveryResult(len(seen) > 1, 200 if len(seen) > 1 else 500, 1)

    w = World(bot=RecordingBot(flaky))
    await w.setup()
    await w.orders("a")
    await w.deliver()
    w.clock.advance(seconds=10)
    await w.deliver()
    first, second = seen
    assert first == second  # same id, timestamp, text: the receiver dedupes by id
