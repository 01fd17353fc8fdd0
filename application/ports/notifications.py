"""Notification ports: the event outbox the sync writes to, the per-recipient notifications fanned out
from it (the delivery queue and the seller's delivery log), each user's settings and their cache, and the
bot the notifications are delivered to."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import attrs

from domain.events import DomainEvent
from domain.notifications import DeliveryStatus, NotificationSettings, Suppression


@attrs.frozen
class StoredEvent:
    """An event as the outbox holds it: the event, its id and when it was stored."""

    id: UUID
    event: DomainEvent
    stored_at: datetime


class EventRepository(Protocol):
    """The outbox. Events are written in the same unit of work as the data that caused them."""

    async def add_many(
        self, events: Sequence[DomainEvent], ids: Sequence[UUID], at: datetime
    ) -> Sequence[StoredEvent]:
        """Store the events (with `ids[i]` for `events[i]`), stamped `at`. Idempotent: `dedupe_key` is
        unique, so an event already stored is skipped. Returns the events that were new, in input order."""
        ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[StoredEvent]:
        """The cabinet's events, oldest first (by occurrence, then dedupe key). Read-only."""
        ...


@attrs.frozen
class Recipient:
    """A member of a cabinet as the fan-out sees them: who, where to, and their settings."""

    user_id: int
    telegram_id: int
    settings: NotificationSettings


@attrs.frozen
class NewNotification:
    """One notification for one recipient, as the fan-out (or a test or a resend) writes it.

    `status` is PENDING (to be delivered from `next_attempt_at`) or SUPPRESSED (with `reason`: recorded
    for the delivery log, never sent). `group_id` is set on a GROUPED row: the summary row it is told in.
    `is_summary` marks such a summary row (its `data` is filled when it is sent)."""

    id: UUID
    user_id: int
    telegram_id: int
    type: str
    data: Mapping[str, Any]
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    reason: Suppression | None = None
    next_attempt_at: datetime | None = None
    cabinet_id: UUID | None = None
    event_id: UUID | None = None
    occurred_at: datetime | None = None
    is_test: bool = False
    is_summary: bool = False
    group_id: UUID | None = None
    resend_of: UUID | None = None


@attrs.frozen
class Notification:
    """A stored notification, for delivery and for the delivery log."""

    id: UUID
    user_id: int
    telegram_id: int
    type: str
    data: Mapping[str, Any]
    status: DeliveryStatus
    reason: str | None
    cabinet_id: UUID | None
    event_id: UUID | None
    occurred_at: datetime | None
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    is_test: bool
    is_summary: bool
    group_id: UUID | None
    resend_of: UUID | None


@attrs.frozen
class DeliveryAttempt:
    """One try at delivering a notification, as the delivery log shows it."""

    notification_id: UUID
    attempted_at: datetime
    http_status: int | None
    duration_ms: int
    error: str | None


@attrs.frozen
class HistoryPage:
    items: Sequence[Notification]
    total: int


