"""The fast lane against the simulator over loopback and real Postgres and Redis: a new FBS order in WB's
/orders/new is told to every member by `PollNewOrders` before the next full sync, and the full sync seeing
it again tells nobody twice; the arq cron enqueues one poll per cabinet per NEW_ORDERS_INTERVAL."""

import asyncio
from pathlib import Path
from typing import Any
from uuid import UUID

from aiohttp.test_utils import TestClient
from arq.connections import ArqRedis
from dependency_injector import providers

from adapters.inbound import jobs
from adapters.outbound.memory.system import RecordingSyncScheduler
from application.ports.notifications import Notification
from bootstrap import worker as worker_module
from bootstrap.container import build_container, shutdown_resources
from bootstrap.settings import load_settings
from domain.notifications import DeliveryStatus, Suppression
from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    new_telegram_id,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)

INTERVAL_S = 5  # NEW_ORDERS_INTERVAL's minimum: its cadence key lives 3 s (the cron's slack is 2 s)


async def first_sync(seller: Seller, container: Any, cabinet_id: UUID) -> None:
    # The sim clock stands still at the seller's start, a moment before our first sync's `events_from`.
    # A minute on, before that sync, makes every order created later news and every earlier one backfill.
    await seller._call("POST", "/advance", {"minutes": 1})
    await sync_until_clean(container, cabinet_id)


async def advance_until_new_orders(
    sim: TestClient, seller: Seller, container: Any, cabinet_id: UUID
) -> set[int]:
    """Move the sim clock on until WB's /orders/new lists orders we do not hold; their ids."""
    for _ in range(72):  # 12 sim hours at most, even through the night's trough
        await seller._call("POST", "/advance", {"minutes": 10})
        resp = await sim.get("/api/v3/orders/new", headers={"Authorization": seller.key})
        assert resp.status == 200, await resp.text()
        listed = [o["id"] for o in (await resp.json())["orders"]]
        async with (await container.gateways.unit_of_work_factory())() as uow:
            known = await uow.orders.get_many(cabinet_id, listed)
        if fresh := set(listed) - set(known):
            return fresh
    raise AssertionError("no new FBS order in 12 sim hours")


async def new_order_notifications(container: Any, telegram_id: int, srids: set[str]) -> list[Notification]:
    async with (await container.gateways.unit_of_work_factory())() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        assert user is not None and user.id is not None
        page = await uow.notifications.history(user.id, None, "new_order", 10_000, 0)
    return [n for n in page.items if n.data.get("srid") in srids]


def told_now(notification: Notification) -> bool:
    """Pending for delivery (past the grouping's first few it joins a summary instead)."""
    return notification.status is DeliveryStatus.PENDING or notification.reason == Suppression.GROUPED.value


async def srids_of(container: Any, cabinet_id: UUID, order_ids: set[int]) -> set[str]:
    async with (await container.gateways.unit_of_work_factory())() as uow:
        stored = await uow.orders.get_many(cabinet_id, list(order_ids))
    assert set(stored) == order_ids
    return {o.rid for o in stored.values()}


async def test_a_new_fbs_order_is_told_by_the_fast_lane_and_not_again_by_the_full_sync(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, fbw_share=0)
    owner, member = new_telegram_id(), new_telegram_id()
    cabinet = await connect(container, seller.key, owner)
    await first_sync(seller, container, cabinet.id)
    assert (await connect(container, seller.key, member)).id == cabinet.id
    fresh = await advance_until_new_orders(sim, seller, container, cabinet.id)

    report = await (await container.use_cases.poll_new_orders())(cabinet.id)

    assert (report.skipped, report.error, report.new_orders) == (None, None, len(fresh))
    srids = await srids_of(container, cabinet.id, fresh)
    for telegram_id in (owner, member):
        told = await new_order_notifications(container, telegram_id, srids)
        assert sorted(n.data["srid"] for n in told) == sorted(srids)
        assert all(told_now(n) for n in told) and told[-1].status is DeliveryStatus.PENDING  # the oldest

    await sync_until_clean(container, cabinet.id)

    for telegram_id in (owner, member):
        told = await new_order_notifications(container, telegram_id, srids)
        assert sorted(n.data["srid"] for n in told) == sorted(srids)  # still one each
    async with (await container.gateways.unit_of_work_factory())() as uow:
        events = await uow.events.list_for_cabinet(cabinet.id)
    assert sorted(e.event.subject for e in events if e.event.subject in srids) == sorted(srids)
    assert (await seller.stats())["violations_total"] == 0


async def test_the_cron_enqueues_one_poll_per_cabinet_per_interval_and_the_worker_tells_the_order(
    sim: TestClient, own_database_url: str, redis_url: str, queue: ArqRedis, tmp_path: Path
) -> None:
    env = settings_env(own_database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    settings = load_settings({**env, "NEW_ORDERS_INTERVAL": str(INTERVAL_S)})
    ctx: dict[str, Any] = {"container": build_container(settings), "redis": queue}
    ctx["container"].gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    await worker_module.startup(ctx)
    worker = None
    keys: list[str] = []
    try:
        container = ctx["container"]
        assert ctx[jobs.NEW_ORDERS_INTERVAL_S] == INTERVAL_S
        seller = await new_seller(sim, fbw_share=0)
        owner = new_telegram_id()
        cabinet = await connect(container, seller.key, owner)
        await first_sync(seller, container, cabinet.id)
        fresh = await advance_until_new_orders(sim, seller, container, cabinet.id)
        keys = [f"{jobs.NEW_ORDERS_DUE_PREFIX}{cabinet.id}", f"{jobs.SYNC_DUE_PREFIX}{cabinet.id}"]
        # The full sync's cron (run at the worker's start) is kept out: its lock would make the poll a no-op.
        await queue.set(f"{jobs.SYNC_DUE_PREFIX}{cabinet.id}", "1", ex=120)

        assert await jobs.enqueue_new_order_polls(ctx) == 1
        assert await jobs.enqueue_new_order_polls(ctx) == 0  # within the interval: the cadence key holds
        queued = [(j.function, j.args) for j in await queue.queued_jobs()]
        assert queued == [(jobs.NEW_ORDERS_JOB, (str(cabinet.id),))]
        await asyncio.sleep(INTERVAL_S - 2 + 0.3)
        assert await jobs.enqueue_new_order_polls(ctx) == 0  # due again, but still queued: the job id holds

        worker = worker_module.create_worker(settings, build_container(settings))
        worker.queue_name = queue.default_queue_name
        worker.health_check_key = f"{worker.queue_name}:health-check"
        worker.burst = True
        worker.poll_delay_s = 0.05
        completed = await asyncio.wait_for(worker.run_check(), 60)

        assert completed >= 2 and worker.jobs_failed == 0  # the poll, and the delivery it woke
        assert await queue.queued_jobs() == []
        srids = await srids_of(container, cabinet.id, fresh)
        told = await new_order_notifications(container, owner, srids)
        assert sorted(n.data["srid"] for n in told) == sorted(srids)
        await asyncio.sleep(INTERVAL_S - 2 + 0.3)
        assert await jobs.enqueue_new_order_polls(ctx) == 1  # the next interval
    finally:
        if worker is not None:
            await worker.close()
        if keys:
            await queue.delete(*keys)
        await shutdown_resources(ctx["container"])
