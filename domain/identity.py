"""Users, cabinets (one per WB seller) and who belongs to which: many users per cabinet, many cabinets per
user."""

import enum
from datetime import datetime
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.validators import non_blank, positive
from domain.wb_token import WbCategory, WbTokenInfo


@attrs.define(eq=False)
class User:
    """A Telegram user of the bot. `id` is assigned by the repository when the user is first stored."""

    telegram_id: int = attrs.field(validator=positive)
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None  # when the names last changed (created_at until then)


class CabinetStatus(enum.StrEnum):
    ACTIVE = "active"
    INVALID = "invalid"


class Role(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


@attrs.frozen
class SourceBlock:
    """WB refused one method to the cabinet's key (403, or 401 "token scope not allowed") while the key
    itself is good: that source is skipped until `retry_at`, or until a new key is connected."""

    reason: str
    since: datetime
    retry_at: datetime


@attrs.define(eq=False)
class Cabinet:
    """One WB seller cabinet, identified by the seller id (`sid`) of its keys: a new key of the same seller
    replaces the stored one and keeps the cabinet. The key itself lives only encrypted, outside the domain.

    `key_fingerprint` is a keyed hash of the current key: it tells the same key from a new one and
    reveals nothing about the key. `invalidations` counts how often the key was found dead (each time is
    its own event); `blocked_sources` are the sources WB refuses to this key, by source name.
    """

    id: UUID
    name: str = attrs.field(validator=non_blank)
    key_fingerprint: str
    seller_id: str = attrs.field(validator=non_blank)
    token_expires_at: datetime
    categories: frozenset[WbCategory]
    read_only: bool
    created_at: datetime
    status: CabinetStatus = CabinetStatus.ACTIVE
    invalid_reason: str | None = None
    invalidations: int = 0
    blocked_sources: dict[str, SourceBlock] = attrs.Factory(dict)

    def mark_invalid(self, reason: str) -> bool:
        """Mark the key rejected by WB. Returns True if this changed the status (a new invalidation, so
        a new event); an already invalid cabinet only gets the new reason."""
        changed = self.status is not CabinetStatus.INVALID
        self.status = CabinetStatus.INVALID
        self.invalid_reason = reason
        if changed:
            self.invalidations += 1
        return changed

    def take_key(self, fingerprint: str, token: WbTokenInfo) -> None:
        """Use a new key of this seller: its facts replace the old key's, the cabinet is active again,
        and every source WB refused to the old key is tried again. InvalidValue for another seller's key."""
        if token.seller_id != self.seller_id:
            raise InvalidValue("api_key", "the key belongs to another seller")
        self.key_fingerprint = fingerprint
        self.token_expires_at = token.expires_at
        self.categories = token.categories
        self.read_only = token.read_only
        self.status = CabinetStatus.ACTIVE
        self.invalid_reason = None
        self.blocked_sources = {}

    def block_source(self, source: str, reason: str, at: datetime, retry_at: datetime) -> None:
        self.blocked_sources = {**self.blocked_sources, source: SourceBlock(reason, at, retry_at)}

    def unblock_source(self, source: str) -> None:
        self.blocked_sources = {k: v for k, v in self.blocked_sources.items() if k != source}

    def block_of(self, source: str, at: datetime) -> SourceBlock | None:
        """The block that still holds for `source` at `at`, or None (never blocked, or due for a retry)."""
        block = self.blocked_sources.get(source)
        return block if block is not None and at < block.retry_at else None

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
