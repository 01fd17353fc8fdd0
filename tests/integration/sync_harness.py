"""Shared pieces of the whole-sync integration tests: the simulator (in-process over loopback, or as its
own process for the CLI), a container built from settings pointing at it, a connected cabinet, and the
checks "the store equals the simulator's truth" and "no key is stored twice".

Test modules import the fixtures they use (`sim_fixture` provides `sim`, and so on for `container`,
`sim_process`, `proc_container`, `proc_control`) along with the helpers.
"""

import asyncio
import base64
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import aiohttp
import attrs
import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer
from dependency_injector import providers

from adapters.outbound.memory.system import RecordingSyncScheduler
from bootstrap.container import build_container, init_resources, shutdown_resources
from bootstrap.settings import load_settings
from simulator.app import create_app
from tests.integration.wbpulse_process import free_port

RATE_SCALE = 0.01  # the simulator and our limiter both run WB's pacing 100x faster
PAGE_CAP = 300  # the simulated sellers' statistics page cap (WB's is about 80,000)
STATS_INTERVAL_S = 1.1  # stats_min_interval_s is round(60 * RATE_SCALE) = 1 s: wait that long between syncs


def settings_env(database_url: str, redis_url: str, wb_base_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "API_SECRET_KEY": "test-secret-key",
        "JWT_SECRET": "j" * 32,
        "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"e" * 32).decode(),
        "WB_BASE_URL": wb_base_url,
        "WB_RATE_SCALE": str(RATE_SCALE),
        "WB_STATS_PAGE_ROWS": str(PAGE_CAP),  # the simulators' page cap, so that paging is exercised
        # At 100x speed 5 % of a minute is 30 ms, less than the event loop's jitter on two busy cores.
        "WB_PACING_MARGIN": "0.5",
        "DATA_DIR": str(data_dir),
    }


@pytest.fixture(name="sim")
async def sim_fixture() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as client:
        yield client


@pytest.fixture(name="container")
async def container_fixture(
    sim: TestClient, database_url: str, redis_url: str, tmp_path: Path
) -> AsyncIterator[Any]:
    env = settings_env(database_url, redis_url, str(sim.make_url("")).rstrip("/"), tmp_path)
    c = build_container(load_settings(env))
    # Syncs asked for "now" are recorded, not queued: no worker here, and none of another test takes them.
    c.gateways.sync_scheduler.override(providers.Object(RecordingSyncScheduler()))
    await init_resources(c)
    yield c
    await shutdown_resources(c)


@attrs.frozen
class SimProcess:
    base_url: str
    process: subprocess.Popen


@pytest.fixture(name="sim_process")
def sim_process_fixture(tmp_path: Path) -> Iterator[SimProcess]:
    """The simulator as its own process (for tests whose wbpulse runs as a child process too)."""
    port = free_port()
    log = (tmp_path / "simulator.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "simulator", "--port", str(port)], stdout=log, stderr=log
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/__sim/sellers", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the simulator process did not start") from None
                time.sleep(0.1)
        yield SimProcess(base_url, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(name="proc_container")
async def proc_container_fixture(
    sim_process: SimProcess, database_url: str, redis_url: str, tmp_path: Path
) -> AsyncIterator[Any]:
    """A container on the simulator process, for the test's own look at the store and to connect."""
    c = build_container(load_settings(settings_env(database_url, redis_url, sim_process.base_url, tmp_path)))
    await init_resources(c)
    yield c
    await shutdown_resources(c)


@pytest.fixture(name="proc_control")
async def proc_control_fixture(sim_process: SimProcess) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sim_process.base_url) as session:
        yield session


@attrs.frozen
class Seller:
    """A simulated seller and its control API. `control` is a TestClient or a ClientSession with base_url."""

    control: Any
    sid: str
    key: str

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        resp = await self.control.request(method, f"/__sim/sellers/{self.sid}{path}", json=body)
        assert resp.status < 300, await resp.text()
        return await resp.json()

    async def truth(self) -> dict[str, Any]:
        return await self._call("GET", "/truth")

    async def stats(self) -> dict[str, Any]:
        return await self._call("GET", "/stats")

    async def faults(self, **config: Any) -> dict[str, Any]:
        return await self._call("POST", "/faults", config)

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/faults")

    async def revoke(self) -> dict[str, Any]:
        return await self._call("POST", "/revoke", {})


async def new_seller(control: Any, **body: Any) -> Seller:
    # The seller's clock starts at our real now, so "the last INITIAL_SYNC_DAYS" means the same on both sides.
    start = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = {"preset": "small", "rate_scale": RATE_SCALE, "page_cap": PAGE_CAP, "start": start, **body}
    resp = await control.post("/__sim/sellers", json=body)
    assert resp.status == 201, await resp.text()
    created = await resp.json()
    return Seller(control, created["seller_id"], created["api_key"])


