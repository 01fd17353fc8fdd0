"""What the bot API offers around notifications: a test notification of any type (seed 000 §2), the
member's delivery log, and resending one of its entries. All go through the same outbox and delivery as
real notifications."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

import attrs

from application.ports.notifications import (
    DeliveryAttempt,
    DeliveryScheduler,
    NewNotification,
    Notification,
)
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.use_cases.access import UserRef, find_user
from domain.errors import Conflict, InvalidValue, NotFound
from domain.events import EventType
from domain.notifications import DeliveryStatus

NOTIFICATION_TYPES = tuple(t.value for t in EventType)


@attrs.frozen
class LogEntry:
    notification: Notification
    attempts: Sequence[DeliveryAttempt]


@attrs.frozen
class LogPage:
    entries: Sequence[LogEntry]
    total: int


@attrs.frozen
class SendTestNotification:
    """Queue a notification of `notification_type` with `test_data` for the user, marked as a test: it is
    formatted, signed, retried and logged like a real one, whatever the user's settings (they asked)."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    new_id: Callable[[], UUID]
    scheduler: DeliveryScheduler

    async def __call__(
        self, user: UserRef, notification_type: str, test_data: Mapping[str, Any]
    ) -> Notification:
        if notification_type not in NOTIFICATION_TYPES:
            raise InvalidValue("notification_type", f"must be one of {', '.join(NOTIFICATION_TYPES)}")
        now = self.clock.now()
        async with self.uow_factory() as uow:
            found = await find_user(uow, user)
            assert found.id is not None
            row = NewNotification(
                id=self.new_id(),
                user_id=found.id,
                telegram_id=found.telegram_id,
                type=notification_type,
                data=dict(test_data),
                created_at=now,
                next_attempt_at=now,
                occurred_at=now,
                is_test=True,
            )
            stored = await _queue(uow, row)
        await self.scheduler.deliver_now()
        return stored


@attrs.frozen
class NotificationLog:
    """The user's notifications, newest first: sent, failed (with the reason), suppressed (with the
    reason), pending; each with its delivery attempts."""

    uow_factory: UnitOfWorkFactory

    async def __call__(
        self, user: UserRef, status: DeliveryStatus | None, type: str | None, limit: int, offset: int
    ) -> LogPage:
        if type is not None and type not in NOTIFICATION_TYPES:
            raise InvalidValue("type", f"must be one of {', '.join(NOTIFICATION_TYPES)}")
        async with self.uow_factory() as uow:
            found = await find_user(uow, user)
            assert found.id is not None
            page = await uow.notifications.history(found.id, status, type, limit, offset)
            attempts = await uow.notifications.attempts_for([n.id for n in page.items])
        by_id: dict[UUID, list[DeliveryAttempt]] = {}
        for attempt in attempts:
            by_id.setdefault(attempt.notification_id, []).append(attempt)
        return LogPage([LogEntry(n, by_id.get(n.id, [])) for n in page.items], page.total)


@attrs.frozen
class ResendNotification:
    """Send an entry of the user's log again, as a new notification (a new id: the bot dedupes by id, so
    the same id would be dropped) that names the original in `resend_of`. Any entry may be resent (a
    suppressed one too: the member asked for it) except one still pending, which is on its way (409)."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    new_id: Callable[[], UUID]
    scheduler: DeliveryScheduler

    async def __call__(self, user: UserRef, notification_id: UUID) -> Notification:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            found = await find_user(uow, user)
            original = await uow.notifications.get(notification_id)
            if original is None or original.user_id != found.id:
                raise NotFound("notification", str(notification_id))
            if original.status is DeliveryStatus.PENDING:
                raise Conflict(f"notification {notification_id} is still pending: it is on its way")
            row = NewNotification(
                id=self.new_id(),
                user_id=original.user_id,
                telegram_id=found.telegram_id,
                type=original.type,
                data=dict(original.data),
                created_at=now,
                next_attempt_at=now,
                cabinet_id=original.cabinet_id,
                occurred_at=original.occurred_at,
                is_test=original.is_test,
                is_summary=original.is_summary,
                resend_of=original.id,
            )
            stored = await _queue(uow, row)
        await self.scheduler.deliver_now()
        return stored


async def _queue(uow: UnitOfWork, row: NewNotification) -> Notification:
    """Store `row` for delivery, commit, and answer it as stored (call `deliver_now` after)."""
    await uow.notifications.add_many([row])
    await uow.commit()
    stored = await uow.notifications.get(row.id)
    assert stored is not None  # just committed by this unit
    return stored
