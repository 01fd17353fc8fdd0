"""One contract for the notification outbox (fan-out, claims, grouping, the delivery log), run against the
in-memory fake and against Postgres (a database of each test alone: claims look at every row)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.notifications.outbox import record_events
from application.ports.notifications import DeliveryAttempt, NewNotification
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.events import DomainEvent, EventType
from domain.identity import Membership, Role, User
from domain.notifications import DeliveryStatus, NotificationSettings, Suppression
from tests.integration.builders import stored_cabinet

T0 = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@attrs.frozen
class Backend:
    name: str
    uow: UnitOfWorkFactory


@pytest.fixture(params=["memory", "postgres"])
async def ob(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        yield Backend("memory", InMemoryUnitOfWorkFactory())
        return
    engine = create_engine(request.getfixturevalue("own_database_url"), pool_size=4)
    try:
        yield Backend("postgres", PostgresUnitOfWorkFactory(engine))
    finally:
        await engine.dispose()


async def member(ob: Backend, cabinet_id: uuid.UUID, telegram_id: int, **settings: object) -> int:
    async with ob.uow() as uow:
        user = await uow.users.add(User(telegram_id=telegram_id, created_at=T0))
        assert user.id is not None
        await uow.memberships.add(Membership(user.id, cabinet_id, Role.MEMBER, T0))
        if settings:
            await uow.notification_settings.add_if_missing(user.id, NotificationSettings(**settings))  # type: ignore[arg-type]
        await uow.commit()
        return user.id


def order(cabinet_id: uuid.UUID, n: int, at: datetime = T0) -> DomainEvent:
    return DomainEvent(
        EventType.NEW_ORDER, cabinet_id, f"srid-{n}", at, {"srid": f"srid-{n}", "price": "10.00"}
    )


async def record(ob: Backend, events: list[DomainEvent], now: datetime = T0) -> int:
    async with ob.uow() as uow:
        pending = await record_events(uow, events, now, uuid.uuid4)
        await uow.commit()
    return pending


async def log(ob: Backend, user_id: int, status: DeliveryStatus | None = None) -> list:
    async with ob.uow() as uow:
        return list((await uow.notifications.history(user_id, status, None, 1000, 0)).items)


async def claim(ob: Backend, now: datetime, limit: int = 100) -> list:
    async with ob.uow() as uow:
        claimed = list(await uow.notifications.claim_due(now, limit, now + LEASE))
        await uow.commit()
    return claimed


async def test_each_member_gets_one_row_per_event_and_a_rerun_writes_nothing(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    told = await member(ob, cab, 101)
    muted = await member(ob, cab, 102, new_orders_enabled=False)
    events = [order(cab, 1), order(cab, 2)]
    assert await record(ob, events) == 2  # two events told to one member
    assert await record(ob, events) == 0
    sent, quiet = await log(ob, told), await log(ob, muted)
    assert [n.status for n in sent] == [DeliveryStatus.PENDING] * 2
    assert {(n.status, n.reason) for n in quiet} == {(DeliveryStatus.SUPPRESSED, Suppression.TYPE_DISABLED)}
    assert len(quiet) == 2
    assert {n.telegram_id for n in sent} == {101}
    assert all(n.event_id is not None and n.cabinet_id == cab for n in sent + quiet)
    assert {n.data["srid"] for n in sent} == {"srid-1", "srid-2"}


async def test_an_event_older_than_the_max_age_is_recorded_as_too_old(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101)
    await record(ob, [order(cab, 1, T0 - timedelta(hours=49)), order(cab, 2, T0 - timedelta(hours=47))])
    by_srid = {n.data["srid"]: n for n in await log(ob, user)}
    assert (
        by_srid["srid-1"].reason == Suppression.TOO_OLD
        and by_srid["srid-1"].status is DeliveryStatus.SUPPRESSED
    )
    assert by_srid["srid-2"].status is DeliveryStatus.PENDING


async def test_a_member_who_joins_later_is_not_told_the_past(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    await member(ob, cab, 101)
    await record(ob, [order(cab, 1)])
    late = await member(ob, cab, 102)
    await record(ob, [order(cab, 1), order(cab, 2)])
    assert [n.data["srid"] for n in await log(ob, late)] == ["srid-2"]


async def test_claims_lease_rows_and_a_dead_workers_rows_come_back(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    await member(ob, cab, 101)
    await record(ob, [order(cab, 1), order(cab, 2), order(cab, 3)])
    first = await claim(ob, T0, limit=2)
    assert len(first) == 2 and all(n.attempts == 1 and n.next_attempt_at == T0 + LEASE for n in first)
    rest = await claim(ob, T0)
    assert len(rest) == 1 and rest[0].id not in {n.id for n in first}
    assert await claim(ob, T0 + LEASE - timedelta(seconds=1)) == []
    again = await claim(ob, T0 + LEASE)  # nobody recorded an outcome: the lease ended
    assert {n.id for n in again} == {n.id for n in first + rest}
    assert all(n.attempts == 2 for n in again)


async def test_outcomes_sent_retry_and_dead_letter_with_attempts_logged(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101)
    await record(ob, [order(cab, 1), order(cab, 2), order(cab, 3)])
    a, b, c = await claim(ob, T0)
    async with ob.uow() as uow:
        await uow.notifications.record_attempts(
            [DeliveryAttempt(a.id, T0, 200, 12, None), DeliveryAttempt(b.id, T0, 503, 7, "HTTP 503")]
        )
        await uow.notifications.mark_sent([a.id], T0)
        await uow.notifications.retry_at(b.id, T0 + timedelta(seconds=30), "HTTP 503")
        await uow.notifications.dead_letter(c.id, "gave up")
        await uow.commit()
    assert await claim(ob, T0 + timedelta(seconds=29)) == []
    assert [n.id for n in await claim(ob, T0 + timedelta(seconds=30))] == [b.id]
    sent = await log(ob, user, DeliveryStatus.SENT)
    failed = await log(ob, user, DeliveryStatus.FAILED)
    assert [(n.id, n.sent_at) for n in sent] == [(a.id, T0)]
    assert [(n.id, n.last_error) for n in failed] == [(c.id, "gave up")]
    async with ob.uow() as uow:
        attempts = await uow.notifications.attempts_for([a.id, b.id, c.id])
    assert [(x.notification_id, x.http_status, x.error) for x in attempts] == [
        (a.id, 200, None),
        (b.id, 503, "HTTP 503"),
    ] or [(x.notification_id, x.http_status, x.error) for x in attempts] == [
        (b.id, 503, "HTTP 503"),
        (a.id, 200, None),
    ]


async def test_a_burst_beyond_the_group_size_is_told_in_one_summary(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101, max_group_size=2, group_timeout=60)
    burst = [order(cab, n, T0 - timedelta(minutes=5 - n)) for n in range(5)]
    assert await record(ob, burst) == 2  # two at once, three in a summary
    rows = await log(ob, user)
    summaries = [n for n in rows if n.is_summary]
    grouped = [n for n in rows if n.reason == Suppression.GROUPED]
    assert len(summaries) == 1 and len(grouped) == 3
    summary = summaries[0]
    assert summary.next_attempt_at == T0 + timedelta(seconds=60)
    assert {n.group_id for n in grouped} == {summary.id}
    # Due individually now: the first two only.
    assert {n.data["srid"] for n in await claim(ob, T0)} == {"srid-0", "srid-1"}
    async with ob.uow() as uow:
        items = await uow.notifications.group_items(summary.id)
    assert [n.data["srid"] for n in items] == ["srid-2", "srid-3", "srid-4"]
    # Claimed (sealed), the summary takes no more: the next burst opens another.
    assert [n.id for n in await claim(ob, T0 + timedelta(seconds=60))] == [summary.id]
    await record(ob, [order(cab, 9)], T0 + timedelta(seconds=60))  # still within the first two's window
    newer = [n for n in await log(ob, user) if n.is_summary and n.id != summary.id]
    assert len(newer) == 1 and newer[0].status is DeliveryStatus.PENDING


async def test_grouping_off_sends_every_one(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    await member(ob, cab, 101, max_group_size=1, grouping_enabled=False)
    assert await record(ob, [order(cab, n) for n in range(4)]) == 4


async def test_history_filters_pages_and_counts(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101, review_rating_threshold=2)
    review = DomainEvent(EventType.NEGATIVE_REVIEW, cab, "r1", T0, {"rating": 5, "nm_id": 1})
    await record(ob, [order(cab, 1), order(cab, 2), review])
    async with ob.uow() as uow:
        all_rows = await uow.notifications.history(user, None, None, 2, 0)
        quiet = await uow.notifications.history(user, DeliveryStatus.SUPPRESSED, None, 10, 0)
        reviews = await uow.notifications.history(user, None, "negative_review", 10, 0)
        orders_page2 = await uow.notifications.history(user, None, "new_order", 1, 1)
    assert all_rows.total == 3 and len(all_rows.items) == 2
    assert [(n.type, n.reason) for n in quiet.items] == [("negative_review", Suppression.BELOW_THRESHOLD)]
    assert reviews.total == 1
    assert orders_page2.total == 2 and len(orders_page2.items) == 1


async def test_a_test_notification_row_needs_no_event(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101)
    row = NewNotification(
        id=uuid.uuid4(), user_id=user, telegram_id=101, type="new_order", data={"order_id": 999},
        created_at=T0, next_attempt_at=T0, is_test=True,
    )  # fmt: skip
    async with ob.uow() as uow:
        assert await uow.notifications.add_many([row, attrs.evolve(row, id=uuid.uuid4())]) == 2
        await uow.commit()
    assert [n.is_test for n in await claim(ob, T0)] == [True, True]


async def test_two_workers_claiming_at_once_never_share_a_row(ob: Backend) -> None:
    cab = (await stored_cabinet(ob.uow)).id
    await member(ob, cab, 101, grouping_enabled=False)
    await record(ob, [order(cab, n) for n in range(40)])
    first, second = await asyncio.gather(claim(ob, T0, limit=25), claim(ob, T0, limit=25))
    ids = [n.id for n in first] + [n.id for n in second]
    assert len(ids) == len(set(ids)) == 40


async def test_an_article_without_a_name_is_named_from_reviews_then_statistics(ob: Backend) -> None:
    from tests.unit.use_cases import builders as b

    cab = (await stored_cabinet(ob.uow)).id
    user = await member(ob, cab, 101, grouping_enabled=False)
    old, new = T0 - timedelta(days=3), T0 - timedelta(days=1)
    async with ob.uow() as uow:
        await uow.reviews.upsert_many([
            attrs.evolve(b.review(cab, "r-old", old), nm_id=1, product_name="Платье старое"),
            attrs.evolve(b.review(cab, "r-new", new), nm_id=1, product_name="Платье летнее <мини>"),
        ])  # fmt: skip
        await uow.stat_orders.upsert_many(
            [b.stat_order(cab, "s-2", new, nm_id=2, subject="Футболки", brand="Sim")]
        )
        await uow.commit()
    events = [
        DomainEvent(
            EventType.NEW_ORDER,
            cab,
            f"rid-{nm}",
            T0,
            {"srid": f"rid-{nm}", "nm_id": nm, "product_name": None},
        )
        for nm in (1, 2, 3)
    ]
    events.append(
        DomainEvent(
            EventType.NEW_ORDER, cab, "rid-4", T0, {"srid": "rid-4", "nm_id": 1, "product_name": "Своё"}
        )
    )
    await record(ob, events)
    names = {n.data["srid"]: n.data.get("product_name") for n in await log(ob, user)}
    assert names == {"rid-1": "Платье летнее <мини>", "rid-2": "Футболки Sim", "rid-3": None, "rid-4": "Своё"}
