"""`wbpulse run` on a fresh machine: no DATABASE_URL, no REDIS_URL. It starts embedded Postgres and Redis
under DATA_DIR, serves, keeps its data across a restart, and leaves no server running after SIGTERM."""

import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from tests.integration.wbpulse_process import WbPulse, clean_env, free_port, get, server_processes

pytestmark = [pytest.mark.embedded, pytest.mark.timeout(240)]
TELEGRAM_ID = 777_000_111


def postgres_socket_dir(data_dir: Path) -> str:
    return (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[4].strip()


def redis_client(data_dir: Path) -> redis.Redis:
    config = (data_dir / "redis" / "redis.conf").read_text()
    port = next(line.split()[1] for line in config.splitlines() if line.startswith("port "))
    return redis.Redis(host="127.0.0.1", port=int(port))


def wait_for_worker_heartbeat(base: str) -> dict:
    for _ in range(100):
        status, body = get(f"{base}/ready")
        if status == 200 and body.get("info", {}).get("worker", {}).get("heartbeat"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"no worker heartbeat in /ready: {body}")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "wbpulse-data"
    yield folder
    for leftover in server_processes(folder):  # only after a failure: never leave servers behind
        leftover.kill()


def test_run_embedded_serves_keeps_data_and_stops_cleanly(data_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(DATA_DIR=str(data_dir), PORT=str(port))
    base = f"http://127.0.0.1:{port}"

    first = WbPulse(["run"], env, tmp_path / "first")
    try:
        assert first.wait_for(f"{base}/health", timeout=60) == {"status": "ok"}
        ready = first.wait_for(f"{base}/ready", timeout=60)
        assert ready["checks"] == {"postgres": "ok", "redis": "ok"}
        wait_for_worker_heartbeat(base)  # the arq worker runs in the same process
        names = {process.name() for process in server_processes(data_dir)}
        assert "postgres" in names and "redis-server" in names, names  # so the check below can fail
        with psycopg.connect(host=postgres_socket_dir(data_dir), user="postgres", dbname="postgres") as conn:
            conn.execute("INSERT INTO users (telegram_id, username) VALUES (%s, 'embedded')", (TELEGRAM_ID,))
        with redis_client(data_dir) as client:
            client.set("wbpulse:test:survives", b"yes")
        assert first.stop() == 0, first.output()
    finally:
        first.kill()
    banner = f"wb-pulse is running at {base} (embedded Postgres and Redis in {data_dir})\n"
    assert first.stdout_path.read_text() == banner
    assert server_processes(data_dir) == []
    secrets_file = (data_dir / "secrets.env").read_text()

    second = WbPulse(["run"], env, tmp_path / "second")
    try:
        assert second.wait_for(f"{base}/ready", timeout=60)["status"] == "ready"
        with psycopg.connect(host=postgres_socket_dir(data_dir), user="postgres", dbname="postgres") as conn:
            row = conn.execute("SELECT username FROM users WHERE telegram_id = %s", (TELEGRAM_ID,)).fetchone()
        assert row == ("embedded",)
        with redis_client(data_dir) as client:
            assert client.get("wbpulse:test:survives") == b"yes"
        assert second.stop() == 0, second.output()
    finally:
        second.kill()
    assert server_processes(data_dir) == []
    assert (data_dir / "secrets.env").read_text() == secrets_file, "secrets are generated once"
    for secret_line in secrets_file.splitlines()[2:]:
        assert secret_line.partition("=")[2] not in first.output() + second.output()


def test_run_recovers_after_being_killed(data_dir: Path, tmp_path: Path) -> None:
    """SIGKILL leaves the servers running; the next start takes over their data and stops them cleanly."""
    port = free_port()
    env = clean_env(DATA_DIR=str(data_dir), PORT=str(port))
    killed = WbPulse(["run"], env, tmp_path / "killed")
    try:
        killed.wait_for(f"http://127.0.0.1:{port}/ready", timeout=60)
    finally:
        killed.kill()
    assert server_processes(data_dir), "the servers outlive a killed wbpulse"

    again = WbPulse(["run"], env, tmp_path / "again")
    try:
        assert again.wait_for(f"http://127.0.0.1:{port}/ready", timeout=60)["status"] == "ready"
        assert again.stop() == 0, again.output()
    finally:
        again.kill()
    assert server_processes(data_dir) == []
