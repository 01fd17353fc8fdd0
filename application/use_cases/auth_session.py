"""What every way of signing in to the dashboard ends with: a session, i.e. an access token and the first
refresh token of a new family (docs/decisions/0014-dashboard-auth.md). And the errors of signing in."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import attrs

from application.errors import ApplicationError
from application.ports.auth import AccessTokens
from application.ports.unit_of_work import UnitOfWork
from domain.auth import RefreshToken, secret_hash

SECRET_BYTES = 32  # 256 random bits per login code and refresh token


class SignInRejected(ApplicationError):
    """A sign-in credential (login code, refresh token, Telegram payload) that proves nothing. The message
    is the same whatever was wrong with it (unknown, used, expired), so it tells an attacker nothing."""


class InvalidLoginCode(SignInRejected):
    def __init__(self) -> None:
        super().__init__("the login code is invalid, used or expired: ask the bot for a new link")


class InvalidRefreshToken(SignInRejected):
    def __init__(self) -> None:
        super().__init__("the refresh token is invalid, used, revoked or expired: sign in again")


class InvalidTelegramLogin(SignInRejected):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the Telegram login is not valid: {reason}")
        self.reason = reason


class TelegramLoginNotConfigured(ApplicationError):
    """No TELEGRAM_BOT_TOKEN: the Telegram Login Widget cannot be verified, so it is not offered."""

    def __init__(self) -> None:
        super().__init__("Telegram login is not configured (TELEGRAM_BOT_TOKEN is not set)")


@attrs.frozen
class SessionPolicy:
    """Lifetimes of the sign-in credentials (the access token's is the AccessTokens adapter's)."""

    login_code_lifetime: timedelta = timedelta(minutes=5)
    refresh_lifetime: timedelta = timedelta(days=30)


@attrs.frozen
class Tokens:
    """A session's credentials as the client gets them."""

    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    issued_at: datetime


def new_secret() -> str:
    """A fresh url-safe random secret of SECRET_BYTES bytes."""
    return secrets.token_urlsafe(SECRET_BYTES)


@attrs.frozen
class SessionIssuer:
    """Issues a session's tokens inside the caller's unit of work (the caller commits)."""

    access_tokens: AccessTokens
    id_factory: Callable[[], UUID]
    policy: SessionPolicy = attrs.Factory(SessionPolicy)

    async def issue(
        self, uow: UnitOfWork, user_id: int, now: datetime, family_id: UUID | None = None
    ) -> Tokens:
        """A new access token and a new refresh token, of `family_id` (a refresh) or of a new family."""
        refresh = new_secret()
        stored = RefreshToken(
            id=self.id_factory(),
            family_id=family_id or self.id_factory(),
            user_id=user_id,
            token_hash=secret_hash(refresh),
            created_at=now,
            expires_at=now + self.policy.refresh_lifetime,
        )
        await uow.refresh_tokens.add(stored)
        access = self.access_tokens.issue(user_id, now)
        return Tokens(access.token, access.expires_at, refresh, stored.expires_at, issued_at=now)
