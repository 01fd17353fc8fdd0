"""The bot API's shared secret: every bot-facing route needs `X-API-SECRET-KEY` (seed 000 §0)."""

import hmac

from aiohttp import web

from adapters.inbound.http.app_keys import API_SECRET_KEY


def require_bot_secret(request: web.Request) -> None:
    """Raises 401 (JSON body via the error middleware) unless the header matches, in constant time."""
    given = request.headers.get("X-API-SECRET-KEY", "")
    expected = request.app[API_SECRET_KEY]
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise web.HTTPUnauthorized(reason="missing or wrong X-API-SECRET-KEY")
