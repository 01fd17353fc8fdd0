"""Typed application and request state. Bootstrap fills the use cases and the secret in its cleanup
context; `add_routes` stores the rendered OpenAPI document."""

from collections.abc import Callable

from aiohttp import web

from application.registry import UseCases

RequestIdBinder = Callable[[str], Callable[[], None]]
"""Binds a request id to the current context (for logs); returns the function that unbinds it."""

USE_CASES = web.AppKey("use_cases", UseCases)
"""Every use case's factory; handlers take what they need from here and never see the container."""

API_SECRET_KEY = web.AppKey("api_secret_key", str)
"""The bot's shared secret (plaintext, for a constant-time compare; never logged)."""

OPENAPI_DOCUMENT = web.AppKey("openapi_document", bytes)
"""The OpenAPI document of every mounted route table, rendered to JSON once when the routes are added."""

REQUEST_ID = web.RequestKey("request_id", str)
