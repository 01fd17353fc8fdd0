"""What `run`, `api`, `worker` and `migrate` do once their settings are valid, and which embedded servers a
command gets. bootstrap.cli imports this lazily, so that a configuration error is reported without
loading the whole stack. Every handler is `handler(args, settings) -> exit code`.

The embedded servers of a DATA_DIR have one owner at a time (see bootstrap.embedded_discovery): `run` and
`demo` own them for their whole life and publish where they answer; `cabinet connect`, `sync` and
`migrate` use a running owner's servers, or else start them for themselves and stop them afterwards.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import attrs

from adapters.outbound.postgres.migrations import current_revision, upgrade_to_head
from bootstrap.embedded import start_embedded_postgres, start_embedded_redis
from bootstrap.embedded_discovery import (
    DataDirLock,
    EmbeddedRuntime,
    live_runtime,
    published,
    remove_stale_runtime,
)
from bootstrap.errors import StartupError
from bootstrap.runtime import serve_all, serve_api, serve_worker
from bootstrap.settings import Settings

BOTH_SERVERS = ("DATABASE_URL", "REDIS_URL")
OWNERS = ("run", "demo")  # the commands that keep the servers for as long as they serve
LOCK_WAIT_S = 120.0
POLL_S = 0.2
logger = logging.getLogger(__name__)


def api(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(serve_api(settings, on_ready=lambda: announce(settings, [])))


def worker(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(serve_worker(settings))


def migrate(args: argparse.Namespace, settings: Settings) -> int:
    terminate_as_interrupt()  # so that SIGTERM still stops servers started for this command
    with contextlib.ExitStack() as stack:
        url = known(shared_servers(settings, stack, "migrate", needs=("DATABASE_URL",)).database_url)
        upgrade_to_head(url)
        print(f"wb-pulse database is at revision {current_revision(url)} (head)", flush=True)
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Embedded servers for the URLs not set, migrations, then API and worker until SIGTERM/SIGINT."""
    terminate_as_interrupt()  # so that SIGTERM during start-up still stops the embedded servers
    with contextlib.ExitStack() as stack:
        effective, embedded = owned_servers(settings, stack, "run")
        code = asyncio.run(serve_all(effective, on_ready=lambda: announce(effective, embedded)))
        terminate_as_interrupt()  # asyncio put back the default handler
        return code


def announce(settings: Settings, embedded: list[str]) -> None:
    """The one human line on stdout: where wb-pulse answers (and where its embedded data lives)."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    line = f"wb-pulse is running at http://{host}:{settings.port}"
    if embedded:
        folder = str(settings.data_dir)
        folder = folder if settings.data_dir.is_absolute() else f"./{folder}"
        line += f" (embedded {' and '.join(embedded)} in {folder})"
    print(line, flush=True)


def owned_servers(
    settings: Settings, stack: contextlib.ExitStack, command: str
) -> tuple[Settings, list[str]]:
    """For `run`/`demo`: own DATA_DIR (waiting for a short command that holds it), start the embedded
    servers for the URLs not set, migrate, and publish the servers until `stack` closes."""
    if settings.database_url is None or settings.redis_url is None:
        _own_data_dir(settings.data_dir, stack, command, wait_for_owner=False)
    effective, names = _start_missing(settings, stack, BOTH_SERVERS)
    upgrade_to_head(known(effective.database_url))
    if names:
        runtime = EmbeddedRuntime(
            pid=os.getpid(),
            command=command,
            database_url=effective.database_url if settings.database_url is None else None,
            redis_url=effective.redis_url if settings.redis_url is None else None,
        )
        stack.enter_context(published(settings.data_dir, runtime))
    return effective, names


def shared_servers(
    settings: Settings, stack: contextlib.ExitStack, command: str, needs: Sequence[str] = BOTH_SERVERS
) -> Settings:
    """For a short command: `settings` with the URLs in `needs` filled in from the running `run`/`demo` of
    DATA_DIR, or from embedded servers started (and migrated) for this command and stopped with `stack`."""
    missing = [name for name in needs if _url(settings, name) is None]
    if not missing:
        return settings
    running = _own_data_dir(settings.data_dir, stack, command, wait_for_owner=True)
    if running is not None:
        return _with_runtime(settings, running, missing)
    effective, names = _start_missing(settings, stack, needs)
    if "Postgres" in names:
        upgrade_to_head(known(effective.database_url))
    return effective


def _own_data_dir(
    data_dir: Path, stack: contextlib.ExitStack, command: str, *, wait_for_owner: bool
) -> EmbeddedRuntime | None:
    """Take DATA_DIR's lock (released with `stack`) and return None; or, with `wait_for_owner`, return
    the servers of the `run`/`demo` holding it once they answer. Waits at most LOCK_WAIT_S."""
    lock, deadline, told = DataDirLock(data_dir), time.monotonic() + LOCK_WAIT_S, False
    while not lock.try_acquire(command):
        holder = lock.holder()
        owner = holder is not None and holder[1] in OWNERS
        if owner and not wait_for_owner:
            raise StartupError(
                f"{lock.describe_holder()} already serves {data_dir}; stop it or use another DATA_DIR"
            )
        running = live_runtime(data_dir, lock) if owner else None
        if running is not None:
            return running
        if time.monotonic() > deadline:
            why = "its servers do not answer" if owner else "it is still running"
            raise StartupError(f"{lock.describe_holder()} holds {data_dir} and {why}; try again later")
        if not told:
            waiting_for = "to start its servers in" if owner else "to finish with"
            logger.info("waiting for %s %s %s", lock.describe_holder(), waiting_for, data_dir)
            told = True
        time.sleep(POLL_S)
    stack.callback(lock.release)
    remove_stale_runtime(data_dir)  # whoever wrote it is gone: we hold the lock
    return None


def _with_runtime(settings: Settings, running: EmbeddedRuntime, missing: list[str]) -> Settings:
    urls = {"DATABASE_URL": running.database_url, "REDIS_URL": running.redis_url}
    for name in missing:
        if urls[name] is None:
            raise StartupError(
                f"{name} is not set, and `wbpulse {running.command}` (pid {running.pid}) of this DATA_DIR "
                "was given it rather than starting an embedded server: set it here too"
            )
    return attrs.evolve(
        settings,
        database_url=settings.database_url or urls["DATABASE_URL"],
        redis_url=settings.redis_url or urls["REDIS_URL"],
    )


def _start_missing(
    settings: Settings, stack: contextlib.ExitStack, needs: Sequence[str]
) -> tuple[Settings, list[str]]:
    """Embedded servers (stopped with `stack`) for the URLs in `needs` that are not set; the caller holds
    DATA_DIR's lock."""
    database_url, redis_url, names = settings.database_url, settings.redis_url, []
    if database_url is None and "DATABASE_URL" in needs:
        database_url = stack.enter_context(start_embedded_postgres(settings.data_dir / "postgres")).url
        names.append("Postgres")
    if redis_url is None and "REDIS_URL" in needs:
        redis_url = stack.enter_context(start_embedded_redis(settings.data_dir / "redis")).url
        names.append("Redis")
    return attrs.evolve(settings, database_url=database_url, redis_url=redis_url), names


def _url(settings: Settings, name: str) -> str | None:
    return settings.database_url if name == "DATABASE_URL" else settings.redis_url


def terminate_as_interrupt() -> None:
    """SIGTERM raises KeyboardInterrupt, so that `with` blocks (embedded servers, the lock) unwind."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def known(url: str | None) -> str:
    if url is None:  # load_settings(required=...) or the embedded start guarantee it
        raise RuntimeError("no database URL")
    return url
