"""validate-all against the simulator over loopback, through the bot route: a WB 503, a timeout, a dropped
connection or a 429 during the checks leaves every cabinet and its data in place; only a definitive
rejection invalidates, and then the data stays for the retention period. No key ever reaches a log line or
the response."""

import logging
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
import sqlalchemy as sa
from aiohttp import web
from aiohttp.test_utils import TestClient
from dependency_injector import providers

from adapters.outbound.memory.system import RecordingSyncScheduler
from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.settings import load_settings
from tests.integration.sync_harness import Seller, connect, new_seller, settings_env, sim_fixture

__all__ = ["sim_fixture"]

URL = "/api/v1/wb/cabinets/validation/validate-all"
BOT = {"X-API-SECRET-KEY": "test-secret-key"}
TABLES = ("orders", "stat_orders", "sales", "stocks", "reviews", "sync_cursors", "memberships")
TIMEOUT_S = 0.3


@pytest.fixture
async def app(
    sim: TestClient, own_database_url: str, redis_url: str, tmp_path: Path, aiohttp_client: Any
) -> tuple[TestClient, Any]:
    env = settings_env(own_database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    container = build_container(load_settings(env))
    transport = cast(providers.Singleton[Any], container.gateways.wb_transport)
    transport.add_kwargs(timeout_s=TIMEOUT_S)  # a slow WB times out quickly
    # Syncs asked for "now" are recorded, not queued: no worker here, and none of another test takes them.
    container.gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    application: web.Application = create_app(container)
    return await aiohttp_client(application), container


async def snapshot(container: Any) -> dict[str, Any]:
    """Every cabinet's row (without updated_at) and how many rows of each kind it owns."""
    engine = await container.gateways.engine()
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.text(
                "SELECT id, status, invalid_reason, delete_after, key_fingerprint FROM cabinets ORDER BY id"
            )
        )
        state: dict[str, Any] = {"cabinets": [tuple(r) for r in rows]}
        for table in TABLES:
            query = f"SELECT cabinet_id, count(*) FROM {table} GROUP BY 1 ORDER BY 1"  # noqa: S608
            counts = await conn.execute(sa.text(query))
            state[table] = [tuple(r) for r in counts]
        state["events"] = (await conn.execute(sa.text("SELECT count(*) FROM events"))).scalar_one()
    return state


async def sellers(container: Any, control: TestClient, n: int) -> tuple[list[Seller], list[UUID]]:
    made = [await new_seller(control) for _ in range(n)]
    cabinets = [(await connect(container, s.key)).id for s in made]
    return made, cabinets


async def validate(client: TestClient, method: str = "GET") -> dict[str, Any]:
    response = await client.request(method, URL, headers=BOT)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


def assert_no_key(keys: list[str], *texts: str) -> None:
    for key in keys:
        for text in texts:
            assert key not in text
            assert key.split(".")[1] not in text  # not even the payload part of the JWT


async def test_wb_failing_to_answer_never_changes_a_cabinet_or_its_data(
    app: tuple[TestClient, Any], sim: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    client, container = app
    made, ids = await sellers(container, sim, 4)
    await (await container.use_cases.sync_cabinet())(ids[0])  # data that must survive
    before = await snapshot(container)
    assert any(cab == ids[0] and n > 0 for cab, n in before["orders"])
    await made[0].faults(fail_next={"group": "seller_info", "count": 10, "status": 503})
    await made[1].faults(latency_ms=TIMEOUT_S * 1000 * 4, groups=["seller_info"])
    await made[2].faults(host_down=["seller_info"], host_down_mode="close")
    await made[3].faults(force_429={"group": "seller_info", "count": 10, "retry": 600})

    with caplog.at_level(logging.DEBUG):
        raw = await (await client.get(URL, headers=BOT)).text()
        body = await validate(client, "POST")

    assert await snapshot(container) == before
    data = body["data"]
    assert (data["total_cabinets"], data["valid_cabinets"], data["invalid_cabinets"]) == (4, 0, 0)
    assert data["removed_cabinets"] == 0 and len(data["errors"]) == 4
    assert {d["result"] for d in data["details"]} == {"unchecked"} | {"not_reached"}
    assert all(d["status_before"] == d["status_after"] == "active" for d in data["details"])
    logged = "\n".join([caplog.text, *(repr(r.__dict__) for r in caplog.records)])
    assert_no_key([s.key for s in made], raw, str(body), logged)


async def test_a_revoked_key_invalidates_and_keeps_the_data_then_a_reconnect_revives_it(
    app: tuple[TestClient, Any], sim: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    client, container = app
    made, ids = await sellers(container, sim, 2)
    await (await container.use_cases.sync_cabinet())(ids[0])
    before = await snapshot(container)
    await made[0].revoke()
    with caplog.at_level(logging.DEBUG):
        data = (await validate(client))["data"]
    assert (data["total_cabinets"], data["valid_cabinets"], data["invalid_cabinets"], data["errors"]) == (
        2, 1, 1, []
    )  # fmt: skip
    bad = next(d for d in data["details"] if d["cabinet_id"] == str(ids[0]))
    assert (bad["status_before"], bad["status_after"], bad["result"]) == ("active", "invalid", "invalid")
    after = await snapshot(container)
    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}  # the data stays
    cabinet = next(c for c in after["cabinets"] if c[0] == ids[0])
    assert cabinet[1] == "invalid" and cabinet[3] is not None  # marked for deletion, not deleted
    assert after["events"] == before["events"] + 1
    assert_no_key([s.key for s in made], str(data), caplog.text)

    again = await validate(client)  # a second run: no second event, the mark stands
    assert again["data"]["invalid_cabinets"] == 1
    assert await snapshot(container) == after

    newer = await sim.post(f"/__sim/sellers/{made[0].sid}/keys", json={})
    key = (await newer.json())["api_key"]
    assert (await connect(container, key)).id == ids[0]  # the seller reconnects within the period
    revived = await snapshot(container)
    cabinet = next(c for c in revived["cabinets"] if c[0] == ids[0])
    assert cabinet[1] == "active" and cabinet[3] is None  # the deletion mark is gone
    assert revived["orders"] == before["orders"]  # with its history
    assert (await validate(client))["data"]["valid_cabinets"] == 2
