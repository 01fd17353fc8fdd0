"""Dashboard sign-in: one-time login codes and rotating refresh tokens (docs/decisions/0014).

Neither is stored in the clear: only the SHA-256 of the random secret the client holds, so a copy of the
database signs nobody in. Times are passed in; nothing here reads a clock or makes a secret.
"""

import hashlib
from datetime import datetime
from enum import Enum
from uuid import UUID

import attrs


def secret_hash(secret: str) -> str:
    """The stored form of a code or refresh token: hex SHA-256. The secrets are ≥ 128 random bits, so an
    unsalted fast hash is enough (there is nothing to guess that a salt or a slow hash would protect)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@attrs.frozen
class LoginCode:
    """A one-time code the bot hands its user for the dashboard: single use, short-lived."""

    code_hash: str
    user_id: int
    expires_at: datetime
    used_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class RefreshState(Enum):
    ACTIVE = "active"
    USED = "used"  # rotated: presenting it again is reuse, and revokes the family
    REVOKED = "revoked"  # its family was logged out or caught being reused
    EXPIRED = "expired"


@attrs.frozen
class RefreshToken:
    """One refresh token of a login session (its `family`): every refresh replaces it by a new one of the
    same family, marking this one used."""

    id: UUID
    family_id: UUID
    user_id: int
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    def state_at(self, now: datetime) -> RefreshState:
        """Revoked wins over used (a used token of a revoked family is just revoked), used over expired
        (reuse is reported even after expiry, so a stolen old token still trips the alarm)."""
        if self.revoked_at is not None:
            return RefreshState.REVOKED
        if self.used_at is not None:
            return RefreshState.USED
        if now >= self.expires_at:
            return RefreshState.EXPIRED
        return RefreshState.ACTIVE
