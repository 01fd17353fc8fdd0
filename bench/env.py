"""Plumbing shared by the benchmarks: a fresh database, the simulator in a subprocess, the container."""

import base64
import json
import os
import resource
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bootstrap.net import free_port

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"
RATE_SCALE = 1e-6  # our limiter's waits are effectively off (the settings require a scale > 0)
TELEGRAM_ID = 777000


def server_urls() -> tuple[str, str]:
    """(libpq URL of a server where we may create databases, Redis URL)."""
    db = os.environ.get("DATABASE_URL") or DEFAULT_DB
    return db.replace("postgresql+psycopg://", "postgresql://"), os.environ.get("REDIS_URL") or DEFAULT_REDIS


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@contextmanager
def fresh_database(server_url: str, prefix: str = "wbpulse_bench", keep: bool = False) -> Iterator[str]:
    """A database `<prefix>_<hex>` migrated to head (its libpq URL), dropped afterwards unless `keep`."""
    from adapters.outbound.postgres.migrations import upgrade_to_head
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    try:
        upgrade_to_head(to_sqlalchemy_url(url))
        yield url
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank q-quantile (q in 0..1); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def http_json(url: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
        return json.loads(resp.read())


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the simulator exited with {proc.returncode}")
        try:
            http_json(f"{url}/__sim/sellers")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the simulator did not start within 30 s")


@contextmanager
def simulator() -> Iterator[str]:
    """`python -m simulator` in its own process (so our RSS is the worker's alone); yields its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "simulator", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def create_seller(sim_url: str, **options: Any) -> dict[str, Any]:
    """A seller whose clock starts at our real now, with the simulator's limits off."""
    start = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = {"rate_scale": None, "page_cap": 80_000, "start": start, **options}
    return dict(http_json(f"{sim_url}/__sim/sellers", body))


def _settings_env(db_url: str, redis_url: str, sim_url: str, data_dir: Path) -> dict[str, str]:
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    return {
        "DATABASE_URL": to_sqlalchemy_url(db_url),
        "REDIS_URL": redis_url,
        "API_SECRET_KEY": "bench-secret-key",
        "JWT_SECRET": "j" * 32,
        "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"e" * 32).decode(),
        "WB_BASE_URL": sim_url,
        "WB_RATE_SCALE": str(RATE_SCALE),
        "DATA_DIR": str(data_dir),
    }


@asynccontextmanager
async def container(db_url: str, redis_url: str, sim_url: str, data_dir: Path) -> AsyncIterator[Any]:
    """The app's container, its rate limiter under a Redis prefix of its own (deleted afterwards)."""
    from dependency_injector import providers

    from adapters.outbound.redis_rate_limiter import RedisRateLimiter
    from bootstrap.container import build_container, init_resources, shutdown_resources
    from bootstrap.settings import load_settings

    c = build_container(load_settings(_settings_env(db_url, redis_url, sim_url, data_dir)))
    prefix = f"wbpulse:bench:{secrets.token_hex(4)}:ratelimit:"
    limiter = providers.Singleton(RedisRateLimiter, c.gateways.redis_client, prefix=prefix, scale=RATE_SCALE)
    limiter.enable_async_mode()
    c.gateways.rate_limiter.override(limiter)
    await init_resources(c)
    try:
        yield c
    finally:
        redis = await c.gateways.redis_client()
        async for key in redis.scan_iter(match=prefix + "*"):
            await redis.delete(key)
        await shutdown_resources(c)


async def connect_cabinet(c: Any, api_key: str, name: str) -> Any:
    """Connects a cabinet with `api_key` for the bench's user (created once); returns the Cabinet."""
    await (await c.use_cases.register_user())(TELEGRAM_ID)
    connect = await c.use_cases.connect_cabinet()
    return (await connect(TELEGRAM_ID, api_key, name)).cabinet
