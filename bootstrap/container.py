"""The composition root: the one place that picks concrete adapters.

Process-lifetime clients are `Resource`s (the engine is disposed, the Redis client closed on shutdown);
stateless services are `Singleton`s. Tests `.override()` any provider, e.g. the unit-of-work factory with
`InMemoryUnitOfWorkFactory`. Providers that depend on an async Resource are in async mode, so they are
always awaited (see `resolve`), overridden or not.
"""

import inspect
from collections.abc import AsyncIterator
from typing import Any

from dependency_injector import containers, providers
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.clock import SystemClock
from adapters.outbound.postgres.cabinet_lock import PostgresCabinetLock
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.health import PostgresHealthCheck
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.outbound.redis_cache import RedisCache
from adapters.outbound.redis_health import RedisHealthCheck, RedisWorkerHeartbeat
from adapters.outbound.redis_rate_limiter import RedisRateLimiter
from adapters.outbound.secret_box import FernetSecretBox
from adapters.outbound.wb.api import HttpWbSellerApi
from adapters.outbound.wb.transport import WbTransport
from application.use_cases.cabinet_data_health import CabinetDataHealth
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.sync_cabinet import SyncCabinet
from application.use_cases.validate_cabinets import ValidateAllCabinets
from bootstrap import sync_wiring as sw
from bootstrap.settings import Settings


async def _engine(url: str | None) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(_known(url, "DATABASE_URL"))
    try:
        yield engine
    finally:
        await engine.dispose()


async def _redis(url: str | None) -> AsyncIterator[Redis]:
    # Lazy: nothing connects here, so the API starts (and /ready says why) while Redis is down.
    client = Redis.from_url(_known(url, "REDIS_URL"), socket_connect_timeout=2, socket_timeout=5)
    try:
        yield client
    finally:
        await client.aclose()


def _secret_box(settings: Settings) -> FernetSecretBox:
    return FernetSecretBox(settings.encryption_key.reveal())


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Resource(_engine, settings.provided.database_url)
    redis_client = providers.Resource(_redis, settings.provided.redis_url)

    clock = providers.Singleton(SystemClock)
    secret_box = providers.Singleton(_secret_box, settings)

    unit_of_work_factory = providers.Singleton(PostgresUnitOfWorkFactory, engine)
    cache = providers.Singleton(RedisCache, redis_client, prefix="wbpulse:cache:")
    worker_heartbeat = providers.Singleton(RedisWorkerHeartbeat, redis_client)

    http_session = providers.Resource(sw.http_session)
    rate_limiter = providers.Singleton(
        RedisRateLimiter, redis_client, prefix="wbpulse:ratelimit:", scale=settings.provided.wb.rate_scale
    )
    wb_transport = providers.Singleton(
        WbTransport, http_session, rate_limiter, auth_prefix=settings.provided.wb.auth_prefix
    )
    wb_api = providers.Singleton(
        HttpWbSellerApi, wb_transport, providers.Callable(sw.wb_hosts, settings.provided.wb)
    )
    cabinet_lock = providers.Singleton(PostgresCabinetLock, engine)
    id_factory = providers.Object(sw.new_id)

    connect_cabinet = providers.Factory(
        ConnectCabinet, unit_of_work_factory, wb_api, secret_box, clock, id_factory
    )
    validate_cabinets = providers.Factory(
        ValidateAllCabinets, unit_of_work_factory, wb_api, secret_box, clock, id_factory
    )
    sync_cabinet = providers.Factory(
        SyncCabinet,
        unit_of_work_factory,
        wb_api,
        secret_box,
        clock,
        cabinet_lock,
        providers.Callable(sw.sync_settings, settings),
        id_factory,
    )
    cabinet_data_health = providers.Factory(CabinetDataHealth, unit_of_work_factory)
    health_checks = providers.List(
        providers.Singleton(PostgresHealthCheck, engine),
        providers.Singleton(RedisHealthCheck, redis_client),
    )


ASYNC_PROVIDERS = (
    "unit_of_work_factory",
    "cache",
    "worker_heartbeat",
    "health_checks",
    "rate_limiter",
    "wb_transport",
    "wb_api",
    "cabinet_lock",
    "connect_cabinet",
    "validate_cabinets",
    "sync_cabinet",
    "cabinet_data_health",
)


def build_container(settings: Settings) -> Container:
    """A container for `settings`, whose URLs must be set (the CLI fills them in for the embedded servers)."""
    container = Container(settings=settings)
    for name in ASYNC_PROVIDERS:
        getattr(container, name).enable_async_mode()
    return container


async def resolve(provider: providers.Provider[Any]) -> Any:
    """The provider's value, awaiting it when it is awaitable."""
    value = provider()
    return await value if inspect.isawaitable(value) else value


async def init_resources(container: containers.Container) -> None:
    pending = container.init_resources()
    if pending is not None:  # None when no resource is async
        await pending


async def shutdown_resources(container: containers.Container) -> None:
    pending = container.shutdown_resources()
    if pending is not None:
        await pending


def _known(url: str | None, variable: str) -> str:
    if url is None:
        raise RuntimeError(f"{variable} is not set and no embedded server was started for it")
    return url
