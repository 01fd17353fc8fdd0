"""Dashboard sign-in (docs/decisions/0014-dashboard-auth.md): a one-time code from the bot, or the Telegram
Login Widget, gives a session; the refresh token rotates; logout ends the session.

Token answers are OAuth2-shaped (`access_token`, `token_type`, `expires_in`, ...: snake_case, as RFC 6749
§5.1 writes them, unlike the camelCase of the data routes), so OAuth client libraries read them as they are.
"""

import math
from datetime import timedelta
from typing import Annotated, Literal

from aiohttp import web
from pydantic import ConfigDict, Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import BIGINT, Schema
from application.use_cases.auth_session import Tokens

TAGS = ("dashboard", "auth")
Secret = Annotated[str, Field(min_length=1, max_length=256)]


class LoginCodeIn(Schema):
    code: Secret = Field(description="The code of the bot's login link (`login_url`): good once, 5 minutes.")


class RefreshIn(Schema):
    refresh_token: Secret


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
    refresh_token: str = Field(description="Good for one /v1/auth/refresh; a reused one ends the session.")
    refresh_expires_in: int = Field(description="Seconds the refresh token is valid (30 days).")


class LoggedOut(Schema):
    success: Literal[True] = True


def _out(tokens: Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        expires_in=_seconds(tokens.access_expires_at - tokens.issued_at),
        refresh_token=tokens.refresh_token,
        refresh_expires_in=_seconds(tokens.refresh_expires_at - tokens.issued_at),
    )


def _seconds(delta: timedelta) -> int:
    # JWT times are whole seconds: an `exp` truncated from `now` is up to 1 s short of the lifetime.
    return max(0, math.ceil(delta.total_seconds()))


async def exchange_login_code(request: web.Request, body: LoginCodeIn) -> TokensOut:
    """Exchange the bot's one-time login code for tokens. A used, expired or unknown code is the same 401."""
    exchange = await request.app[USE_CASES].exchange_login_code()
    tokens = await exchange(body.code)
    return _out(tokens)


async def telegram_login(request: web.Request, body: TelegramLoginIn) -> TokensOut:
    """Sign in with the Telegram Login Widget's payload (checked as Telegram documents it: HMAC-SHA256 keyed
    with SHA-256 of the bot token, `auth_date` at most a day old). A Telegram user new to us is registered
    (they have no cabinet until they connect one). 404 when TELEGRAM_BOT_TOKEN is not set."""
    login = await request.app[USE_CASES].telegram_login()
    tokens = await login(body.signed_fields(), body.hash)
    return _out(tokens)


async def refresh_session(request: web.Request, body: RefreshIn) -> TokensOut:
    """A new access token and a new refresh token for a refresh token, which is used up. Presenting a used
    refresh token again ends its whole session (the newer tokens too): 401, sign in again."""
    refresh = await request.app[USE_CASES].refresh_session()
    tokens = await refresh(body.refresh_token)
    return _out(tokens)


async def logout(request: web.Request, body: RefreshIn) -> LoggedOut:
    """End the session of this refresh token (every refresh token of it). Always succeeds, also for an
    unknown or already revoked token; access tokens already issued live out their 15 minutes."""
    await (await request.app[USE_CASES].logout())(body.refresh_token)
    return LoggedOut()


TOKENS = {200: Returns("Signed in: the session's tokens", TokensOut)}

ROUTES: tuple[Route, ...] = (
    Route(
        "POST", "/auth/code", exchange_login_code, summary="Sign in with the bot's one-time login code",
        tags=TAGS, body=LoginCodeIn, responses=TOKENS, errors=(401,),
    ),
    Route(
        "POST", "/auth/telegram", telegram_login, summary="Sign in with the Telegram Login Widget",
        tags=TAGS, body=TelegramLoginIn, responses=TOKENS, errors=(401, 404),
    ),
    Route(
        "POST", "/auth/refresh", refresh_session, summary="Rotate the refresh token for new tokens",
        tags=TAGS, body=RefreshIn, responses=TOKENS, errors=(401,),
    ),
    Route(
        "POST", "/auth/logout", logout, summary="End the session of a refresh token",
        tags=TAGS, body=RefreshIn, responses={200: Returns("The session is over", LoggedOut)},
    ),
)  # fmt: skip
