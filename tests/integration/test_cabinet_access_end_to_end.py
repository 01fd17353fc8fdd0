"""A cabinet is a WB seller, and one WB error must not kill it — against the simulator over loopback HTTP,
real Redis and Postgres.

- a 403 on one source leaves the cabinet active with the others synced (and the bot's data health says why);
- a new key of the same seller keeps the cabinet and its history, members and all; the old key is not used;
- a rejected key (confirmed by the key check) invalidates the cabinet with exactly one event;
- two keys of one seller draw on one set of rate-limit buckets;
- nothing in the sync path logs or echoes a key.
"""

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient

from application.ports.wb import WbCredentials
from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    errors,
    new_seller,
    new_telegram_id,
    scalar,
    sim_fixture,  # noqa: F401 - fixture sim
)
from tests.integration.wb_sim import Harness, harness

SECRET = {"X-API-SECRET-KEY": "test-secret-key"}
INVALID_EVENTS = "SELECT count(*) FROM events WHERE cabinet_id = :c AND type = 'cabinet_invalid'"


async def new_key(seller: Seller, **options: Any) -> str:
    resp = await seller.control.post(f"/__sim/sellers/{seller.sid}/keys", json=options)
    assert resp.status == 201, await resp.text()
    return (await resp.json())["api_key"]


async def health(container: Any, aiohttp_client: Any, cabinet_id: UUID) -> tuple[dict[str, Any], str]:
    from bootstrap.app import create_app

    client = await aiohttp_client(create_app(container))
    resp = await client.get(f"/api/v1/wb/cabinets/{cabinet_id}/health", headers=SECRET)
    assert resp.status == 200
    return await resp.json(), await resp.text()


async def test_a_403_on_one_source_leaves_the_cabinet_active_with_the_others_synced(
    sim: TestClient, container: Any, aiohttp_client: Any
) -> None:
    seller = await new_seller(sim, forbidden=["stocks"])
    cabinet = await connect(container, seller.key)
    sync = await container.use_cases.sync_cabinet()

    report = await sync(cabinet.id)

    assert not report.invalidated and errors(report) == []
    assert (
        report.source("stocks").skipped
        == "WB refuses it to this key: access to this method is denied for the token"
    )
    truth = await seller.truth()
    count = "SELECT count(*) FROM {} WHERE cabinet_id = :c"
    assert await scalar(container, count.format("orders"), cabinet.id) == truth["fbs_orders"]["count"]
    assert await scalar(container, count.format("reviews"), cabinet.id) == truth["reviews"]["count"]
    assert await scalar(container, count.format("stocks"), cabinet.id) == 0
    assert await scalar(container, "SELECT status FROM cabinets WHERE id = :c", cabinet.id) == "active"
    assert await scalar(container, INVALID_EVENTS, cabinet.id) == 0
    body, _ = await health(container, aiohttp_client, cabinet.id)
    stocks = next(s for s in body["sources"] if s["source"] == "stocks")
    assert body["status"] == "active" and stocks["blockedReason"].startswith("WB refuses it to this key")
    assert stocks["blockedUntil"] and stocks["lastError"] is None

    again = await sync(cabinet.id)  # the blocked source is not asked again today, and is no error

    assert errors(again) == [] and again.source("stocks").skipped
    stats = await seller.stats()
    assert stats["forbidden"] == {"stocks": 1} and stats["requests"]["seller_info"] == 2  # connect + 1 judge


