"""Notification ports: the outbox the sync writes its detected events to, and each user's settings."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

import attrs

from domain.events import DomainEvent
from domain.notifications import NotificationSettings


@attrs.frozen
class StoredEvent:
    """An event as the outbox holds it: the event, its id and when it was stored."""

    id: UUID
    event: DomainEvent
    stored_at: datetime


class EventRepository(Protocol):
    """The outbox. Events are written in the same unit of work as the data that caused them."""

    async def add_many(self, events: Sequence[DomainEvent], ids: Sequence[UUID], at: datetime) -> int:
        """Store the events (with `ids[i]` for `events[i]`), stamped `at`. Idempotent: `dedupe_key` is
        unique, so an event already stored is skipped. Returns how many were new."""
        ...

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[StoredEvent]:
        """The cabinet's events, oldest first (by occurrence, then dedupe key). Read-only."""
        ...


class NotificationSettingsRepository(Protocol):
    """Each user's notification settings (one row per user; a user without a row has none yet)."""

    async def add_if_missing(self, user_id: int, settings: NotificationSettings) -> bool:
        """Store `settings` for the user unless the user already has settings. True if stored; idempotent
        (False the second time, the stored settings untouched). Raises NotFound for an unknown user."""
        ...

    async def get(self, user_id: int) -> NotificationSettings | None:
        """The user's settings, or None if none were stored."""
        ...
