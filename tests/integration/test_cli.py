"""`wbpulse` as an operator meets it: one clear line for a bad setting; a WB key never taken from the
command line; `api`, `worker`, `migrate` on the real servers, each stopping cleanly on SIGTERM. (The
embedded default of `cabinet connect`, `sync` and `migrate` is in test_cli_embedded.py.)"""

import base64
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bootstrap import cli
from tests.integration.wbpulse_process import WbPulse, clean_env, free_port, get, run_to_end

SECRETS = {
    "API_SECRET_KEY": "CnWvwoDwwGKh",
    "JWT_SECRET": "jwt-secret-for-the-cli-test-0123456789",
    "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"c" * 32).decode(),
}
HEARTBEAT_KEY = "wbpulse:worker:heartbeat"


@pytest.fixture
def server_env(database_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    data_dir = str(tmp_path / "data")
    return clean_env(DATABASE_URL=database_url, REDIS_URL=redis_url, DATA_DIR=data_dir, **SECRETS)


@pytest.fixture
def started() -> Iterator[list[WbPulse]]:
    """Processes a test started; killed afterwards if the test left one running."""
    processes: list[WbPulse] = []
    yield processes
    for process in processes:
        process.kill()


def assert_one_line_naming(
    result: subprocess.CompletedProcess[str], variable: str, hidden: str | None = None
) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"wbpulse: configuration error: {variable}: ")
    assert "Traceback" not in result.stderr and result.stdout == ""
    if hidden is not None:
        assert hidden not in result.stderr


def test_bad_sync_interval_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL="postgresql://u@127.0.0.1/db", REDIS_URL="redis://127.0.0.1/0", **SECRETS)
    result = run_to_end(["api"], {**env, "SYNC_INTERVAL": "abc"}, tmp_path)
    assert_one_line_naming(result, "SYNC_INTERVAL")
    expected = "SYNC_INTERVAL: must be an integer between 30 and 86400 (got 'abc')"
    assert result.stderr == f"wbpulse: configuration error: {expected}\n"


def test_short_jwt_secret_is_named_and_not_shown(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL="postgresql://u@127.0.0.1/db", REDIS_URL="redis://127.0.0.1/0", **SECRETS)
    result = run_to_end(["api"], {**env, "JWT_SECRET": "tiny-secret-7"}, tmp_path)
    assert_one_line_naming(result, "JWT_SECRET", hidden="tiny-secret-7")


def test_api_without_database_url_names_it_and_writes_nothing(tmp_path: Path) -> None:
    result = run_to_end(["api"], clean_env(DATA_DIR=str(tmp_path / "data")), tmp_path)
    assert_one_line_naming(result, "DATABASE_URL")
    assert "wbpulse run" in result.stderr
    assert not (tmp_path / "data").exists()


def test_run_with_bad_port_fails_before_starting_anything(tmp_path: Path) -> None:
    result = run_to_end(["run"], clean_env(DATA_DIR=str(tmp_path / "data"), PORT="99999"), tmp_path)
    assert_one_line_naming(result, "PORT")
    assert not (tmp_path / "data").exists()


def test_every_command_is_one_row_whose_handler_exists() -> None:
    names = [command.name for command in cli.COMMANDS]
    assert names == [
        "run", "api", "worker", "migrate", "cabinet connect", "sync", "rollups rebuild", "demo", "login-link",
        "simulator",
    ]  # fmt: skip
    for command in cli.COMMANDS:
        assert callable(cli._handler(command)), command.name


def test_connect_without_a_key_is_exit_2_and_starts_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run_to_end(
        ["cabinet", "connect", "--telegram-id", "5"], clean_env(DATA_DIR=str(data_dir)), tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("wbpulse: no WB API key in stdin; give it with --api-key-file PATH")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (data_dir / "postgres").exists() and not (data_dir / "redis").exists()


def test_connect_with_an_unreadable_key_file_is_exit_2(tmp_path: Path) -> None:
    args = ["cabinet", "connect", "--telegram-id", "5", "--api-key-file", str(tmp_path / "missing.txt")]
    result = run_to_end(args, clean_env(DATA_DIR=str(tmp_path / "data"), WB_API_KEY="unused"), tmp_path)
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr
        == f"wbpulse: cannot read --api-key-file {tmp_path / 'missing.txt'}: FileNotFoundError\n"
    )


@pytest.mark.parametrize("form", [["--api-key", "{key}"], ["--api-key={key}"]])
def test_a_key_on_the_command_line_is_refused_and_not_echoed(tmp_path: Path, form: list[str]) -> None:
    key = "eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOiJjbGktdGVzdCJ9.c2lnbmF0dXJlLW9mLXRoZS1rZXk"
    args = ["cabinet", "connect", "--telegram-id", "5", *(part.format(key=key) for part in form)]
    result = run_to_end(args, clean_env(DATA_DIR=str(tmp_path / "data")), tmp_path)
    assert result.returncode == 2, result.stderr
    assert "--api-key is not accepted" in result.stderr and "--api-key-file" in result.stderr
    assert key not in result.stderr + result.stdout and "eyJzaWQi" not in result.stderr
    assert not (tmp_path / "data").exists()  # refused before the settings were even read


@pytest.mark.timeout(90)
def test_api_serves_health_and_ready_and_stops_on_sigterm(
    server_env: dict[str, str], tmp_path: Path, started: list[WbPulse]
) -> None:
    port = free_port()
    api = WbPulse(["api"], {**server_env, "PORT": str(port)}, tmp_path / "api")
    started.append(api)
    assert api.wait_for(f"http://127.0.0.1:{port}/health") == {"status": "ok"}
    status, body = get(f"http://127.0.0.1:{port}/ready")
    assert status == 200 and body["checks"] == {"postgres": "ok", "redis": "ok"}
    assert api.stop() == 0
    assert f"wb-pulse is running at http://127.0.0.1:{port}\n" in api.stdout_path.read_text()
    assert SECRETS["JWT_SECRET"] not in api.output()


@pytest.mark.timeout(90)
def test_worker_beats_and_stops_on_sigterm(
    server_env: dict[str, str], redis_url: str, tmp_path: Path, started: list[WbPulse]
) -> None:
    client = redis.Redis.from_url(redis_url)
    client.delete(HEARTBEAT_KEY)
    worker = WbPulse(["worker"], server_env, tmp_path / "worker")
    started.append(worker)
    try:
        for _ in range(150):
            if client.get(HEARTBEAT_KEY) or worker.process.poll() is not None:
                break
            time.sleep(0.1)
        assert client.get(HEARTBEAT_KEY), worker.output()
        ttl = client.ttl(HEARTBEAT_KEY)
        assert isinstance(ttl, int) and ttl > 0
    finally:
        client.close()
    assert worker.stop() == 0, worker.output()


def test_migrate_prints_the_head_revision(fresh_database_url: str, tmp_path: Path) -> None:
    from adapters.outbound.postgres.migrations import current_revision, head_revision

    result = run_to_end(["migrate"], clean_env(DATABASE_URL=fresh_database_url, **SECRETS), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wb-pulse database is at revision {head_revision()} (head)"
    assert current_revision(fresh_database_url) == head_revision()


def test_demo_refuses_a_negative_clock_rate(tmp_path: Path) -> None:
    result = run_to_end(["demo", "--clock-rate", "-1"], clean_env(DATA_DIR=str(tmp_path / "data")), tmp_path)
    assert result.returncode == 2
    assert "--clock-rate: must be a number >= 0 (got '-1')" in result.stderr
    assert not (tmp_path / "data").exists()
