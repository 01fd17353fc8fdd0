"""Dashboard sign-in (docs/decisions/0014-dashboard-auth.md): a one-time code from the bot, or the Telegram
Login Widget, gives a session; the refresh token rotates; logout ends the session.

Token answers are OAuth2-shaped (`access_token`, `token_type`, `expires_in`, ...: snake_case, as RFC 6749
§5.1 writes them, unlike the camelCase of the data routes), so OAuth client libraries read them as they are.

For the browser page (docs/decisions/0023-dashboard-page.md, "Session in the browser") `?refresh=cookie`
hands the refresh token over in an HttpOnly cookie instead of the JSON (`refresh_token: null`), so no script
can read it; /v1/auth/refresh and /v1/auth/logout then take it from that cookie. The token is never logged.
"""

import math
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Annotated, Literal

from aiohttp import web
from pydantic import ConfigDict, Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.routing import Reply, Returns, Route
from adapters.inbound.http.schemas import BIGINT, Schema
from application.use_cases.auth_session import InvalidRefreshToken, Tokens

TAGS = ("dashboard", "auth")
Secret = Annotated[str, Field(min_length=1, max_length=256)]
REFRESH_COOKIE = "wbpulse_refresh"
COOKIE_PATH = "/v1/auth"  # sent to the sign-in routes only, never to the data routes
_COOKIE = (
    f"`{REFRESH_COOKIE}` (HttpOnly; SameSite=Strict; Path={COOKIE_PATH}; Max-Age: the refresh token's "
    "lifetime; Secure over https)"
)


class SessionQuery(Schema):
    refresh: Literal["cookie"] | None = Field(
        default=None,
        description=f"`cookie`: the refresh token comes in the cookie {_COOKIE} and the answer's "
        "`refresh_token` is null (for the browser page, whose scripts never see it). Absent: in the JSON.",
    )


class LoginCodeIn(Schema):
    code: Secret = Field(description="The code of the bot's login link (`login_url`): good once, 5 minutes.")


class RefreshIn(Schema):
    refresh_token: Secret | None = Field(
        default=None,
        description=f"The refresh token. Left out (or no body): the one in the cookie `{REFRESH_COOKIE}`.",
    )


class TelegramLoginIn(Schema):
    """The Telegram Login Widget's user object, every field as Telegram sent it (any further field Telegram
    adds is kept too: the signature covers all of them)."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str | int]

    id: int = Field(gt=0, le=BIGINT, description="The Telegram user id.")
    first_name: str | None = Field(default=None, max_length=256)
    last_name: str | None = Field(default=None, max_length=256)
    username: str | None = Field(default=None, max_length=256)
    photo_url: str | None = Field(default=None, max_length=2048)
    auth_date: int = Field(ge=0, le=BIGINT, description="Unix time of the sign-in; at most a day old.")
    hash: str = Field(max_length=128, description="Telegram's HMAC-SHA256 of the other fields (hex).")

    def signed_fields(self) -> dict[str, str]:
        """Every received field but `hash`, as the strings Telegram signed."""
        given = self.model_dump(exclude={"hash"}, exclude_none=True)
        return {key: str(value) for key, value in given.items()}


class TokensOut(Schema):
    access_token: str = Field(description="Send as `Authorization: Bearer <access_token>`.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int = Field(description="Seconds the access token is valid (900).")
    refresh_token: str | None = Field(
        description="Good for one /v1/auth/refresh; a reused one ends the session. Null when it was set in "
        f"the cookie `{REFRESH_COOKIE}` instead (`?refresh=cookie`, or a refresh that read it from there)."
    )
    refresh_expires_in: int = Field(description="Seconds the refresh token is valid (30 days).")


class LoggedOut(Schema):
    success: Literal[True] = True


def _out(request: web.Request, tokens: Tokens, in_cookie: bool) -> TokensOut | Reply:
    """The tokens as JSON; with `in_cookie`, the refresh token in the cookie and null in the JSON."""
    refresh_expires_in = _seconds(tokens.refresh_expires_at - tokens.issued_at)
    out = TokensOut(
        access_token=tokens.access_token,
        expires_in=_seconds(tokens.access_expires_at - tokens.issued_at),
        refresh_token=None if in_cookie else tokens.refresh_token,
        refresh_expires_in=refresh_expires_in,
    )
    if not in_cookie:
        return out
    return Reply(out, headers={"Set-Cookie": _cookie(request, tokens.refresh_token, refresh_expires_in)})


def _seconds(delta: timedelta) -> int:
    # JWT times are whole seconds: an `exp` truncated from `now` is up to 1 s short of the lifetime.
    return max(0, math.ceil(delta.total_seconds()))


def _cookie(request: web.Request, value: str, max_age: int) -> str:
    """The Set-Cookie value of the refresh cookie (`max_age` 0: delete it). Secure when the request came
    over https as aiohttp sees it (the app trusts no X-Forwarded-Proto: a TLS-terminating proxy marks it)."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[REFRESH_COOKIE] = value
    morsel = cookie[REFRESH_COOKIE]
    morsel["path"] = COOKIE_PATH
    morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    if request.secure:
        morsel["secure"] = True
    return morsel.OutputString()


