"""Users, cabinets and who belongs to which: many users per cabinet, many cabinets per user."""

import enum
from datetime import datetime
from uuid import UUID

import attrs

from domain.validators import non_blank, positive
from domain.wb_token import WbCategory


@attrs.define(eq=False)
class User:
    """A Telegram user of the bot. `id` is assigned by the repository when the user is first stored."""

    telegram_id: int = attrs.field(validator=positive)
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    id: int | None = None
    created_at: datetime | None = None


class CabinetStatus(enum.StrEnum):
    ACTIVE = "active"
    INVALID = "invalid"


class Role(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


@attrs.define(eq=False)
class Cabinet:
    """One WB seller cabinet, i.e. one WB API key. The key itself lives only encrypted, outside the domain.

    `key_fingerprint` is a keyed hash of the key: the same key always finds the same cabinet, and the
    fingerprint reveals nothing about the key.
    """

    id: UUID
    name: str = attrs.field(validator=non_blank)
    key_fingerprint: str
    seller_id: str
    token_expires_at: datetime
    categories: frozenset[WbCategory]
    read_only: bool
    created_at: datetime
    status: CabinetStatus = CabinetStatus.ACTIVE
    invalid_reason: str | None = None

    def mark_invalid(self, reason: str) -> bool:
        """Mark the key rejected by WB. Returns True if this changed the status (for the event)."""
        changed = self.status is not CabinetStatus.INVALID
        self.status = CabinetStatus.INVALID
        self.invalid_reason = reason
        return changed

    def mark_active(self) -> None:
        self.status = CabinetStatus.ACTIVE
        self.invalid_reason = None

    @property
    def is_active(self) -> bool:
        return self.status is CabinetStatus.ACTIVE


@attrs.frozen
class Membership:
    """A user's place in a cabinet."""

    user_id: int
    cabinet_id: UUID
    role: Role
    joined_at: datetime