class NotificationRepository(Protocol):
    """Per-recipient notifications: the delivery queue and the delivery log (table `notifications`)."""

    async def recipients(self, cabinet_id: UUID) -> Sequence[Recipient]:
        """Every member of the cabinet with their telegram id and settings (defaults where none stored),
        by user id."""
        ...

    async def product_names(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, str]:
        """What a message calls each article, from what the sync stored: the product name WB gives with
        its reviews, else the statistics' subject and brand ("Футболки Sim Store"). Articles never seen
        in either are left out."""
        ...

    async def add_many(self, rows: Sequence[NewNotification]) -> int:
        """Insert the rows; a row whose (event_id, user_id) is stored already is skipped (so a re-run
        fan-out writes nothing twice). Returns how many were new."""
        ...

    async def count_recent(self, user_id: int, type: str, since: datetime) -> int:
        """How many individually told (not grouped, not suppressed, not summary) notifications of `type`
        the user got created at or after `since`."""
        ...

    async def open_group(self, user_id: int, type: str, new_id: UUID, now: datetime, due: datetime) -> UUID:
        """The id of the user's open (pending, not yet claimed) summary row of `type`, locked until this
        unit ends; created (with `new_id`, due at `due`) when there is none."""
        ...

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> Sequence[Notification]:
        """Claim up to `limit` pending rows due at `now` (oldest due first), skipping rows another unit
        holds (FOR UPDATE SKIP LOCKED): each claimed row's `attempts` goes up by one and its next attempt
        moves to `lease_until`, so a worker that dies before recording the outcome gives it back then.
        A claimed summary row is sealed: no more rows join its group. Commit right after claiming."""
        ...

    async def group_items(self, summary_id: UUID) -> Sequence[Notification]:
        """The grouped rows told by a summary, oldest first."""
        ...

    async def set_data(self, notification_id: UUID, data: Mapping[str, Any]) -> None:
        """Replace a row's data (a summary's, filled when it is sent)."""
        ...

    async def record_attempts(self, attempts: Sequence[DeliveryAttempt]) -> None: ...

    async def mark_sent(self, ids: Sequence[UUID], at: datetime) -> None: ...

    async def retry_at(self, notification_id: UUID, at: datetime, error: str) -> None:
        """Back to pending, due at `at`, with the error kept."""
        ...

    async def dead_letter(self, notification_id: UUID, error: str) -> None:
        """FAILED for good, with the reason."""
        ...

    async def get(self, notification_id: UUID) -> Notification | None: ...

    async def history(
        self,
        user_id: int,
        status: DeliveryStatus | None,
        type: str | None,
        limit: int,
        offset: int,
    ) -> HistoryPage:
        """The user's notifications, newest first, filtered by status and type when given."""
        ...

    async def attempts_for(self, notification_ids: Sequence[UUID]) -> Sequence[DeliveryAttempt]:
        """The delivery attempts of these notifications, oldest first."""
        ...


class NotificationSettingsRepository(Protocol):
    """Each user's notification settings (one row per user; a user without a row has none yet)."""

    async def add_if_missing(self, user_id: int, settings: NotificationSettings) -> bool:
        """Store `settings` for the user unless the user already has settings. True if stored; idempotent
        (False the second time, the stored settings untouched). Raises NotFound for an unknown user."""
        ...

    async def get(self, user_id: int, for_update: bool = False) -> NotificationSettings | None:
        """The user's settings, or None if none were stored. `for_update`: the row stays locked until the
        unit ends, so two read-modify-write changes of one user apply one after the other."""
        ...

    async def save(self, user_id: int, settings: NotificationSettings) -> None:
        """Store the user's settings, replacing what was stored. Raises NotFound for an unknown user."""
        ...


class SettingsCache(Protocol):
    """A read cache of users' settings (Redis `notifications:settings:{user_id}`). Best effort: a
    cache that cannot be reached reads as a miss and drops writes, logging a warning; never raises."""

    async def get(self, user_id: int) -> NotificationSettings | None: ...

    async def put(self, user_id: int, settings: NotificationSettings) -> None: ...

    async def invalidate(self, user_id: int) -> None: ...


@attrs.frozen
class OutgoingNotification:
    """What the bot receives (the webhook body), before signing."""

    id: UUID
    type: str
    data: Mapping[str, Any]
    user_id: int
    telegram_id: int
    telegram_text: str
    timestamp: datetime
    is_test: bool


@attrs.frozen
class DeliveryResult:
    """How one delivery attempt went. `ok` for any 2xx. `retry_after_s`: the bot's 429/503 Retry-After."""

    ok: bool
    status: int | None
    duration_ms: int
    error: str | None = None
    retry_after_s: float | None = None


class BotGateway(Protocol):
    """Delivers one notification to the bot (a signed webhook). Never raises for the bot's failures
    (refused connection, timeout, non-2xx): they come back as a result that is not `ok`."""

    async def send(self, notification: OutgoingNotification) -> DeliveryResult: ...


class DeliveryScheduler(Protocol):
    """Asks the workers to deliver due notifications now rather than at the next safety-net tick. Best
    effort: never raises (a lost request only delays delivery until the tick); call it after the commit."""

    async def deliver_now(self) -> None: ...
