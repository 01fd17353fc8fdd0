"""Typed application and request state. Bootstrap fills the app keys in its cleanup context."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import web

from application.ports import HealthCheck

ReadyInfo = Callable[[], Awaitable[Mapping[str, object]]]
"""Extra facts for `/ready` that never make it fail (e.g. the worker's last heartbeat)."""

RequestIdBinder = Callable[[str], Callable[[], None]]
"""Binds a request id to the current context (for logs); returns the function that unbinds it."""

HEALTH_CHECKS = web.AppKey("health_checks", Sequence[HealthCheck])
READY_INFO = web.AppKey("ready_info", Sequence[ReadyInfo])

API_SECRET_KEY = web.AppKey("api_secret_key", str)
"""The bot's shared secret (plaintext, for a constant-time compare; never logged)."""

CABINET_DATA_HEALTH = web.AppKey("cabinet_data_health", Callable[[], Awaitable[Any]])
"""Makes the CabinetDataHealth use case (has `.report(cabinet_id)`)."""

REQUEST_ID = web.RequestKey("request_id", str)