async def test_a_new_key_of_the_same_seller_keeps_the_cabinet_and_its_history(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    owner, helper = new_telegram_id(), new_telegram_id()
    cabinet = await connect(container, seller.key, owner)
    sync = await container.use_cases.sync_cabinet()
    assert errors(await sync(cabinet.id)) == []
    orders = await scalar(container, "SELECT count(*) FROM orders WHERE cabinet_id = :c", cabinet.id)
    assert orders > 0

    newer = await new_key(seller, key_ttl_days=200, categories=["marketplace", "statistics", "feedbacks"])
    replaced = await connect(container, newer, helper)  # another user, another key, the same seller

    assert replaced.id == cabinet.id
    revoked = await seller.control.post(f"/__sim/sellers/{seller.sid}/revoke", json={"api_key": seller.key})
    assert (await revoked.json())["revoked"] == 1  # the old key is dead now: the cabinet must not use it
    await asyncio.sleep(1.1)  # the statistics interval at this rate scale
    report = await sync(cabinet.id)

    assert not report.invalidated and errors(report) == []
    assert report.source("stocks").skipped == "the key lacks the ANALYTICS category"  # the newer key's scope
    members = "SELECT count(*) FROM memberships WHERE cabinet_id = :c"
    assert await scalar(container, members, cabinet.id) == 2
    sellers = "SELECT count(*) FROM cabinets WHERE seller_id = (SELECT seller_id FROM cabinets WHERE id = :c)"
    assert await scalar(container, sellers, cabinet.id) == 1
    assert await scalar(container, "SELECT count(*) FROM orders WHERE cabinet_id = :c", cabinet.id) >= orders
    assert (await seller.stats())["auth_failures"] == {}  # not one call with the old key


async def test_a_rejected_key_confirmed_by_the_key_check_invalidates_with_exactly_one_event(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await seller.revoke()
    sync = await container.use_cases.sync_cabinet()

    report = await sync(cabinet.id)

    assert report.invalidated and "withdrawn" in (report.skipped or "")
    assert await scalar(container, INVALID_EVENTS, cabinet.id) == 1
    assert (await sync(cabinet.id)).skipped == "cabinet is invalid"
    assert await scalar(container, INVALID_EVENTS, cabinet.id) == 1


async def test_nothing_in_the_sync_path_logs_or_echoes_a_key(
    sim: TestClient, container: Any, aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    seller = await new_seller(sim, forbidden=["claims"])
    cabinet = await connect(container, seller.key)
    await seller.faults(host_down=["stats_sales", "/api/v1/feedbacks"], error_rate=0.2)
    sync = await container.use_cases.sync_cabinet()
    caplog.set_level(logging.DEBUG)

    failing = await sync(cabinet.id)  # 403s, 503s and 5xx retries
    await seller.revoke()
    rejected = await sync(cabinet.id)  # 401s, confirmed by the key check

    assert errors(failing) and rejected.invalidated
    assert "sync of stat_sales for cabinet" in caplog.text  # the failures were logged, and are scanned
    body, text = await health(container, aiohttp_client, cabinet.id)
    assert body["status"] == "invalid"
    _header, payload, signature = seller.key.split(".")
    seen = "\n".join(
        [caplog.text, *(repr(r.__dict__) for r in caplog.records), text, repr(failing), repr(rejected)]
    )
    assert payload in seller.key and len(signature) > 16
    for secret in (seller.key, payload, signature):
        assert secret not in seen


@pytest.fixture
async def wb(aiohttp_server: Any, redis_url: str) -> Any:
    async with harness(aiohttp_server, redis_url) as h:
        yield h


async def test_two_keys_of_one_seller_share_its_rate_limit_buckets(wb: Harness) -> None:
    seller = await wb.seller(rate_scale=0.02)  # sales: 1 a minute, burst 1 -> 1.2 s apart here
    other_key = await seller.new_key()
    api = wb.api(0.02)
    keys = [seller.key, other_key, seller.key]
    creds = [WbCredentials(uuid4(), key, seller.sid) for key in keys]  # even as different cabinets
    started = asyncio.get_running_loop().time()
    for c in creds:
        async for _ in api.stat_sales(c, datetime(2026, 10, 31, tzinfo=UTC)):
            pass
    assert asyncio.get_running_loop().time() - started >= 2 * 1.2 * 0.95
    stats = await seller.stats()
    assert stats["violations_total"] == 0 and stats["requests"]["stats_sales"] == 3
