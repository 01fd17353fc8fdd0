"""The bot face (seed 000): what the Telegram bot calls, every route behind `X-API-SECRET-KEY`.

Paths are absolute, as the seed writes them (`/users/`, `/wb/cabinets/`, `/api/v1/bot/...`); each area's
routes live in `adapters/inbound/http/bot/`.
"""

from adapters.inbound.http import cabinet_health
from adapters.inbound.http.bot import (
    cabinets,
    login_codes,
    notification_log,
    notification_settings,
    statistics,
    users,
    validation,
)
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Returns, Route, RouteTable

TAGS = ("bot",)

HEALTH = Route(
    "GET",
    "/api/v1/wb/cabinets/{cabinet_id}/health",
    cabinet_health.cabinet_health,
    summary="Data health of one cabinet, per sync source",
    tags=TAGS,
    path_params=cabinet_health.CabinetPath,
    responses={200: Returns("The cabinet's data health", cabinet_health.CabinetHealth)},
    guard=BOT_SECRET,
    errors=(404,),
)

TABLE = RouteTable(
    name="bot",
    prefix="",
    routes=(
        HEALTH,
        *users.ROUTES,
        *cabinets.ROUTES,
        *validation.ROUTES,
        *statistics.ROUTES,
        *notification_settings.ROUTES,
        *notification_log.ROUTES,
        *login_codes.ROUTES,
    ),
)