def _from_cookie(request: web.Request) -> str | None:
    return request.cookies.get(REFRESH_COOKIE) or None


async def exchange_login_code(
    request: web.Request, query: SessionQuery, body: LoginCodeIn
) -> TokensOut | Reply:
    """Exchange the bot's one-time login code for tokens. A used, expired or unknown code is the same 401."""
    exchange = await request.app[USE_CASES].exchange_login_code()
    tokens = await exchange(body.code)
    return _out(request, tokens, query.refresh == "cookie")


async def telegram_login(
    request: web.Request, query: SessionQuery, body: TelegramLoginIn
) -> TokensOut | Reply:
    """Sign in with the Telegram Login Widget's payload (checked as Telegram documents it: HMAC-SHA256 keyed
    with SHA-256 of the bot token, `auth_date` at most a day old). A Telegram user new to us is registered
    (they have no cabinet until they connect one). 404 when TELEGRAM_BOT_TOKEN is not set."""
    login = await request.app[USE_CASES].telegram_login()
    tokens = await login(body.signed_fields(), body.hash)
    return _out(request, tokens, query.refresh == "cookie")


async def refresh_session(request: web.Request, query: SessionQuery, body: RefreshIn) -> TokensOut | Reply:
    """A new access token and a new refresh token for a refresh token, which is used up. Presenting a used
    refresh token again ends its whole session (the newer tokens too): 401, sign in again.

    The refresh token is the body's `refresh_token`, else the cookie's (an empty body is fine then); neither
    is the same 401 as an unknown token. A token taken from the cookie is answered in the cookie (a session
    kept in the cookie stays there), as `?refresh=cookie` asks for any token."""
    cookie = None if body.refresh_token else _from_cookie(request)
    token = body.refresh_token or cookie
    if token is None:
        raise InvalidRefreshToken()
    tokens = await (await request.app[USE_CASES].refresh_session())(token)
    return _out(request, tokens, query.refresh == "cookie" or cookie is not None)


async def logout(request: web.Request, body: RefreshIn) -> LoggedOut | Reply:
    """End the session of this refresh token (every refresh token of it): the body's `refresh_token` and the
    one in the cookie, if sent. Always succeeds, also for an unknown or already revoked token, or none at
    all; access tokens already issued live out their 15 minutes. A request with the cookie gets it deleted
    (Max-Age=0, same Path)."""
    cookie = _from_cookie(request)
    end = await request.app[USE_CASES].logout()
    for token in {t for t in (body.refresh_token, cookie) if t is not None}:
        await end(token)
    if cookie is None:
        return LoggedOut()
    return Reply(LoggedOut(), headers={"Set-Cookie": _cookie(request, "", 0)})


TOKENS = {200: Returns(f"The session's tokens (`?refresh=cookie`: the refresh one in {_COOKIE})", TokensOut)}

ROUTES: tuple[Route, ...] = (
    Route(
        "POST", "/auth/code", exchange_login_code, summary="Sign in with the bot's one-time login code",
        tags=TAGS, query=SessionQuery, body=LoginCodeIn, responses=TOKENS, errors=(401,),
    ),
    Route(
        "POST", "/auth/telegram", telegram_login, summary="Sign in with the Telegram Login Widget",
        tags=TAGS, query=SessionQuery, body=TelegramLoginIn, responses=TOKENS, errors=(401, 404),
    ),
    Route(
        "POST", "/auth/refresh", refresh_session, summary="Rotate the refresh token for new tokens",
        tags=TAGS, query=SessionQuery, body=RefreshIn, body_required=False, responses=TOKENS, errors=(401,),
    ),
    Route(
        "POST", "/auth/logout", logout, summary="End the session of a refresh token",
        tags=TAGS, body=RefreshIn, body_required=False,
        responses={200: Returns(f"The session is over (the cookie `{REFRESH_COOKIE}` deleted)", LoggedOut)},
    ),
)  # fmt: skip
