"""What each `wbpulse` command does, once its settings are valid (bootstrap.cli imports this lazily, so
that a configuration error is reported without loading the whole stack)."""

import asyncio
import contextlib
import signal
from collections.abc import Callable
from types import FrameType

import attrs

from adapters.outbound.postgres.migrations import current_revision, upgrade_to_head
from bootstrap.embedded import start_embedded_postgres, start_embedded_redis
from bootstrap.runtime import serve_all, serve_api, serve_worker
from bootstrap.settings import Settings


def api(settings: Settings) -> int:
    return asyncio.run(serve_api(settings, on_ready=lambda: announce(settings, [])))


def worker(settings: Settings) -> int:
    return asyncio.run(serve_worker(settings))


def migrate(settings: Settings) -> int:
    url = _known(settings.database_url)
    upgrade_to_head(url)
    print(f"wb-pulse database is at revision {current_revision(url)} (head)", flush=True)
    return 0


def run(settings: Settings) -> int:
    """Embedded servers for the URLs not set, migrations, then API and worker until SIGTERM/SIGINT."""
    _terminate_as_interrupt()  # so that SIGTERM during start-up still stops the embedded servers
    with contextlib.ExitStack() as servers:
        effective, embedded = _with_embedded_servers(settings, servers)
        upgrade_to_head(_known(effective.database_url))
        code = asyncio.run(serve_all(effective, on_ready=lambda: announce(effective, embedded)))
        _terminate_as_interrupt()  # asyncio put back the default handler
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


def _with_embedded_servers(settings: Settings, stack: contextlib.ExitStack) -> tuple[Settings, list[str]]:
    database_url, redis_url, names = settings.database_url, settings.redis_url, []
    if database_url is None:
        database_url = stack.enter_context(start_embedded_postgres(settings.data_dir / "postgres")).url
        names.append("Postgres")
    if redis_url is None:
        redis_url = stack.enter_context(start_embedded_redis(settings.data_dir / "redis")).url
        names.append("Redis")
    return attrs.evolve(settings, database_url=database_url, redis_url=redis_url), names


def _terminate_as_interrupt() -> None:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _known(url: str | None) -> str:
    if url is None:  # load_settings(required=...) or the embedded start guarantee it
        raise RuntimeError("no database URL")
    return url


COMMANDS: dict[str, Callable[[Settings], int]] = {
    "api": api,
    "worker": worker,
    "migrate": migrate,
    "run": run,
}
