"""Identity ports: who the users are, which cabinets exist and who belongs to which."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity import Cabinet, Membership, User


class UserRepository(Protocol):
    """Users by Telegram id (unique). Writes are staged in the unit of work and land on commit."""

    async def add(self, user: User) -> User:
        """Store a new user and assign `user.id` (and `created_at` if unset; `updated_at` if unset becomes
        `created_at`).

        Raises Conflict if the telegram_id is taken. Not idempotent by itself: callers look up first
        (RegisterUser does), and a racing duplicate is the Conflict.
        """
        ...

    async def get(self, user_id: int) -> User | None:
        """The user with this internal id (the bot API's `user_id`), or None."""
        ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user, or None if this Telegram id never registered."""
        ...

    async def update(self, user: User) -> None:
        """Save changed names and `updated_at` (kept as stored when None; never the ids or created_at).
        Idempotent. Raises NotFound if the user does not exist."""
        ...


class CabinetRepository(Protocol):
    """Cabinets, one per WB seller (`seller_id` is unique), with the encrypted current key of that seller.
    The key never leaves this port in plaintext."""

    async def add(self, cabinet: Cabinet, encrypted_key: bytes) -> None:
        """Store a new cabinet. Raises Conflict if its id, seller id or key fingerprint is taken (a racing
        connect of the same seller won: look it up again)."""
        ...

    async def get(self, cabinet_id: UUID) -> Cabinet | None:
        """The cabinet, or None if there is none with this id."""
        ...

    async def get_by_seller_id(self, seller_id: str) -> Cabinet | None:
        """The seller's cabinet (whichever of the seller's keys it holds), or None."""
        ...

    async def get_encrypted_key(self, cabinet_id: UUID) -> bytes | None:
        """The stored key ciphertext, or None for an unknown cabinet."""
        ...

    async def update(self, cabinet: Cabinet) -> None:
        """Save status, name, token facts, invalidation count and blocked sources (every field but the id,
        the seller id and created_at). Idempotent. Raises NotFound for an unknown cabinet and Conflict if
        the fingerprint now collides with another cabinet's."""
        ...

    async def replace_key(self, cabinet_id: UUID, encrypted_key: bytes) -> None:
        """Store a new ciphertext for the cabinet's key. Idempotent. Raises NotFound if unknown."""
        ...

    async def list_active(self) -> Sequence[Cabinet]:
        """Every cabinet whose key is not known to be dead, oldest first."""
        ...

    async def list_all(self) -> Sequence[Cabinet]:
        """Every cabinet, active or not, oldest first."""
        ...

    async def schedule_deletion(self, cabinet_id: UUID, at: datetime) -> None:
        """Mark the cabinet for deletion with all its data at `at` (its key died or its last member left).
        An earlier mark stands: scheduling never postpones a deletion, so repeating it is idempotent.
        Raises NotFound for an unknown cabinet."""
        ...

    async def cancel_deletion(self, cabinet_id: UUID) -> None:
        """Clear the deletion mark (the cabinet is active and has a member again). Idempotent; a no-op for
        an unknown cabinet."""
        ...

    async def deletion_scheduled_at(self, cabinet_id: UUID) -> datetime | None:
        """When the cabinet is due for deletion, or None if it is not marked (or unknown)."""
        ...

    async def list_due_for_deletion(self, now: datetime) -> Sequence[UUID]:
        """The cabinets whose deletion mark is at or before `now`, earliest mark first."""
        ...

    async def delete_if_due(self, cabinet_id: UUID, now: datetime) -> bool:
        """Delete the cabinet with its key, memberships, synced data and events (they cascade), but only if
        its deletion mark is at or before `now` when the delete runs: a mark cancelled meanwhile (a
        reconnect) saves it. True if it was deleted; idempotent (False the second time)."""
        ...


class MembershipRepository(Protocol):
    """Who belongs to which cabinet; (user_id, cabinet_id) is unique."""

    async def add(self, membership: Membership) -> None:
        """Raises Conflict if the user is already a member, NotFound if the user or cabinet is unknown."""
        ...

    async def get(self, user_id: int, cabinet_id: UUID) -> Membership | None:
        """The membership, or None if the user is not in the cabinet."""
        ...

    async def remove(self, user_id: int, cabinet_id: UUID) -> bool:
        """Leave the cabinet. True if the user was a member; idempotent (False the second time)."""
        ...

    async def list_for_user(self, user_id: int) -> Sequence[Membership]:
        """The user's memberships, oldest first (the cabinets a user sees)."""
        ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[Membership]:
        """The cabinet's members, oldest first (who is told about the cabinet)."""
        ...
