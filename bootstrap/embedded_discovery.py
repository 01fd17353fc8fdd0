"""Who owns a DATA_DIR's embedded servers, and where they answer, so that `wbpulse cabinet connect`, `sync`
and `migrate` use the servers of a running `wbpulse run` (or `demo`) instead of starting their own.

Two files in DATA_DIR:
- `embedded.lock`, an exclusive flock held by the one process that owns the folder's servers: `run`/`demo`
  for their whole life, or a command that started servers just for itself. The kernel drops it when that
  process dies, so it never goes stale; it holds the owner's pid and command, for messages.
- `embedded.json`, written atomically by `run`/`demo` once their servers are up and migrated and removed on
  clean shutdown: the owner's pid and the URLs of its embedded servers. It counts only while its pid holds
  the lock and its servers answer; otherwise it is stale and ignored.

Why only the lock holder may start or stop servers: `start_embedded_redis` stops a redis-server it finds on
the folder, and pgserver adopts a Postgres running on the same PGDATA (which `stop()` would then stop).
"""

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

import attrs
import psycopg
import redis

RUNTIME_FILE_NAME = "embedded.json"
LOCK_FILE_NAME = "embedded.lock"
ANSWER_TIMEOUT_S = 2


@attrs.frozen
class EmbeddedRuntime:
    """What a running `wbpulse run`/`demo` tells other commands: its pid and its embedded servers' URLs
    (None for a URL it was given rather than started)."""

    pid: int
    command: str
    database_url: str | None = None
    redis_url: str | None = None


class DataDirLock:
    """The ownership of a DATA_DIR's embedded servers (an flock on DATA_DIR/embedded.lock)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE_NAME
        self._fd: int | None = None

    def try_acquire(self, command: str) -> bool:
        """Take the lock if nobody holds it (never blocks); True when this process now holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by the servers we spawn
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {command}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.ftruncate(fd, 0)
            os.close(fd)  # closing the descriptor drops the flock

    def holder(self) -> tuple[int, str] | None:
        """The pid and command of the holder (meaningful while `try_acquire` fails), if it has said."""
        try:
            pid, _, command = self.path.read_text().strip().partition(" ")
            return int(pid), command
        except (OSError, ValueError):
            return None

    def describe_holder(self) -> str:
        holder = self.holder()
        return f"`wbpulse {holder[1]}` (pid {holder[0]})" if holder else "another wbpulse process"


@contextlib.contextmanager
def published(data_dir: Path, runtime: EmbeddedRuntime) -> Iterator[None]:
    """DATA_DIR/embedded.json says `runtime` while the block runs (the caller must hold the lock)."""
    path = data_dir / RUNTIME_FILE_NAME
    temporary = path.with_name(f".{RUNTIME_FILE_NAME}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(attrs.asdict(runtime), file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)  # readers see the old file or the whole new one, never a part
    try:
        yield
    finally:
        current = read_runtime(data_dir)
        if current is not None and current.pid == runtime.pid:
            path.unlink(missing_ok=True)


def read_runtime(data_dir: Path) -> EmbeddedRuntime | None:
    """The runtime file as written (None if missing or unreadable); not checked for liveness."""
    try:
        raw = json.loads((data_dir / RUNTIME_FILE_NAME).read_text())
        return EmbeddedRuntime(
            pid=int(raw["pid"]),
            command=str(raw["command"]),
            database_url=raw.get("database_url"),
            redis_url=raw.get("redis_url"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remove_stale_runtime(data_dir: Path) -> None:
    """Drop a runtime file left by an owner that died; only the lock holder may call this."""
    (data_dir / RUNTIME_FILE_NAME).unlink(missing_ok=True)


def live_runtime(data_dir: Path, lock: DataDirLock) -> EmbeddedRuntime | None:
    """The runtime of the process holding the lock (call it only when `try_acquire` failed), if its
    servers answer; None for no file, a file of an earlier owner, or servers that do not answer."""
    runtime, holder = read_runtime(data_dir), lock.holder()
    if runtime is None or holder is None or holder[0] != runtime.pid:
        return None
    return runtime if servers_answer(runtime) else None


def servers_answer(runtime: EmbeddedRuntime) -> bool:
    return (runtime.database_url is None or _postgres_answers(runtime.database_url)) and (
        runtime.redis_url is None or _redis_answers(runtime.redis_url)
    )


def _postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=ANSWER_TIMEOUT_S) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_timeout=ANSWER_TIMEOUT_S, socket_connect_timeout=ANSWER_TIMEOUT_S
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
