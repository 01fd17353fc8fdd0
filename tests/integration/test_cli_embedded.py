"""`wbpulse cabinet connect`, `sync` and `migrate` on the embedded default (no DATABASE_URL, no REDIS_URL):
against a running `wbpulse run` they use the servers it started and leave them running; with no `run` they
start the embedded servers of DATA_DIR for themselves and stop them afterwards. The WB key goes in on stdin
or from a file and never comes out."""

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.sync.sources import SOURCES
from tests.integration.wbpulse_process import (
    Simulator,
    WbPulse,
    clean_env,
    free_port,
    get,
    run_to_end,
    server_processes,
)

pytestmark = [pytest.mark.embedded, pytest.mark.timeout(120)]
SOURCE_NAMES = [source.name for source in SOURCES]
CABINET_LINE = re.compile(r"^cabinet ([0-9a-f-]{36}) created", re.MULTILINE)
SELLER = {"preset": "small", "rate_scale": 0.01, "page_cap": 300}


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "wbpulse-data"
    yield folder
    for leftover in server_processes(folder):  # only after a failure: never leave servers behind
        leftover.kill()


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Simulator]:
    sim = Simulator(tmp_path / "simulator.log")
    yield sim
    sim.stop()


def cli_env(data_dir: Path, simulator: Simulator) -> dict[str, str]:
    return clean_env(
        DATA_DIR=str(data_dir), WB_BASE_URL=simulator.base_url, WB_RATE_SCALE="0.01", WB_STATS_PAGE_ROWS="300"
    )


def assert_synced(result: subprocess.CompletedProcess[str], paced: bool = False) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [
        line for line in result.stdout.splitlines() if line.split()[:1] and line.split()[0] in SOURCE_NAMES
    ]
    assert [line.split()[0] for line in lines] == SOURCE_NAMES, result.stdout
    assert all(line.endswith(" ok") or (paced and " continues at " in line) for line in lines), result.stdout


def assert_key_not_in(key: str, *outputs: str) -> None:
    for output in outputs:
        assert key not in output
        assert key.split(".")[1] not in output  # not even the JWT's payload


def redis_pid(data_dir: Path) -> int:
    return int((data_dir / "redis" / "redis.pid").read_text())


def postgres_pid(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0])


def test_connect_and_sync_use_the_servers_of_the_running_wbpulse_run(
    data_dir: Path, simulator: Simulator, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = WbPulse(["run"], clean_env(DATA_DIR=str(data_dir), PORT=str(port)), tmp_path / "run")
    try:
        server.wait_for(f"{base}/ready", timeout=60)
        published = json.loads((data_dir / "embedded.json").read_text())
        assert published["pid"] == server.process.pid
        servers = (redis_pid(data_dir), postgres_pid(data_dir))
        key = simulator.new_seller(**SELLER)["api_key"]
        env = cli_env(data_dir, simulator)

        connected = run_to_end(["cabinet", "connect", "--telegram-id", "1"], env, tmp_path, stdin=f"{key}\n")
        assert connected.returncode == 0, connected.stdout + connected.stderr
        match = CABINET_LINE.search(connected.stdout)
        assert match, connected.stdout
        synced = run_to_end(["sync", "--cabinet", match.group(1)], env, tmp_path)
        # The run's worker took the cabinet's first sync at once (connect asks for it): the CLI's sync finds
        # it running until it is done, and may then be paced by WB's statistics interval the worker used.
        for _ in range(30):
            if "already running" not in synced.stdout:
                break
            time.sleep(1)
            synced = run_to_end(["sync", "--cabinet", match.group(1)], env, tmp_path)
        assert_synced(synced, paced=True)
        migrated = run_to_end(["migrate"], env, tmp_path)
        assert migrated.returncode == 0 and "(head)" in migrated.stdout, migrated.stderr

        # The commands used the run's servers: the same processes, still answering the run.
        assert (redis_pid(data_dir), postgres_pid(data_dir)) == servers
        status, body = get(f"{base}/ready")
        assert status == 200 and body["checks"] == {"postgres": "ok", "redis": "ok"}, body
        second = run_to_end(["run"], clean_env(DATA_DIR=str(data_dir), PORT=str(free_port())), tmp_path)
        assert second.returncode == 1 and f"pid {server.process.pid}" in second.stderr, second.stderr
        assert (redis_pid(data_dir), postgres_pid(data_dir)) == servers
        assert server.stop() == 0, server.output()
    finally:
        server.kill()
    assert not (data_dir / "embedded.json").exists()
    assert server_processes(data_dir) == []
    outputs = (connected.stdout, connected.stderr, synced.stdout, synced.stderr, server.output())
    assert_key_not_in(key, *outputs)


def test_connect_without_a_running_wbpulse_starts_the_servers_and_stops_them(
    data_dir: Path, simulator: Simulator, tmp_path: Path
) -> None:
    key = simulator.new_seller(**SELLER)["api_key"]
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"{key}\n")
    env = cli_env(data_dir, simulator)

    connected = run_to_end(
        ["cabinet", "connect", "--telegram-id", "2", "--api-key-file", str(key_file)], env, tmp_path
    )

    assert connected.returncode == 0, connected.stdout + connected.stderr
    match = CABINET_LINE.search(connected.stdout)
    assert match, connected.stdout
    assert (data_dir / "postgres" / "PG_VERSION").exists()  # it did start Postgres here...
    assert server_processes(data_dir) == []  # ...and stopped it, and its Redis
    assert not (data_dir / "embedded.json").exists()  # only a `run` publishes its servers

    synced = run_to_end(["sync", "--cabinet", match.group(1)], env, tmp_path)  # the cabinet was kept
    assert_synced(synced)
    assert server_processes(data_dir) == []
    assert_key_not_in(key, connected.stdout, connected.stderr, synced.stdout, synced.stderr)
