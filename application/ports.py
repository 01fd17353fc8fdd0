"""Ports: what the application needs from the world, named by role. Adapters implement them.

Every port here is a Protocol; the in-memory implementations in `adapters/outbound/memory` and the real
ones are checked against the same contract tests.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self
from uuid import UUID

from domain.identity import Cabinet, Membership, User

if TYPE_CHECKING:
    from application.sync_ports import (
        ClaimRepository,
        EventRepository,
        OrderRepository,
        ReviewRepository,
        SaleRepository,
        StatOrderRepository,
        StockRepository,
        SyncCursorRepository,
    )


class Clock(Protocol):
    """The current time, always timezone-aware UTC. Injected so that tests control time."""

    def now(self) -> datetime: ...


class SecretBox(Protocol):
    """Encrypts WB API keys at rest and fingerprints them.

    `fingerprint` is keyed (HMAC), deterministic for one deployment's key, and reveals nothing of the
    plaintext. `decrypt` raises ValueError on tampered or foreign ciphertext.
    """

    def encrypt(self, plaintext: str) -> bytes: ...

    def decrypt(self, ciphertext: bytes) -> str: ...

    def fingerprint(self, plaintext: str) -> str: ...


class UserRepository(Protocol):
    """Users by internal id and by Telegram id (unique)."""

    async def add(self, user: User) -> User:
        """Store a new user and assign `user.id`. Raises Conflict if the telegram_id is taken."""
        ...

    async def get(self, user_id: int) -> User | None: ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None: ...

    async def update(self, user: User) -> None:
        """Save changed names. Raises NotFound if the user does not exist."""
        ...


class CabinetRepository(Protocol):
    """Cabinets with their encrypted key. The key never leaves this port in plaintext."""

    async def add(self, cabinet: Cabinet, encrypted_key: bytes) -> None:
        """Store a new cabinet. Raises Conflict if a cabinet with the same key fingerprint exists."""
        ...

    async def get(self, cabinet_id: UUID) -> Cabinet | None: ...

    async def get_by_fingerprint(self, fingerprint: str) -> Cabinet | None: ...

    async def get_encrypted_key(self, cabinet_id: UUID) -> bytes | None: ...

    async def update(self, cabinet: Cabinet) -> None:
        """Save status, name and token facts. Raises NotFound if the cabinet does not exist."""
        ...

    async def replace_key(self, cabinet_id: UUID, encrypted_key: bytes) -> None: ...

    async def list_active(self) -> Sequence[Cabinet]: ...

    async def list_all(self) -> Sequence[Cabinet]: ...


class MembershipRepository(Protocol):
    """Who belongs to which cabinet. (user_id, cabinet_id) is unique."""

    async def add(self, membership: Membership) -> None:
        """Raises Conflict if the user is already a member of the cabinet."""
        ...

    async def get(self, user_id: int, cabinet_id: UUID) -> Membership | None: ...

    async def remove(self, user_id: int, cabinet_id: UUID) -> bool: ...

    async def list_for_user(self, user_id: int) -> Sequence[Membership]: ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[Membership]: ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the `async with` block without `commit()` rolls everything back."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def cabinets(self) -> CabinetRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    @property
    def orders(self) -> "OrderRepository": ...

    @property
    def stat_orders(self) -> "StatOrderRepository": ...

    @property
    def sales(self) -> "SaleRepository": ...

    @property
    def stocks(self) -> "StockRepository": ...

    @property
    def reviews(self) -> "ReviewRepository": ...

    @property
    def claims(self) -> "ClaimRepository": ...

    @property
    def sync_cursors(self) -> "SyncCursorRepository": ...

    @property
    def events(self) -> "EventRepository": ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use-case call; units of work are never shared between tasks."""

    def __call__(self) -> UnitOfWork: ...


class NotificationSender(Protocol):
    """Delivers one formatted notification to the bot. At-least-once: `delivery_id` is stable per
    (event, recipient) so the bot can drop repeats. Raises DeliveryFailed on a non-2xx answer."""

    async def send(self, delivery_id: str, telegram_id: int, payload: Mapping[str, Any]) -> None: ...


class JobQueue(Protocol):
    """Enqueues background jobs. `job_id` dedupes: a job with the same id already queued or running is
    not enqueued again. Returns False when it was deduplicated."""

    async def enqueue(
        self, job: str, *args: object, job_id: str | None = None, defer_s: float = 0
    ) -> bool: ...


class Cache(Protocol):
    """A shared key-value cache with expiry (Redis in production). Values are bytes."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_s: int) -> None: ...

    async def incr(self, key: str) -> int: ...

    async def delete(self, key: str) -> None: ...


class HealthCheck(Protocol):
    """One dependency's readiness (Postgres reachable and migrated, Redis reachable, ...).

    Returns None when ready, or a short human reason when not. Never raises, never blocks for more
    than its own timeout, and never includes secrets (no URLs with passwords) in the reason.
    """

    @property
    def name(self) -> str: ...

    async def __call__(self) -> str | None: ...
