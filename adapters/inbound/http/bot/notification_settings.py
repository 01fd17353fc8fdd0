"""Bot routes: notification settings (seed 000 §1; issue 9, point 4). `GET` and `POST
/api/v1/notifications/settings?telegram_id=` read and partly update a user's settings; the stock ignore list
(articles never reported as critical stock) has its own `GET`, `POST` (add) and `DELETE` (remove).

Every answer is `{"success": true, "data": ...}`; an unknown telegram_id is a 404, a bad input a 400 whose
details name the field."""

from aiohttp import web
from pydantic import BaseModel

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot.notification_settings_schemas import (
    NotificationSettingsAnswer,
    NotificationSettingsChanges,
    SettingsQuery,
    StockIgnoreAdd,
    StockIgnoreAnswer,
    StockIgnoreRemoveQuery,
    ignored_answer,
    settings_answer,
)
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Method, Returns, Route

SETTINGS = "/api/v1/notifications/settings"
IGNORE_LIST = f"{SETTINGS}/stock-ignore-list"
TAGS = ("bot", "notifications")


async def get_notification_settings(request: web.Request, query: SettingsQuery) -> NotificationSettingsAnswer:
    """The user's notification settings (the defaults, everything on, until they change any)."""
    read = await request.app[USE_CASES].get_notification_settings()
    return settings_answer(await read(query.telegram_id))


async def update_notification_settings(
    request: web.Request, query: SettingsQuery, body: NotificationSettingsChanges
) -> NotificationSettingsAnswer:
    """Change any of the settings; those left out keep their values, and the answer holds them all. At
    least one setting must be given: `{}` (or no body) is a 400 "nothing to update". An unknown field, a
    wrong type (strict: 1 is not a boolean, true or 3.0 not an integer, null is nothing) or a value out of
    range is a 400 naming the field (`body.<field>`), and nothing changes. The stock ignore list is not
    changed here."""
    update = await request.app[USE_CASES].update_notification_settings()
    return settings_answer(await update(query.telegram_id, body.changes()))


async def list_stock_ignore(request: web.Request, query: SettingsQuery) -> StockIgnoreAnswer:
    """The articles (nmIds) never reported to this user as critical stock, ascending."""
    listed = await request.app[USE_CASES].list_stock_ignore()
    return ignored_answer(await listed(query.telegram_id))


async def add_stock_ignore(
    request: web.Request, query: SettingsQuery, body: StockIgnoreAdd
) -> StockIgnoreAnswer:
    """Add articles to the ignore list (those already in it are fine); the answer is the whole list. A list
    that would grow past its limit is a 400, and nothing is added."""
    add = await request.app[USE_CASES].add_stock_ignore()
    return ignored_answer(await add(query.telegram_id, body.nm_ids))


async def remove_stock_ignore(request: web.Request, query: StockIgnoreRemoveQuery) -> StockIgnoreAnswer:
    """Remove the articles given as `nm_id` (repeat it for several) from the ignore list; one not in it is
    fine. The answer is what is left."""
    remove = await request.app[USE_CASES].remove_stock_ignore()
    return ignored_answer(await remove(query.telegram_id, query.nm_id))


def _route(
    method: Method,
    path: str,
    handler: object,
    summary: str,
    answer: type[BaseModel],
    what: str,
    query: type[BaseModel],
    body: type[BaseModel] | None = None,
) -> Route:
    return Route(
        method, path, handler, summary=summary, tags=TAGS, query=query, body=body,  # type: ignore[arg-type]
        responses={200: Returns(what, answer)}, guard=BOT_SECRET, errors=(404,),
    )  # fmt: skip


ROUTES: tuple[Route, ...] = (
    _route("GET", SETTINGS, get_notification_settings, "A user's notification settings",
           NotificationSettingsAnswer, "Every setting, with the stock ignore list", query=SettingsQuery),
    _route("POST", SETTINGS, update_notification_settings, "Change some of a user's notification settings",
           NotificationSettingsAnswer, "Every setting after the change", query=SettingsQuery,
           body=NotificationSettingsChanges),
    _route("GET", IGNORE_LIST, list_stock_ignore, "A user's stock ignore list",
           StockIgnoreAnswer, "The ignored articles", query=SettingsQuery),
    _route("POST", IGNORE_LIST, add_stock_ignore, "Add articles to a user's stock ignore list",
           StockIgnoreAnswer, "The whole list after adding", query=SettingsQuery, body=StockIgnoreAdd),
    _route("DELETE", IGNORE_LIST, remove_stock_ignore, "Remove articles from a user's stock ignore list",
           StockIgnoreAnswer, "What is left of the list", query=StockIgnoreRemoveQuery),
)  # fmt: skip
