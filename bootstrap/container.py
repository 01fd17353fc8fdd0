"""The composition root: the one place that picks concrete adapters.

Two linked containers: `Gateways` holds the adapters (process-lifetime clients are `Resource`s, disposed
on shutdown; stateless services are `Singleton`s), `UseCaseFactories` makes the use cases from them. The
root `Container` links the two. Tests `.override()` any gateway, e.g.
`container.gateways.unit_of_work_factory` with an `InMemoryUnitOfWorkFactory`, and every use case gets it.

Every provider is put in async mode by `build_container` (some adapters depend on async resources), so a
provider call is always awaited, overridden or not. Inbound adapters never see any of this: they are
handed `use_case_registry(container)`, a typed `UseCases`.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import attrs
from arq.connections import ArqRedis
from dependency_injector import containers, providers
from redis.asyncio import ConnectionPool, Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.inbound.jobs import DELIVER_JOB, SYNC_JOB
from adapters.outbound.arq_sync_scheduler import ArqDeliveryScheduler, ArqSyncScheduler
from adapters.outbound.clock import SystemClock
from adapters.outbound.jwt_tokens import JwtAccessTokens
from adapters.outbound.near_answers import NearAnswerCache
from adapters.outbound.no_bot import NoBotGateway
from adapters.outbound.postgres.cabinet_facts import ListeningCabinetFacts
from adapters.outbound.postgres.cabinet_lock import PostgresCabinetLock
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.health import PostgresHealthCheck
from adapters.outbound.postgres.repositories.dashboard_orders import PostgresDashboardOrders
from adapters.outbound.postgres.repositories.dashboard_sla import PostgresDashboardSla
from adapters.outbound.postgres.repositories.reports import PostgresReports
from adapters.outbound.postgres.repositories.weekly_inputs import PostgresWeeklyInputs
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from adapters.outbound.redis_answers import RedisAnswerCache, RedisRequestBudget
from adapters.outbound.redis_health import RedisHealthCheck, RedisWorkerHeartbeat
from adapters.outbound.redis_rate_limiter import RedisRateLimiter
from adapters.outbound.redis_settings_cache import RedisSettingsCache
from adapters.outbound.secret_box import FernetSecretBox
from adapters.outbound.wb.api import HttpWbSellerApi
from adapters.outbound.wb.transport import WbTransport
from adapters.outbound.webhook_sender import WebhookBotGateway
from application.cogs.bulk import BulkSetCogs
from application.cogs.reads import CogsHistoryView, GetCogs, GetCogsVersion, MissingCogsReport
from application.cogs.writes import CreateCogs, DeleteCogs, UpdateCogs
from application.dashboard.analytics import OrderComparison, OrderTrends, OrderVolume, SeasonalPatterns
from application.dashboard.answers import AdmitRequest, ServeCachedAnswer, StoredCabinetFacts
from application.dashboard.orders import GetOrder, ListOrders
from application.dashboard.sla import OrderSla
from application.dashboard.velocity import OrderVelocity
from application.dashboard.weekly import WeeklyBySku
from application.notifications.deliver import DeliverNotifications
from application.notifications.log import NotificationLog, ResendNotification, SendTestNotification
from application.notifications.missing_cogs import ReportMissingCogs
from application.notifications.settings import (
    AddStockIgnore,
    GetNotificationSettings,
    ListStockIgnore,
    RemoveStockIgnore,
    UpdateNotificationSettings,
)
from application.ports.answers import CabinetFacts
from application.ports.notifications import BotGateway
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.registry import UseCases
from application.sync.run import SyncSettings
from application.use_cases.auth_session import SessionIssuer
from application.use_cases.bot_order_statistics import OrderStatistics
from application.use_cases.bot_recent_orders import RecentOrders
from application.use_cases.bot_sales import RecentSales, SalesStatistics
from application.use_cases.cabinet_data_health import CabinetDataHealth
from application.use_cases.cabinet_overview import CabinetOverview
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.dashboard_access import Authenticate, AuthorizeCabinet, GetMe
from application.use_cases.leave_cabinet import LeaveCabinet
from application.use_cases.list_active_cabinets import ListActiveCabinets
from application.use_cases.list_user_cabinets import ListUserCabinets
from application.use_cases.login_codes import ExchangeLoginCode, IssueLoginCode
from application.use_cases.poll_new_orders import PollNewOrders
from application.use_cases.purge_cabinets import PurgeCabinets
from application.use_cases.rebuild_rollups import RebuildRollups
from application.use_cases.refresh_session import Logout, RefreshSession
from application.use_cases.register_user import RegisterUser
from application.use_cases.sync_cabinet import SyncCabinet
from application.use_cases.telegram_login import TelegramLogin
from application.use_cases.validate_cabinets import ValidateAllCabinets
from application.use_cases.worker_heartbeat import RecordWorkerHeartbeat
from bootstrap.settings import Settings

# Provider kinds that produce values; Resources, Dependencies and Objects are left as they are.
_MADE = (providers.Factory, providers.Singleton, providers.Callable, providers.List)


async def _engine(url: str | None, max_jobs: int) -> AsyncIterator[AsyncEngine]:
    """The units of work's pool. A unit holds its connection only while it talks to Postgres (a session
    connects at its first statement), never while waiting for another, so `max_jobs` syncs of a few
    concurrent lanes each queue briefly at worst; half of max_jobs kept open, as many again on demand."""
    half = max(5, max_jobs // 2)
    engine = create_engine(_known(url, "DATABASE_URL"), pool_size=half, max_overflow=half)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _lock_engine(url: str | None, max_jobs: int) -> AsyncIterator[AsyncEngine]:
    """The cabinet locks' own pool: a held advisory lock keeps its connection for the whole sync, so the
    locks get one connection per job slot and can never starve the units of work (or be starved by
    them), whatever max_jobs is (docs/decisions/0006-sync-pacing-and-scale.md)."""
    engine = create_engine(_known(url, "DATABASE_URL"), pool_size=max_jobs, max_overflow=0)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _cabinet_facts(url: str | None, uow_factory: UnitOfWorkFactory) -> AsyncIterator[CabinetFacts]:
    """Memberships and data versions kept in process while Postgres tells of their changes (decision
    0019); its LISTEN connection opens at the first dashboard request, not here."""
    facts = ListeningCabinetFacts(_known(url, "DATABASE_URL"), StoredCabinetFacts(uow_factory))
    try:
        yield facts
    finally:
        await facts.close()


async def _redis(url: str | None) -> AsyncIterator[Redis]:
    # Lazy: nothing connects here, so the API starts (and /ready says why) while Redis is down.
    client = Redis.from_url(_known(url, "REDIS_URL"), socket_connect_timeout=2, socket_timeout=5)
    try:
        yield client
    finally:
        await client.aclose()


# The workers' queue; bootstrap.worker.QUEUE_NAME is the same (a test checks: the worker imports this module).
ARQ_QUEUE_NAME = "wbpulse:queue"


async def _arq_redis(url: str | None) -> AsyncIterator[ArqRedis]:
    """The arq client that enqueues jobs from the API process; lazy like `_redis`."""
    pool = ConnectionPool.from_url(_known(url, "REDIS_URL"), socket_connect_timeout=2, socket_timeout=5)
    client = ArqRedis(pool, default_queue_name=ARQ_QUEUE_NAME)
    try:
        yield client
    finally:
        await client.aclose()


async def _http_session() -> AsyncIterator[aiohttp.ClientSession]:
    """One ClientSession per process, for every WB call."""
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=120, connect=10), headers={"User-Agent": "wb-pulse/0.1"}
    )
    try:
        yield session
    finally:
        await session.close()


async def _bot_gateway(settings: Settings) -> AsyncIterator[BotGateway]:
    """The signed webhook to BOT_WEBHOOK_URL, on its own connection pool; without a URL, NoBotGateway."""
    if settings.bot_webhook_url is None or settings.webhook_secret is None:
        yield NoBotGateway()
        return
    gateway = WebhookBotGateway(
        settings.bot_webhook_url, settings.webhook_secret.reveal(), timeout_s=settings.webhook_timeout_s
    )
    try:
        yield gateway
    finally:
        await gateway.close()


def _secret_box(settings: Settings) -> FernetSecretBox:
    return FernetSecretBox(settings.encryption_key.reveal())


def _sync_settings(settings: Settings) -> SyncSettings:
    # WB serves each statistics report once a minute; the interval is scaled only against the simulator.
    return SyncSettings(
        initial_sync_days=settings.initial_sync_days,
        stats_min_interval_s=max(0, round(60 * settings.wb.rate_scale)),
        stats_page_rows=settings.wb.stats_page_rows,
        notify_max_age=timedelta(hours=settings.notify_max_age_h),
        paid_storage_poll_s=5.0 * settings.wb.rate_scale,  # WB's status limit: one poll per 5 s
    )


def _cabinet_retention(settings: Settings) -> timedelta:
    return timedelta(days=settings.cabinet_retention_days)


def _access_tokens(settings: Settings) -> JwtAccessTokens:
    return JwtAccessTokens(settings.jwt_secret.reveal())


def _same_clock(clock: Clock) -> Clock:
    return clock


def _telegram_bot_token(settings: Settings) -> str | None:
    token = settings.telegram_bot_token
    return None if token is None else token.reveal()


class Gateways(containers.DeclarativeContainer):
    """Every adapter the use cases need, built from the settings."""

    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Resource(_engine, settings.provided.database_url, settings.provided.worker_max_jobs)
    lock_engine = providers.Resource(
        _lock_engine, settings.provided.database_url, settings.provided.worker_max_jobs
    )
    redis_client = providers.Resource(_redis, settings.provided.redis_url)
    arq_redis = providers.Resource(_arq_redis, settings.provided.redis_url)
    http_session = providers.Resource(_http_session)

    clock = providers.Singleton(SystemClock)
    # Sign-in's clock (login codes, access tokens, sessions): `clock` itself, except in the demo, where
    # runtime.serve_all keeps it on real time: on the demo's accelerated clock a 5-minute code would last
    # 2.5 real seconds (docs/decisions/0012-demo-clock.md).
    session_clock = providers.Callable(_same_clock, clock)
    secret_box = providers.Singleton(_secret_box, settings)
    access_tokens = providers.Singleton(_access_tokens, settings)
    id_factory = providers.Object(uuid.uuid4)

    unit_of_work_factory = providers.Singleton(PostgresUnitOfWorkFactory, engine)
    cabinet_lock = providers.Singleton(PostgresCabinetLock, lock_engine)
    reports = providers.Singleton(PostgresReports, engine)
    dashboard_orders = providers.Singleton(PostgresDashboardOrders, engine)
    dashboard_sla = providers.Singleton(PostgresDashboardSla, engine)
    weekly_inputs = providers.Singleton(PostgresWeeklyInputs, engine)
    worker_heartbeat = providers.Singleton(RedisWorkerHeartbeat, redis_client)
    settings_cache = providers.Singleton(RedisSettingsCache, redis_client)
    answer_cache = providers.Singleton(NearAnswerCache, providers.Singleton(RedisAnswerCache, redis_client))
    cabinet_facts = providers.Resource(_cabinet_facts, settings.provided.database_url, unit_of_work_factory)
    request_budget = providers.Singleton(RedisRequestBudget, redis_client)
    sync_scheduler = providers.Singleton(
        ArqSyncScheduler, arq_redis, job_name=SYNC_JOB, queue_name=ARQ_QUEUE_NAME
    )
    bot_gateway = providers.Resource(_bot_gateway, settings)
    delivery_scheduler = providers.Singleton(
        ArqDeliveryScheduler, arq_redis, job_name=DELIVER_JOB, queue_name=ARQ_QUEUE_NAME
    )
    health_checks = providers.List(
        providers.Singleton(PostgresHealthCheck, engine),
        providers.Singleton(RedisHealthCheck, redis_client),
    )

    rate_limiter = providers.Singleton(
        RedisRateLimiter, redis_client, prefix="wbpulse:ratelimit:", scale=settings.provided.wb.rate_scale
    )
    wb_transport = providers.Singleton(
        WbTransport,
        http_session,
        rate_limiter,
        auth_prefix=settings.provided.wb.auth_prefix,
        pacing_margin=settings.provided.wb.pacing_margin,
    )
    wb_api = providers.Singleton(HttpWbSellerApi, wb_transport, settings.provided.wb.hosts)


class UseCaseFactories(containers.DeclarativeContainer):
    """One factory per use case; the names are the fields of `application.registry.UseCases`."""

    settings = providers.Dependency(instance_of=Settings)
    gateways = providers.DependenciesContainer()

    register_user = providers.Factory(RegisterUser, gateways.unit_of_work_factory, gateways.clock)
    connect_cabinet = providers.Factory(
        ConnectCabinet,
        gateways.unit_of_work_factory,
        gateways.wb_api,
        gateways.secret_box,
        gateways.clock,
        gateways.id_factory,
        gateways.sync_scheduler,
    )
    list_user_cabinets = providers.Factory(ListUserCabinets, gateways.unit_of_work_factory)
    leave_cabinet = providers.Factory(
        LeaveCabinet,
        gateways.unit_of_work_factory,
        gateways.clock,
        providers.Callable(_cabinet_retention, settings),
    )
    sync_cabinet = providers.Factory(
        SyncCabinet,
        gateways.unit_of_work_factory,
        gateways.wb_api,
        gateways.secret_box,
        gateways.clock,
        gateways.cabinet_lock,
        providers.Callable(_sync_settings, settings),
        gateways.id_factory,
    )
    poll_new_orders = providers.Factory(
        PollNewOrders,
        gateways.unit_of_work_factory,
        gateways.wb_api,
        gateways.secret_box,
        gateways.clock,
        gateways.cabinet_lock,
        providers.Callable(_sync_settings, settings),
        gateways.id_factory,
    )
    purge_cabinets = providers.Factory(
        PurgeCabinets,
        gateways.unit_of_work_factory,
        gateways.clock,
        providers.Callable(_cabinet_retention, settings),
    )
    validate_cabinets = providers.Factory(
        ValidateAllCabinets,
        gateways.unit_of_work_factory,
        gateways.wb_api,
        gateways.secret_box,
        gateways.clock,
        gateways.id_factory,
        purge_cabinets,
    )
    rebuild_rollups = providers.Factory(RebuildRollups, gateways.unit_of_work_factory)
    list_active_cabinets = providers.Factory(ListActiveCabinets, gateways.unit_of_work_factory)
    cabinet_data_health = providers.Factory(CabinetDataHealth, gateways.unit_of_work_factory)
    check_readiness = providers.Factory(
        CheckReadiness, gateways.health_checks, gateways.worker_heartbeat, gateways.clock
    )
    record_worker_heartbeat = providers.Factory(
        RecordWorkerHeartbeat, gateways.worker_heartbeat, gateways.clock
    )
    order_statistics = providers.Factory(
        OrderStatistics, gateways.unit_of_work_factory, gateways.reports, gateways.clock
    )
    recent_orders = providers.Factory(
        RecentOrders, gateways.unit_of_work_factory, gateways.reports, gateways.clock
    )
    sales_statistics = providers.Factory(
        SalesStatistics, gateways.unit_of_work_factory, gateways.reports, gateways.clock
    )
    recent_sales = providers.Factory(
        RecentSales, gateways.unit_of_work_factory, gateways.reports, gateways.clock
    )
    list_dashboard_orders = providers.Factory(ListOrders, gateways.dashboard_orders)
    get_dashboard_order = providers.Factory(GetOrder, gateways.dashboard_orders)
    order_volume = providers.Factory(OrderVolume, gateways.unit_of_work_factory)
    order_trends = providers.Factory(OrderTrends, gateways.unit_of_work_factory)
    order_comparison = providers.Factory(OrderComparison, gateways.unit_of_work_factory)
    seasonal_patterns = providers.Factory(SeasonalPatterns, gateways.unit_of_work_factory, gateways.clock)
    order_velocity = providers.Factory(OrderVelocity, gateways.unit_of_work_factory, gateways.clock)
    order_sla = providers.Factory(OrderSla, gateways.dashboard_sla, gateways.clock)
    weekly_by_sku = providers.Factory(WeeklyBySku, gateways.weekly_inputs, gateways.clock)
    report_missing_cogs = providers.Factory(
        ReportMissingCogs,
        gateways.unit_of_work_factory,
        gateways.weekly_inputs,
        gateways.clock,
        gateways.id_factory,
    )
    deliver_notifications = providers.Factory(
        DeliverNotifications, gateways.unit_of_work_factory, gateways.bot_gateway, gateways.clock
    )
    send_test_notification = providers.Factory(
        SendTestNotification,
        gateways.unit_of_work_factory,
        gateways.clock,
        gateways.id_factory,
        gateways.delivery_scheduler,
    )
    notification_log = providers.Factory(NotificationLog, gateways.unit_of_work_factory)
    resend_notification = providers.Factory(
        ResendNotification,
        gateways.unit_of_work_factory,
        gateways.clock,
        gateways.id_factory,
        gateways.delivery_scheduler,
    )
    get_notification_settings = providers.Factory(
        GetNotificationSettings, gateways.unit_of_work_factory, gateways.settings_cache
    )
    update_notification_settings = providers.Factory(
        UpdateNotificationSettings, gateways.unit_of_work_factory, gateways.settings_cache
    )
    list_stock_ignore = providers.Factory(
        ListStockIgnore, gateways.unit_of_work_factory, gateways.settings_cache
    )
    add_stock_ignore = providers.Factory(
        AddStockIgnore, gateways.unit_of_work_factory, gateways.settings_cache
    )
    remove_stock_ignore = providers.Factory(
        RemoveStockIgnore, gateways.unit_of_work_factory, gateways.settings_cache
    )
    # Dashboard sign-in (docs/decisions/0014-dashboard-auth.md).
    _sessions = providers.Factory(SessionIssuer, gateways.access_tokens, gateways.id_factory)
    issue_login_code = providers.Factory(
        IssueLoginCode, gateways.unit_of_work_factory, gateways.session_clock
    )
    exchange_login_code = providers.Factory(
        ExchangeLoginCode, gateways.unit_of_work_factory, gateways.session_clock, _sessions
    )
    telegram_login = providers.Factory(
        TelegramLogin,
        gateways.unit_of_work_factory,
        gateways.session_clock,
        _sessions,
        register_user,
        providers.Callable(_telegram_bot_token, settings),
    )
    refresh_session = providers.Factory(
        RefreshSession, gateways.unit_of_work_factory, gateways.session_clock, _sessions
    )
    logout = providers.Factory(Logout, gateways.unit_of_work_factory, gateways.session_clock)
    authenticate = providers.Factory(Authenticate, gateways.access_tokens, gateways.session_clock)
    authorize_cabinet = providers.Factory(AuthorizeCabinet, gateways.cabinet_facts)
    get_me = providers.Factory(GetMe, gateways.unit_of_work_factory)
    cabinet_overview = providers.Factory(CabinetOverview, gateways.unit_of_work_factory, gateways.clock)
    serve_cached_answer = providers.Factory(
        ServeCachedAnswer, gateways.cabinet_facts, gateways.answer_cache, gateways.clock
    )
    admit_dashboard_request = providers.Factory(
        AdmitRequest, gateways.request_budget, settings.provided.dashboard_rate_limit
    )
    # COGS (docs/decisions/0020-cogs-api.md).
    get_cogs = providers.Factory(GetCogs, gateways.unit_of_work_factory, gateways.clock)
    get_cogs_version = providers.Factory(GetCogsVersion, gateways.unit_of_work_factory, gateways.clock)
    cogs_history = providers.Factory(CogsHistoryView, gateways.unit_of_work_factory, gateways.clock)
    missing_cogs = providers.Factory(MissingCogsReport, gateways.unit_of_work_factory)
    create_cogs = providers.Factory(
        CreateCogs, gateways.unit_of_work_factory, gateways.clock, gateways.id_factory
    )
    update_cogs = providers.Factory(UpdateCogs, gateways.unit_of_work_factory, gateways.clock)
    delete_cogs = providers.Factory(DeleteCogs, gateways.unit_of_work_factory, gateways.clock)
    bulk_set_cogs = providers.Factory(
        BulkSetCogs, gateways.unit_of_work_factory, gateways.clock, gateways.id_factory
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    gateways = providers.Container(Gateways, settings=settings)
    use_cases = providers.Container(UseCaseFactories, settings=settings, gateways=gateways)


def build_container(settings: Settings) -> Container:
    """A container for `settings`, whose URLs must be set (the CLI fills them in for the embedded servers).
    Every value-making provider is in async mode: call it with `await`."""
    container = Container(settings=settings)
    for provider in container.traverse(types=_MADE):
        provider.enable_async_mode()
    return container


def use_case_registry(container: Container) -> UseCases:
    """The typed registry inbound adapters get; each entry awaits its provider, or hands back the use case
    it made last while nothing it is built from has changed (see `_Remembered`)."""
    factories = {f.name: _Remembered(getattr(container.use_cases, f.name)) for f in attrs.fields(UseCases)}
    return UseCases(**factories)


_resource_generation = 0
"""Bumped whenever resources start or stop: a use case made before holds clients that may be closed."""


class _Remembered:
    """A use-case factory that makes its use case once and hands it back while every provider it is built
    from (found by `traverse`) has the same overrides and the resources have not been restarted.

    Use cases are frozen and stateless, so one instance serves every call; making one in async mode costs
    40-60 µs (futures and a gather per dependency), which a cached dashboard answer cannot afford on every
    guard (docs/decisions/0019-dashboard-hot-path.md). An `.override()` in a test changes the fingerprint,
    so the next call makes a new use case with the overriding provider, as before."""

    def __init__(self, provider: providers.Provider[Any]) -> None:
        self._provider = provider
        self._deps: list[providers.Provider[Any]] = []
        self._key: tuple[Any, ...] | None = None
        self._made: Any = None

    def _fingerprint(self) -> tuple[Any, ...]:
        return (_resource_generation, *(p.last_overriding for p in self._deps))

    async def __call__(self) -> Any:
        if self._key is not None and self._key == self._fingerprint():
            return self._made
        self._deps = [self._provider, *self._provider.traverse()]
        key = self._fingerprint()
        made = await self._provider()
        self._key, self._made = key, made
        return made


async def init_resources(container: containers.Container) -> None:
    global _resource_generation
    _resource_generation += 1
    pending = container.init_resources()
    if pending is not None:  # None when no resource is async
        await pending


async def shutdown_resources(container: containers.Container) -> None:
    global _resource_generation
    _resource_generation += 1
    pending = container.shutdown_resources()
    if pending is not None:
        await pending


def _known(url: str | None, variable: str) -> str:
    if url is None:
        raise RuntimeError(f"{variable} is not set and no embedded server was started for it")
    return url
