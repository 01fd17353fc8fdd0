"""`GET /api/v1/wb/cabinets/{cabinet_id}/health`: per-source data health of one cabinet, for the bot."""

from datetime import datetime
from uuid import UUID

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot_auth import require_bot_secret
from domain.errors import InvalidValue


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


async def cabinet_health(request: web.Request) -> web.Response:
    require_bot_secret(request)
    raw = request.match_info["cabinet_id"]
    try:
        cabinet_id = UUID(raw)
    except ValueError:
        raise InvalidValue("cabinet_id", "must be a UUID") from None
    health = await (await request.app[USE_CASES].cabinet_data_health())(cabinet_id)
    return web.json_response(
        {
            "cabinetId": str(cabinet_id),
            "status": health.status,
            "invalidReason": health.invalid_reason,
            "sources": [
                {
                    "source": s.source,
                    "lastSuccessAt": _iso(s.last_success_at),
                    "rowsTaken": s.rows_taken,
                    "lastError": s.last_error,
                    "lastErrorAt": _iso(s.last_error_at),
                    "backoffUntil": _iso(s.backoff_until),
                }
                for s in health.sources
            ],
            "storedRows": {
                "orders": health.stored.orders,
                "statOrders": health.stored.stat_orders,
                "sales": health.stored.sales,
                "stocks": health.stored.stocks,
                "reviews": health.stored.reviews,
                "claims": health.stored.claims,
            },
        }
    )
