"""The whole sync for real: simulator over loopback HTTP, real Redis rate limiter, real Postgres.

The first sync stores exactly what the simulator generated (counts and money sums equal its ground truth),
a second sync writes nothing, and the simulator saw no rate-limit violation.
"""

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bootstrap.container import build_container, init_resources, resolve, shutdown_resources
from bootstrap.settings import load_settings
from domain.identity import User
from simulator.app import create_app

RATE_SCALE = 0.01  # the simulator and our limiter both run WB's pacing 100x faster
TELEGRAM_ID = 424242


@pytest.fixture
async def sim() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as client:
        yield client


@pytest.fixture
async def container(sim: TestClient, database_url: str, redis_url: str, tmp_path) -> AsyncIterator[Any]:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "API_SECRET_KEY": "test-secret-key",
        "JWT_SECRET": "j" * 32,
        "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"e" * 32).decode(),
        "WB_BASE_URL": str(sim.make_url("")).rstrip("/"),
        "WB_RATE_SCALE": str(RATE_SCALE),
        "DATA_DIR": str(tmp_path),
    }
    c = build_container(load_settings(env))
    await init_resources(c)
    yield c
    await shutdown_resources(c)


async def _seller(sim: TestClient) -> tuple[str, str]:
    # The seller's clock starts at our real now, so "the last INITIAL_SYNC_DAYS" means the same on both sides.
    start = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = {"preset": "small", "rate_scale": RATE_SCALE, "page_cap": 300, "start": start}
    resp = await sim.post("/__sim/sellers", json=body)
    assert resp.status == 201
    created = await resp.json()
    return created["seller_id"], created["api_key"]


async def _connect(container: Any, api_key: str) -> Any:
    uow_factory = await resolve(container.unit_of_work_factory)
    async with uow_factory() as uow:
        if await uow.users.get_by_telegram_id(TELEGRAM_ID) is None:
            await uow.users.add(User(telegram_id=TELEGRAM_ID))
            await uow.commit()
    connect = await resolve(container.connect_cabinet)
    return (await connect(TELEGRAM_ID, api_key, "Shop")).cabinet


async def _scalar(container: Any, sql: str, cabinet_id: Any) -> Any:
    engine = await resolve(container.engine)
    async with engine.connect() as conn:
        return await conn.scalar(sa.text(sql), {"c": cabinet_id})


async def test_initial_sync_stores_exactly_the_simulators_data_and_a_second_sync_writes_nothing(
    sim: TestClient, container: Any
) -> None:
    seller_id, api_key = await _seller(sim)
    cabinet = await _connect(container, api_key)
    sync = await resolve(container.sync_cabinet)

    first = await sync(cabinet.id)
    assert [s.error for s in first.sources if s.error] == []
    truth = await (await sim.get(f"/__sim/sellers/{seller_id}/truth")).json()

    q = lambda sql: _scalar(container, sql, cabinet.id)  # noqa: E731
    assert await q("SELECT count(*) FROM orders WHERE cabinet_id = :c") == truth["fbs_orders"]["count"]
    assert (
        await q("SELECT count(*) FROM orders WHERE cabinet_id = :c AND supplier_status IS NOT NULL")
        == truth["fbs_orders"]["count"]
    )
    assert await q("SELECT count(*) FROM stat_orders WHERE cabinet_id = :c") == truth["stats_orders"]["rows"]
    assert await q("SELECT sum(price_with_disc) FROM stat_orders WHERE cabinet_id = :c") == Decimal(
        truth["stats_orders"]["priceWithDisc"]
    )
    assert (
        await q("SELECT count(*) FROM sales WHERE cabinet_id = :c AND kind = 'sale'")
        == (truth["sales"]["sales"]["rows"])
    )
    assert (
        await q("SELECT count(*) FROM sales WHERE cabinet_id = :c AND kind = 'return'")
        == (truth["sales"]["returns"]["rows"])
    )
    assert await q("SELECT sum(for_pay) FROM sales WHERE cabinet_id = :c AND kind = 'sale'") == Decimal(
        truth["sales"]["sales"]["forPay"]
    )
    assert await q("SELECT sum(for_pay) FROM sales WHERE cabinet_id = :c AND kind = 'return'") == Decimal(
        truth["sales"]["returns"]["forPay"]
    )
    assert await q("SELECT count(*) FROM stocks WHERE cabinet_id = :c") == truth["stocks"]["rows"]
    assert await q("SELECT sum(quantity) FROM stocks WHERE cabinet_id = :c") == truth["stocks"]["quantity"]
    assert await q("SELECT count(*) FROM reviews WHERE cabinet_id = :c") == truth["reviews"]["count"]
    assert await q("SELECT count(*) FROM claims WHERE cabinet_id = :c") == truth["claims"]["count"]

    second = await sync(cabinet.id)
    assert [s.error for s in second.sources if s.error] == []
    assert {s.source: s.written for s in second.sources if s.written} == {}

    stats = await (await sim.get(f"/__sim/sellers/{seller_id}/stats")).json()
    assert stats["violations_total"] == 0, stats["violations"]


async def test_bot_reads_per_source_data_health_after_a_sync(
    sim: TestClient, container: Any, aiohttp_client
) -> None:
    from bootstrap.app import create_app

    _, api_key = await _seller(sim)
    cabinet = await _connect(container, api_key)
    await (await resolve(container.sync_cabinet))(cabinet.id)
    client = await aiohttp_client(create_app(container))
    url = f"/api/v1/wb/cabinets/{cabinet.id}/health"

    assert (await client.get(url)).status == 401
    wrong = await client.get(url, headers={"X-API-SECRET-KEY": "not-the-secret"})
    assert wrong.status == 401 and "error" in await wrong.json()

    ok = await client.get(url, headers={"X-API-SECRET-KEY": "test-secret-key"})
    assert ok.status == 200
    body = await ok.json()
    assert body["status"] == "active"
    sources = {s["source"]: s for s in body["sources"]}
    assert set(sources) >= {"fbs_orders", "fbs_statuses", "stat_orders", "stat_sales", "stocks", "feedbacks"}
    assert all(s["lastSuccessAt"] and s["lastError"] is None for s in sources.values())
    assert sources["stat_orders"]["rowsTaken"] > 0
    assert api_key not in await ok.text()

    unknown = await client.get(
        "/api/v1/wb/cabinets/00000000-0000-0000-0000-000000000000/health",
        headers={"X-API-SECRET-KEY": "test-secret-key"},
    )
    assert unknown.status == 404
    bad = await client.get(
        "/api/v1/wb/cabinets/not-a-uuid/health", headers={"X-API-SECRET-KEY": "test-secret-key"}
    )
    assert bad.status == 422 and (await bad.json())["error"]["field"] == "cabinet_id"
