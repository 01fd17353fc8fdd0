"""The whole sync under trouble: a sync killed mid-way and re-run, injected 429s, injected 5xx bursts, a
revoked key. Simulator over loopback HTTP, real Redis limiter, real Postgres (see sync_harness)."""

import asyncio
import contextlib
import signal
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from tests.integration.sync_harness import (
    STATS_INTERVAL_S,
    SimProcess,
    assert_no_duplicates,
    assert_store_equals_truth,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    errors,
    new_seller,
    proc_container_fixture,  # noqa: F401 - fixture proc_container
    proc_control_fixture,  # noqa: F401 - fixture proc_control
    scalar,
    settings_env,
    sim_fixture,  # noqa: F401 - fixture sim
    sim_process_fixture,  # noqa: F401 - fixture sim_process
    sync_until_clean,
)
from tests.integration.wbpulse_process import clean_env, command, run_to_end


async def _wait_for(container: Any, sql: str, cabinet_id: Any) -> None:
    for _ in range(4000):  # 20 s at most
        if await scalar(container, sql, cabinet_id):
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting for: {sql}")


async def test_a_sync_cancelled_mid_way_and_re_run_ends_with_exactly_the_truth_and_no_duplicates(
    sim: TestClient,
    container: Any,
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    # Slow answers so the sync is still paging Statistics when we kill it.
    await seller.faults(latency_ms=250)
    sync = await container.use_cases.sync_cabinet()
    task = asyncio.create_task(sync(cabinet.id))
    await _wait_for(container, "SELECT count(*) > 0 FROM stat_orders WHERE cabinet_id = :c", cabinet.id)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    truth = await seller.truth()
    partial = await scalar(container, "SELECT count(*) FROM stat_orders WHERE cabinet_id = :c", cabinet.id)
    assert 0 < partial < truth["stats_orders"]["rows"], "the sync was not cut mid-way"

    await seller.clear_faults()
    await asyncio.sleep(STATS_INTERVAL_S)
    await sync_until_clean(container, cabinet.id)  # the cabinet lock was released by the cancelled run

    await assert_store_equals_truth(container, cabinet.id, truth)
    await assert_no_duplicates(container, cabinet.id)
    assert (await seller.stats())["violations_total"] == 0


async def test_a_source_failing_beyond_its_retries_stops_half_done_and_a_re_run_completes_it(
    sim: TestClient,
    container: Any,
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    # Every Statistics sales request fails with 500, far more often than the transport retries.
    await seller.faults(fail_next=[{"group": "stats_sales", "count": 50, "status": 500}])
    sync = await container.use_cases.sync_cabinet()

    first = await sync(cabinet.id)
    assert [e.split(":")[0] for e in errors(first)] == ["stat_sales"]
    assert first.source("stocks").error is None  # the sources after it still ran
    assert await scalar(container, "SELECT count(*) FROM sales WHERE cabinet_id = :c", cabinet.id) == 0
    health = await scalar(
        container,
        "SELECT last_error FROM sync_cursors WHERE cabinet_id = :c AND source = 'stat_sales'",
        cabinet.id,
    )
    assert health and "500" in health

    await seller.clear_faults()
    await sync_until_clean(container, cabinet.id)
    await assert_store_equals_truth(container, cabinet.id, await seller.truth())
    await assert_no_duplicates(container, cabinet.id)


async def test_injected_429s_are_waited_out_with_zero_rate_limit_violations(
    sim: TestClient,
    container: Any,
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await seller.faults(
        force_429=[
            {"group": "stats_orders", "count": 2, "retry": 0.2},
            {"group": "fbs", "count": 3, "retry": 0.1},
            {"group": "feedbacks", "count": 2, "retry": 0.1},
        ]
    )

    await sync_until_clean(container, cabinet.id)

    await assert_store_equals_truth(container, cabinet.id, await seller.truth())
    await assert_no_duplicates(container, cabinet.id)
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats["violations"]
    assert stats["fault_429"] == {"stats_orders": 2, "fbs": 3, "feedbacks": 2}


async def test_injected_5xx_bursts_are_retried_and_the_sync_succeeds(
    sim: TestClient,
    container: Any,
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await seller.faults(
        fail_next=[
            {"group": "stats_sales", "count": 2, "status": 503},
            {"group": "fbs", "count": 2, "status": 502},
            {"group": "claims", "count": 1, "status": 500},
        ]
    )
    sync = await container.use_cases.sync_cabinet()

    report = await sync(cabinet.id)

    assert errors(report) == []
    await assert_store_equals_truth(container, cabinet.id, await seller.truth())
    await assert_no_duplicates(container, cabinet.id)
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats["violations"]


async def test_a_revoked_key_marks_the_cabinet_invalid_once_and_later_syncs_do_nothing(
    sim: TestClient,
    container: Any,
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    assert (await seller.revoke())["revoked"] >= 1
    sync = await container.use_cases.sync_cabinet()

    first = await sync(cabinet.id)

    assert first.invalidated
    status = "SELECT status FROM cabinets WHERE id = :c"
    events = "SELECT count(*) FROM events WHERE cabinet_id = :c AND type = 'cabinet_invalid'"
    assert await scalar(container, status, cabinet.id) == "invalid"
    assert "withdrawn" in await scalar(
        container, "SELECT invalid_reason FROM cabinets WHERE id = :c", cabinet.id
    )
    assert await scalar(container, events, cabinet.id) == 1
    requests_before = (await seller.stats())["requests"]

    second = await sync(cabinet.id)

    assert second.skipped == "cabinet is invalid" and second.sources == () and not second.invalidated
    assert await scalar(container, status, cabinet.id) == "invalid"
    assert await scalar(container, events, cabinet.id) == 1
    assert (await seller.stats())["requests"] == requests_before  # not one call to WB
    assert await scalar(container, "SELECT count(*) FROM orders WHERE cabinet_id = :c", cabinet.id) == 0


async def test_a_cli_sync_killed_with_sigkill_and_re_run_ends_with_exactly_the_truth_and_no_duplicates(
    sim_process: SimProcess,
    proc_control: aiohttp.ClientSession,
    proc_container: Any,
    database_url: str,
    redis_url: str,
    tmp_path: Path,
) -> None:
    seller = await new_seller(proc_control)
    cabinet = await connect(proc_container, seller.key)
    await seller.faults(latency_ms=250)
    env = clean_env(**settings_env(database_url, redis_url, sim_process.base_url, tmp_path))
    child = await asyncio.create_subprocess_exec(
        *command("sync", "--cabinet", str(cabinet.id)),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        await _wait_for(
            proc_container, "SELECT count(*) > 0 FROM stat_orders WHERE cabinet_id = :c", cabinet.id
        )
    finally:
        child.send_signal(signal.SIGKILL)
        output = (await child.communicate())[0].decode()
    assert child.returncode == -signal.SIGKILL, output
    truth = await seller.truth()
    partial = await scalar(
        proc_container, "SELECT count(*) FROM stat_orders WHERE cabinet_id = :c", cabinet.id
    )
    assert 0 < partial < truth["stats_orders"]["rows"], "the sync was not cut mid-way"

    await seller.clear_faults()
    await asyncio.sleep(STATS_INTERVAL_S)
    # The dead process's advisory lock went with its connection: the re-run is not "already running".
    rerun = await asyncio.to_thread(run_to_end, ["sync", "--cabinet", str(cabinet.id)], env, tmp_path, 60)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "already running" not in rerun.stdout

    await assert_store_equals_truth(proc_container, cabinet.id, truth)
    await assert_no_duplicates(proc_container, cabinet.id)
    assert (await seller.stats())["violations_total"] == 0
