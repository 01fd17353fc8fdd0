"""Dashboard sign-in ports: access tokens (JWT), one-time login codes and refresh tokens
(docs/decisions/0014-dashboard-auth.md)."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

import attrs

from application.errors import ApplicationError
from domain.auth import LoginCode, RefreshToken


class InvalidToken(ApplicationError):
    """An access token that proves nothing: malformed, badly signed, of another algorithm or audience or
    issuer, without a required claim, or expired. `reason` is safe to show (it names no secret)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid access token: {reason}")
        self.reason = reason


class MissingToken(InvalidToken):
    """No `Authorization: Bearer <token>` at all."""

    def __init__(self) -> None:
        super().__init__("send Authorization: Bearer <access_token>")


@attrs.frozen
class IssuedToken:
    token: str
    expires_at: datetime


class AccessTokens(Protocol):
    """Short-lived signed access tokens naming a user. Pure (no I/O); time is passed in, so a test's clock
    drives expiry."""

    def issue(self, user_id: int, now: datetime) -> IssuedToken:
        """A token for `user_id`, valid from `now` for the adapter's lifetime."""
        ...

    def verify(self, token: str, now: datetime) -> int:
        """The user id the token names, if it is genuine and unexpired at `now`; else InvalidToken."""
        ...


class LoginCodeRepository(Protocol):
    """One-time login codes by the hash of the code. Writes land on commit."""

    async def add(self, code: LoginCode) -> None:
        """Store a new code. Raises Conflict if the hash is taken (never, for random codes), NotFound if
        the user is unknown."""
        ...

    async def consume(self, code_hash: str, now: datetime) -> int | None:
        """Mark the code used at `now` and return its user id, if it exists, is unused and unexpired at
        `now`; else None (whatever the reason, so that callers cannot tell). Of two racing consumers of one
        code at most one gets the user."""
        ...


class RefreshTokenRepository(Protocol):
    """Refresh tokens by the hash of the token, grouped in families (one family per login)."""

    async def add(self, token: RefreshToken) -> None:
        """Store a new token. Raises Conflict if its id or hash is taken, NotFound if the user is unknown."""
        ...

    async def get_by_hash(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        """The token, or None. `for_update` locks it until the unit ends, so two racing refreshes of one
        token run one after the other (the second sees it used)."""
        ...

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        """Record the token's rotation. Raises Conflict if it was used already (a racing refresh won),
        NotFound for an unknown id."""
        ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> int:
        """Revoke every token of the family not revoked yet; how many. Idempotent (0 the second time)."""
        ...
