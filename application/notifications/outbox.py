"""The transactional outbox: events and the notifications they cause, written in one unit of work.

`record_events` is the one way events are stored. In the caller's unit of work (the sync page's, the
invalidation's), it stores the events (deduped by key) and, for each event that is new, writes one row per
member of the cabinet: PENDING for a member who is told, SUPPRESSED with the reason for one who is not.
So a crash loses both or neither, a re-run writes nothing twice, and a member who joins later is never
told the cabinet's past.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from application.ports.notifications import NewNotification, Recipient, StoredEvent
from application.ports.unit_of_work import UnitOfWork
from domain.events import DomainEvent
from domain.notifications import DeliveryStatus, Suppression, suppression_for

DEFAULT_MAX_AGE = timedelta(hours=48)


async def record_events(
    uow: UnitOfWork,
    events: Sequence[DomainEvent],
    now: datetime,
    new_id: Callable[[], UUID],
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> int:
    """Store `events` and fan the new ones out to the cabinets' members. Returns how many notifications
    were written PENDING (to be delivered)."""
    if not events:
        return 0
    stored = await uow.events.add_many(list(events), [new_id() for _ in events], now)
    if not stored:
        return 0
    by_cabinet: dict[UUID, list[StoredEvent]] = {}
    for item in stored:
        by_cabinet.setdefault(item.event.cabinet_id, []).append(item)
    rows: list[NewNotification] = []
    for cabinet_id, items in by_cabinet.items():
        recipients = await uow.notifications.recipients(cabinet_id)
        for item in items:
            for recipient in recipients:
                rows.append(await _row(uow, item, recipient, now, new_id, max_age))
    await uow.notifications.add_many(rows)
    return sum(1 for r in rows if r.status is DeliveryStatus.PENDING)


async def _row(
    uow: UnitOfWork,
    item: StoredEvent,
    recipient: Recipient,
    now: datetime,
    new_id: Callable[[], UUID],
    max_age: timedelta,
) -> NewNotification:
    event = item.event
    reason = suppression_for(event, recipient.settings, now, max_age)
    group_id = None
    if reason is None:
        group_id = await _group_of(uow, event, recipient, now, new_id)
        if group_id is not None:
            reason = Suppression.GROUPED
    return NewNotification(
        id=new_id(),
        user_id=recipient.user_id,
        telegram_id=recipient.telegram_id,
        type=event.type.value,
        data=notification_data(event),
        created_at=now,
        status=DeliveryStatus.PENDING if reason is None else DeliveryStatus.SUPPRESSED,
        reason=reason,
        next_attempt_at=now if reason is None else None,
        cabinet_id=event.cabinet_id,
        event_id=item.id,
        occurred_at=event.occurred_at,
        group_id=group_id,
    )


async def _group_of(
    uow: UnitOfWork, event: DomainEvent, recipient: Recipient, now: datetime, new_id: Callable[[], UUID]
) -> UUID | None:
    """The summary this notification joins, or None when it goes out on its own: with grouping on, the
    first `max_group_size` of a type within `group_timeout` go out at once, the rest are told together in
    one summary sent when the window ends."""
    settings = recipient.settings
    if not settings.grouping_enabled or not event.type.groupable:
        return None
    window = timedelta(seconds=settings.group_timeout)
    told = await uow.notifications.count_recent(recipient.user_id, event.type.value, now - window)
    if told < settings.max_group_size:
        return None
    return await uow.notifications.open_group(recipient.user_id, event.type.value, new_id(), now, now + window)


def notification_data(event: DomainEvent) -> dict[str, Any]:
    """The facts a notification carries (the webhook's `data`): the event's payload plus its cabinet and
    when it happened."""
    return {
        **event.payload,
        "cabinet_id": str(event.cabinet_id),
        "occurred_at": event.occurred_at.isoformat(),
    }