def new_telegram_id() -> int:
    return 10_000_000 + secrets.randbelow(10**9)


async def connect(container: Any, api_key: str, telegram_id: int | None = None) -> Any:
    telegram_id = telegram_id or new_telegram_id()
    await (await container.use_cases.register_user())(telegram_id)
    connect_cabinet = await container.use_cases.connect_cabinet()
    return (await connect_cabinet(telegram_id, api_key, "Shop")).cabinet


async def scalar(container: Any, sql: str, cabinet_id: UUID) -> Any:
    engine = await container.gateways.engine()
    async with engine.connect() as conn:
        return await conn.scalar(sa.text(sql), {"c": cabinet_id})


def errors(report: Any) -> list[str]:
    return [f"{s.source}: {s.error}" for s in report.sources if s.error]


async def sync_until_clean(container: Any, cabinet_id: UUID, runs: int = 6) -> list[Any]:
    """Run the sync until a run has no errors and skips no source for a backoff or the statistics
    interval (a rescheduled source completes on a later run, as the worker's next tick would do)."""
    sync = await container.use_cases.sync_cabinet()
    reports = []
    for attempt in range(runs):
        if attempt:
            await asyncio.sleep(STATS_INTERVAL_S)
        report = await sync(cabinet_id)
        reports.append(report)
        pending = [s for s in report.sources if s.error or (s.skipped and "category" not in s.skipped)]
        if not report.skipped and not pending:
            return reports
    raise AssertionError(f"the sync did not finish cleanly in {runs} runs: {reports[-1]}")


# label: (expression, table, extra condition), compared with the simulator's truth
_STORED = {
    "orders": ("count(*)", "orders", ""),
    "orders with status": ("count(*)", "orders", "AND supplier_status IS NOT NULL"),
    "stat_orders": ("count(*)", "stat_orders", ""),
    "stat_orders priceWithDisc": ("sum(price_with_disc)", "stat_orders", ""),
    "sales": ("count(*)", "sales", "AND kind = 'sale'"),
    "returns": ("count(*)", "sales", "AND kind = 'return'"),
    "sales forPay": ("sum(for_pay)", "sales", "AND kind = 'sale'"),
    "returns forPay": ("sum(for_pay)", "sales", "AND kind = 'return'"),
    "stocks": ("count(*)", "stocks", "AND quantity > 0"),  # sold-out rows vanish from WB's answer, kept at 0
    "stocks quantity": ("sum(quantity)", "stocks", ""),
    "reviews": ("count(*)", "reviews", ""),
    "claims": ("count(*)", "claims", ""),
}


async def assert_store_equals_truth(container: Any, cabinet_id: UUID, truth: dict[str, Any]) -> None:
    async def q(expr: str, table: str, extra: str) -> Any:
        sql = f"SELECT {expr} FROM {table} WHERE cabinet_id = :c {extra}"  # noqa: S608 - constants only
        return await scalar(container, sql, cabinet_id)

    expected = {
        "orders": truth["fbs_orders"]["count"],
        "orders with status": truth["fbs_orders"]["count"],
        "stat_orders": truth["stats_orders"]["rows"],
        "stat_orders priceWithDisc": Decimal(truth["stats_orders"]["priceWithDisc"]),
        "sales": truth["sales"]["sales"]["rows"],
        "returns": truth["sales"]["returns"]["rows"],
        "sales forPay": Decimal(truth["sales"]["sales"]["forPay"]),
        "returns forPay": Decimal(truth["sales"]["returns"]["forPay"]),
        "stocks": truth["stocks"]["rows"],
        "stocks quantity": truth["stocks"]["quantity"],
        "reviews": truth["reviews"]["count"],
        "claims": truth["claims"]["count"],
    }
    actual = {label: await q(expr, table, extra) for label, (expr, table, extra) in _STORED.items()}
    assert actual == expected


_KEYS = {
    "orders": "order_id",
    "stat_orders": "srid",
    "sales": "sale_id",
    "reviews": "review_id",
    "claims": "claim_id",
    "order_status_history": "order_id, changed_at, supplier_status, wb_status",
    "events": "type, subject, occurred_at",
}


async def assert_no_duplicates(container: Any, cabinet_id: UUID) -> None:
    dupes = {}
    for table, key in _KEYS.items():
        sql = (
            f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT {key} FROM {table} "  # noqa: S608
            f"WHERE cabinet_id = :c) AS d) FROM {table} WHERE cabinet_id = :c"
        )
        dupes[table] = await scalar(container, sql, cabinet_id)
    assert dupes == dict.fromkeys(_KEYS, 0)
