"""The signed-in user's notifications on the dashboard (guard BEARER: the user's own, whatever the cabinet):
their settings and stock ignore list, their delivery log and resending an entry of it. The same models and
answers as the bot's routes (`/api/v1/notifications/*`), with the user taken from the access token instead of
a telegram_id."""

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot.notification_log import (
    HistoryAnswer,
    HistoryFilters,
    NotificationAnswer,
    NotificationPath,
    history_answer,
    notification_answer,
)
from adapters.inbound.http.bot.notification_settings_schemas import (
    NotificationSettingsAnswer,
    NotificationSettingsChanges,
    StockIgnoreAdd,
    StockIgnoreAnswer,
    StockIgnoreRemove,
    ignored_answer,
    settings_answer,
)
from adapters.inbound.http.dashboard_guards import BEARER, user_of
from adapters.inbound.http.routing import Reply, Returns, Route
from application.use_cases.access import UserRef

TAGS = ("dashboard", "notifications")


async def _telegram_id(request: web.Request) -> int:
    """The settings are kept by Telegram id; the token names our user id. NotFound (404) for a user gone."""
    me = await (await request.app[USE_CASES].get_me())(user_of(request))
    return me.user.telegram_id


async def get_my_notification_settings(request: web.Request) -> NotificationSettingsAnswer:
    """The signed-in user's notification settings (the defaults, everything on, until they change any), with
    their stock ignore list."""
    read = await request.app[USE_CASES].get_notification_settings()
    return settings_answer(await read(await _telegram_id(request)))


async def update_my_notification_settings(
    request: web.Request, body: NotificationSettingsChanges
) -> NotificationSettingsAnswer:
    """Change any of the signed-in user's settings; those left out keep their values, and the answer holds
    them all. At least one setting must be given: `{}` is a 400 "nothing to update". An unknown field, a
    wrong type (strict: 1 is not a boolean, true or 3.0 not an integer, null is nothing) or a value out of
    range is a 400 naming the field (`body.<field>`), and nothing changes."""
    update = await request.app[USE_CASES].update_notification_settings()
    return settings_answer(await update(await _telegram_id(request), body.changes()))


async def add_my_stock_ignore(request: web.Request, body: StockIgnoreAdd) -> StockIgnoreAnswer:
    """Never report these articles to me as critical stock (those already ignored are fine); the answer is
    the whole list. A list that would grow past its limit is a 400, and nothing is added."""
    add = await request.app[USE_CASES].add_stock_ignore()
    return ignored_answer(await add(await _telegram_id(request), body.nm_ids))


async def remove_my_stock_ignore(request: web.Request, query: StockIgnoreRemove) -> StockIgnoreAnswer:
    """Report these articles' critical stock to me again (one not in the list is fine); what is left."""
    remove = await request.app[USE_CASES].remove_stock_ignore()
    left = await remove(await _telegram_id(request), query.nm_id)
    return ignored_answer(left)


async def my_notification_history(request: web.Request, query: HistoryFilters) -> HistoryAnswer:
    """The signed-in user's delivery log, newest first, with every delivery attempt."""
    log = await request.app[USE_CASES].notification_log()
    page = await log(
        UserRef(user_id=user_of(request)), query.delivery_status, query.type, query.limit, query.offset
    )
    return history_answer(page, query)


async def resend_my_notification(request: web.Request, path: NotificationPath) -> Reply:
    """Send an entry of the signed-in user's log again as a new notification (202) naming the original in
    `resend_of`. 404: no such notification of this user; 409: it is still pending."""
    resend = await request.app[USE_CASES].resend_notification()
    queued = await resend(UserRef(user_id=user_of(request)), path.notification_id)
    return Reply(notification_answer(queued), status=202)


SETTINGS = "/notifications/settings"
IGNORE_LIST = f"{SETTINGS}/stock-ignore-list"
IGNORED = {200: Returns("The whole ignore list after the change, ascending", StockIgnoreAnswer)}

ROUTES: tuple[Route, ...] = (
    Route(
        "GET", SETTINGS, get_my_notification_settings, summary="My notification settings", tags=TAGS,
        responses={200: Returns("Every setting, with the stock ignore list", NotificationSettingsAnswer)},
        guard=BEARER, errors=(404,),
    ),
    Route(
        "PATCH", SETTINGS, update_my_notification_settings, summary="Change some of my notification settings",
        tags=TAGS, body=NotificationSettingsChanges,
        responses={200: Returns("Every setting after the change", NotificationSettingsAnswer)},
        guard=BEARER, errors=(404,),
    ),
    Route(
        "POST", IGNORE_LIST, add_my_stock_ignore, summary="Stop telling me about these articles' stock",
        tags=TAGS, body=StockIgnoreAdd, responses=IGNORED, guard=BEARER, errors=(404,),
    ),
    Route(
        "DELETE", IGNORE_LIST, remove_my_stock_ignore, summary="Tell me about these articles' stock again",
        tags=TAGS, query=StockIgnoreRemove, responses=IGNORED, guard=BEARER, errors=(404,),
    ),
    Route(
        "GET", "/notifications/history", my_notification_history, summary="My delivery log", tags=TAGS,
        query=HistoryFilters, responses={200: Returns("A page of the log, newest first", HistoryAnswer)},
        guard=BEARER, errors=(404,),
    ),
    Route(
        "POST", "/notifications/{notification_id}/resend", resend_my_notification,
        summary="Send one of my logged notifications again", tags=TAGS, path_params=NotificationPath,
        responses={202: Returns("Queued again, as a new notification", NotificationAnswer)},
        guard=BEARER, errors=(404, 409),
    ),
)  # fmt: skip
