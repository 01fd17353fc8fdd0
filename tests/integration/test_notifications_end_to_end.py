"""Notifications end to end: the real sync against the simulator, Postgres, the signed webhook and the
simulator's bot sink. Each test has a database of its own (delivery claims every due row)."""

import asyncio
import base64
import secrets
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.outbound.memory.clock import ManualClock
from adapters.outbound.memory.system import RecordingSyncScheduler
from application.notifications.deliver import DeliverNotifications, DeliverySettings
from application.ports.notifications import NewNotification
from bootstrap.container import build_container, init_resources, shutdown_resources
from bootstrap.settings import load_settings
from domain.notifications import DeliveryStatus, NotificationSettings
from tests.integration.sync_harness import (
    Seller,
    new_seller,
    new_telegram_id,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
TOLD = ("new_order", "order_cancellation", "order_buyout", "order_return", "negative_review")


@pytest.fixture
async def container(
    sim: TestClient, own_database_url: str, redis_url: str, tmp_path: Path
) -> AsyncIterator[Any]:
    base = str(sim.make_url("")).rstrip("/")
    env = settings_env(own_database_url, redis_url, base, tmp_path)
    env |= {"BOT_WEBHOOK_URL": f"{base}/webhook/notifications/{{telegram_id}}", "WEBHOOK_SECRET": SECRET}
    c = build_container(load_settings(env))
    c.gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    await init_resources(c)
    await sink(sim, "POST", "/__sim/bot/config", {"secret": SECRET, "mode": "up"})
    await sink(sim, "DELETE", "/__sim/bot/messages")
    yield c
    await shutdown_resources(c)


async def sink(sim: TestClient, method: str, path: str, body: Any = None) -> Any:
    resp = await sim.request(method, path, json=body)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def messages(sim: TestClient) -> dict[str, Any]:
    return await sink(sim, "GET", "/__sim/bot/messages")


async def sim_now(seller: Seller) -> datetime:
    return datetime.fromtimestamp((await seller._call("GET", ""))["sim_clock_unix"], UTC)


async def join(container: Any, api_key: str, **settings: Any) -> int:
    """A user who connects the key (the first creates the cabinet, the others join it), with settings."""
    telegram_id = new_telegram_id()
    user = (await (await container.use_cases.register_user())(telegram_id)).user
    await (await container.use_cases.connect_cabinet())(telegram_id, api_key, "Shop")
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        await uow.notification_settings.save(user.id, NotificationSettings(**settings))
        await uow.commit()
    return telegram_id


async def deliver(container: Any, clock: Any = None, **settings: Any) -> Any:
    uow = await container.gateways.unit_of_work_factory()
    bot = await container.gateways.bot_gateway()
    clock = clock or await container.gateways.clock()
    return await DeliverNotifications(uow, bot, clock, DeliverySettings(**settings))()


async def stored(container: Any, telegram_id: int, status: DeliveryStatus | None = None) -> list[Any]:
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        return list((await uow.notifications.history(user.id, status, None, 10_000, 0)).items)


def subject(message: dict[str, Any]) -> str:
    data = message["data"]
    return str(data.get("review_id") or (data.get("sale_id") if message["type"] == "order_return" else None)
               or data.get("srid"))  # fmt: skip


async def test_each_member_is_told_each_event_once_by_their_settings(sim: TestClient, container: Any) -> None:
    seller = await new_seller(sim, fbw_share=0.3)
    clock = ManualClock(await sim_now(seller))
    container.gateways.clock.override(providers.Object(clock))
    everything = await join(container, seller.key, grouping_enabled=False, review_rating_threshold=5)
    picky = await join(
        container,
        seller.key,
        new_orders_enabled=False,
        negative_reviews_enabled=False,
        grouping_enabled=False,
    )
    muted = await join(container, seller.key, notifications_enabled=False)
    cabinet_id = (
        (await stored(container, everything))[0].cabinet_id if await stored(container, everything) else None
    )
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        user = await uow.users.get_by_telegram_id(everything)
        cabinet_id = (await uow.memberships.list_for_user(user.id))[0].cabinet_id
    await sync_until_clean(container, cabinet_id)
    await deliver(container, clock)
    first = (await messages(sim))["messages"]
    assert {m["type"] for m in first} <= {"sync_completed"}, "the first sync's backfill was told"
    await sink(sim, "DELETE", "/__sim/bot/messages")
    for minutes in (30, 240, 24 * 60):
        await seller._call("POST", "/advance", {"minutes": minutes})
        clock.set(await sim_now(seller))
        await asyncio.sleep(1.1)  # the statistics reports' interval at the test's rate scale
        await sync_until_clean(container, cabinet_id)
        await deliver(container, clock)
    got = await messages(sim)
    assert got["duplicates"] == 0 and got["rejected"] == 0
    async with uow_factory() as uow:
        events = [e for e in await uow.events.list_for_cabinet(cabinet_id) if e.event.type.value in TOLD]
    recent = [e for e in events if e.event.occurred_at >= clock.now() - timedelta(hours=48)]
    told = Counter((m["telegram_id"], m["type"], subject(m)) for m in got["messages"] if m["type"] in TOLD)
    assert max(told.values()) == 1
    expected_all = Counter((everything, e.event.type.value, _key(e.event)) for e in recent)
    assert {k for k in told if k[0] == everything} == set(expected_all)
    assert {t for t, _ in Counter((e.event.type.value, 1) for e in recent)} >= {"new_order", "order_buyout"}
    picky_types = {k[1] for k in told if k[0] == picky}
    assert "new_order" not in picky_types and "negative_review" not in picky_types and picky_types
    assert not [k for k in told if k[0] == muted]
    quiet = await stored(container, muted, DeliveryStatus.SUPPRESSED)
    assert quiet and {n.reason for n in quiet} == {"notifications_disabled"}


def _key(event: Any) -> str:
    payload = event.payload
    if event.type.value == "negative_review":
        return str(payload["review_id"])
    if event.type.value == "order_return":
        return str(payload["sale_id"])
    return str(payload["srid"])


async def _cabinet_with_pending(
    container: Any, sim: TestClient, count: int = 3
) -> tuple[int, list[uuid.UUID]]:
    """A member with `count` pending test notifications (the same path as real ones)."""
    telegram_id = new_telegram_id()
    await (await container.use_cases.register_user())(telegram_id)
    send = await container.use_cases.send_test_notification()
    from application.use_cases.access import UserRef

    ids = []
    for n in range(count):
        queued = await send(UserRef(telegram_id=telegram_id), "new_order", {"order_id": n, "amount": 100 + n})
        ids.append(queued.id)
    return telegram_id, ids


async def test_a_bot_down_for_ten_minutes_then_back_gets_everything_once(
    sim: TestClient, container: Any
) -> None:
    clock = ManualClock(datetime.now(UTC))
    container.gateways.clock.override(providers.Object(clock))
    telegram_id, ids = await _cabinet_with_pending(container, sim)
    await sink(sim, "POST", "/__sim/bot/config", {"mode": "down"})
    for _ in range(20):  # ten minutes of the worker's cron ticks, every 30 s
        await deliver(container, clock)
        clock.advance(seconds=30)
    assert (await messages(sim))["messages"] == []
    await sink(sim, "POST", "/__sim/bot/config", {"mode": "up"})
    for _ in range(40):
        await deliver(container, clock)
        clock.advance(seconds=30)
    got = await messages(sim)
    assert sorted(m["id"] for m in got["messages"]) == sorted(map(str, ids))
    assert got["duplicates"] == 0
    rows = await stored(container, telegram_id)
    assert {n.status for n in rows} == {DeliveryStatus.SENT} and min(n.attempts for n in rows) >= 5


async def test_a_bot_that_never_recovers_leaves_dead_letters_with_the_reason(
    sim: TestClient, container: Any
) -> None:
    clock = ManualClock(datetime.now(UTC))
    container.gateways.clock.override(providers.Object(clock))
    telegram_id, ids = await _cabinet_with_pending(container, sim, count=2)
    await sink(sim, "POST", "/__sim/bot/config", {"mode": "429", "retry_after": 1})
    for _ in range(30):
        await deliver(container, clock, retry_schedule_s=(1.0, 5.0, 60.0))
        clock.advance(minutes=2)
    rows = await stored(container, telegram_id, DeliveryStatus.FAILED)
    assert sorted(n.id for n in rows) == sorted(ids)
    assert all(
        n.last_error and "gave up after 4 attempts" in n.last_error and "429" in n.last_error for n in rows
    )


async def test_a_worker_killed_between_claiming_and_sending_delivers_after_restart(
    sim: TestClient, container: Any
) -> None:
    clock = ManualClock(datetime.now(UTC))
    container.gateways.clock.override(providers.Object(clock))
    _, ids = await _cabinet_with_pending(container, sim, count=4)
    await sink(sim, "POST", "/__sim/bot/config", {"mode": "slow", "delay_ms": 3000})
    worker = asyncio.create_task(deliver(container, clock))
    await asyncio.sleep(0.5)  # claimed and sending: killed now
    worker.cancel()
    with pytest.raises(asyncio.CancelledError):
        await worker
    await sink(sim, "POST", "/__sim/bot/config", {"mode": "up"})
    assert (await deliver(container, clock)).sent == 0  # leased to the dead worker
    clock.advance(minutes=2)
    assert (await deliver(container, clock)).sent == 4
    got = await messages(sim)
    assert {m["id"] for m in got["messages"]} == set(map(str, ids))  # the sink dedupes what the dead one sent


async def test_two_workers_at_once_deliver_each_notification_once(sim: TestClient, container: Any) -> None:
    _, ids = await _cabinet_with_pending(container, sim, count=30)
    reports = await asyncio.gather(*(deliver(container, batch=5) for _ in range(3)))
    assert sum(r.sent for r in reports) == 30
    got = await messages(sim)
    assert got["duplicates"] == 0 and {m["id"] for m in got["messages"]} == set(map(str, ids))


async def test_one_unformattable_notification_does_not_stop_the_others(
    sim: TestClient, container: Any
) -> None:
    telegram_id, ids = await _cabinet_with_pending(container, sim, count=2)
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        now = datetime.now(UTC)
        bad = NewNotification(
            id=uuid.uuid4(), user_id=user.id, telegram_id=telegram_id, type="gone_type", data={},
            created_at=now, next_attempt_at=now,
        )  # fmt: skip
        await uow.notifications.add_many([bad])
        await uow.commit()
    report = await deliver(container)
    assert (report.sent, report.dead) == (2, 1)
    assert {m["id"] for m in (await messages(sim))["messages"]} == set(map(str, ids))


async def test_two_syncs_of_one_cabinet_started_together_notify_once(sim: TestClient, container: Any) -> None:
    seller = await new_seller(sim, fbw_share=0)
    clock = ManualClock(await sim_now(seller))
    container.gateways.clock.override(providers.Object(clock))
    member = await join(container, seller.key, grouping_enabled=False)
    uow_factory = await container.gateways.unit_of_work_factory()
    async with uow_factory() as uow:
        user = await uow.users.get_by_telegram_id(member)
        cabinet_id = (await uow.memberships.list_for_user(user.id))[0].cabinet_id
    await sync_until_clean(container, cabinet_id)
    await seller._call("POST", "/advance", {"minutes": 120})
    clock.set(await sim_now(seller))
    await asyncio.sleep(1.1)
    sync = await container.use_cases.sync_cabinet()
    await asyncio.gather(sync(cabinet_id), sync(cabinet_id))  # the second waits for the first's lock
    clock.advance(seconds=2)
    await asyncio.sleep(1.1)
    await sync(cabinet_id)  # and once more after: what the two saw is not told again
    await deliver(container, clock)
    got = await messages(sim)
    told = Counter((m["type"], subject(m)) for m in got["messages"] if m["type"] in TOLD)
    assert told and max(told.values()) == 1 and got["duplicates"] == 0
