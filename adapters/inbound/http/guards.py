"""Guards a route table applies to its routes, each with the OpenAPI security scheme it stands for.

The bot API's shared secret (seed 000 §0): every bot-facing route needs `X-API-SECRET-KEY`.
"""

import hmac

from aiohttp import web

from adapters.inbound.http.app_keys import API_SECRET_KEY
from adapters.inbound.http.routing import Guard

BOT_SECRET_HEADER = "X-API-SECRET-KEY"  # noqa: S105 - a header name, not a secret


async def _check_bot_secret(request: web.Request) -> None:
    """Refuses (401, JSON body via the error middleware) unless the header matches, in constant time."""
    given = request.headers.get(BOT_SECRET_HEADER, "")
    expected = request.app[API_SECRET_KEY]
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise web.HTTPUnauthorized(text=f"missing or wrong {BOT_SECRET_HEADER}")


BOT_SECRET = Guard(
    scheme_name="botSecret",
    scheme={
        "type": "apiKey",
        "in": "header",
        "name": BOT_SECRET_HEADER,
        "description": "The secret shared with the Telegram bot (API_SECRET_KEY).",
    },
    check=_check_bot_secret,
)
