"""Concrete parts of the sync: the WB HTTP client (one ClientSession per process), the Redis-shared rate
limiter, the Postgres cabinet lock, and the sync use cases built on them."""

import uuid
from collections.abc import AsyncIterator

import aiohttp

from adapters.outbound.wb.hosts import WbHosts
from application.use_cases.sync_support import SyncSettings
from bootstrap.settings import Settings, WbUrls


async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=120, connect=10),
        headers={"User-Agent": "wb-pulse/0.1"},
    )
    try:
        yield session
    finally:
        await session.close()


def wb_hosts(urls: WbUrls) -> WbHosts:
    return WbHosts(
        marketplace=urls.marketplace,
        statistics=urls.statistics,
        analytics=urls.analytics,
        feedbacks=urls.feedbacks,
        returns=urls.returns,
        finance=urls.finance,
        common=urls.common,
    )


def sync_settings(settings: Settings) -> SyncSettings:
    # WB refreshes statistics every 30 min and allows one call a minute; scaled only against the simulator.
    return SyncSettings(
        initial_sync_days=settings.initial_sync_days,
        stats_min_interval_s=max(0, round(60 * settings.wb.rate_scale)),
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()
