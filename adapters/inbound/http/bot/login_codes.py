"""Bot route: a one-time dashboard login link for a user (docs/decisions/0014-dashboard-auth.md). The bot
sends the link to the user in Telegram; opening it signs them in to the dashboard."""

from datetime import datetime
from urllib.parse import quote

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import Schema
from application.use_cases.access import MAX_ID, UserRef

LOGIN_PAGE_PATH = "/app/login"
"""The dashboard's sign-in page, which posts `?code=` to POST /v1/auth/code (the page comes later)."""


class LoginCodeQuery(Schema):
    telegram_id: int = Field(gt=0, le=MAX_ID, description="The registered user to sign in.")


class LoginCodeOut(Schema):
    code: str = Field(description="Good once, until `expires_at` (5 minutes).")
    expires_at: datetime
    login_url: str = Field(description=f"`{LOGIN_PAGE_PATH}?code=<code>`, relative to the dashboard's host.")


async def issue_login_code(request: web.Request, query: LoginCodeQuery) -> LoginCodeOut:
    """A one-time code (and login link) that signs the user in to the dashboard: single use, 5 minutes.
    404 for an unknown telegram_id (register the user first)."""
    issue = await request.app[USE_CASES].issue_login_code()
    issued = await issue(UserRef(telegram_id=query.telegram_id))
    url = f"{LOGIN_PAGE_PATH}?code={quote(issued.code, safe='')}"
    return LoginCodeOut(code=issued.code, expires_at=issued.expires_at, login_url=url)


ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/api/v1/bot/auth/code",
        issue_login_code,
        summary="A one-time dashboard login code and link for a user",
        tags=("bot", "auth"),
        query=LoginCodeQuery,
        responses={200: Returns("The code and the link to send the user", LoginCodeOut)},
        guard=BOT_SECRET,
        errors=(404,),
    ),
)
