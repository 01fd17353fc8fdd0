"""The transactional outbox: events and the notifications they cause, written in one unit of work.

`record_events` is the one way events are stored. In the caller's unit of work (the sync page's, the
invalidation's), it stores the events (deduped by key) and, for each event that is new, writes one row per
member of the cabinet: PENDING for a member who is told, SUPPRESSED with the reason for one who is not.
So a crash loses both or neither, a re-run writes nothing twice, and a member who joins later is never
told the cabinet's past.
"""

from collections.abc import Callable, Mapping, Sequence
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
    were written to be told on their own (PENDING; grouped ones wait in their summary)."""
    if not events:
        return 0
    stored = await uow.events.add_many(list(events), [new_id() for _ in events], now)
    if not stored:
        return 0
    by_cabinet: dict[UUID, list[StoredEvent]] = {}
    for item in stored:
        by_cabinet.setdefault(item.event.cabinet_id, []).append(item)
    rows: list[NewNotification] = []
    grouping = _Grouping(uow, now, new_id)
    for cabinet_id, items in by_cabinet.items():
        recipients = await uow.notifications.recipients(cabinet_id)
        if not recipients:
            continue
        names = await _product_names(uow, cabinet_id, items)
        for item in items:
            data = notification_data(item.event, names)
            for recipient in recipients:
                rows.append(await _row(item, data, recipient, now, new_id, max_age, grouping))
    await uow.notifications.add_many(rows)
    return sum(1 for r in rows if r.status is DeliveryStatus.PENDING)


async def _product_names(uow: UnitOfWork, cabinet_id: UUID, items: Sequence[StoredEvent]) -> dict[int, str]:
    """Names for the articles whose events carry none (an FBS order, a sale row): from the cabinet's
    stored reviews and statistics."""
    wanted = sorted(
        {
            nm_id
            for item in items
            if not item.event.payload.get("product_name")
            and isinstance(nm_id := item.event.payload.get("nm_id"), int)
            and not isinstance(nm_id, bool)
        }
    )
    if not wanted:
        return {}
    return dict(await uow.notifications.product_names(cabinet_id, wanted))


async def _row(
    item: StoredEvent,
    data: dict[str, Any],
    recipient: Recipient,
    now: datetime,
    new_id: Callable[[], UUID],
    max_age: timedelta,
    grouping: "_Grouping",
) -> NewNotification:
    event = item.event
    reason = suppression_for(event, recipient.settings, now, max_age)
    group_id = None
    if reason is None:
        group_id = await grouping.group_of(event, recipient)
        if group_id is not None:
            reason = Suppression.GROUPED
    return NewNotification(
        id=new_id(),
        user_id=recipient.user_id,
        telegram_id=recipient.telegram_id,
        type=event.type.value,
        data=data,
        created_at=now,
        status=DeliveryStatus.PENDING if reason is None else DeliveryStatus.SUPPRESSED,
        reason=reason,
        next_attempt_at=now if reason is None else None,
        cabinet_id=event.cabinet_id,
        event_id=item.id,
        occurred_at=event.occurred_at,
        group_id=group_id,
    )


class _Grouping:
    """Which summary a notification joins, or None when it goes out on its own: with grouping on, the
    first `max_group_size` of a type within `group_timeout` go out at once, the rest are told together in
    one summary sent when the window ends. Counts what this fan-out told so far, as it is not stored yet."""

    def __init__(self, uow: UnitOfWork, now: datetime, new_id: Callable[[], UUID]) -> None:
        self._uow = uow
        self._now = now
        self._new_id = new_id
        self._told: dict[tuple[int, str], int] = {}
        self._groups: dict[tuple[int, str], UUID] = {}

    async def group_of(self, event: DomainEvent, recipient: Recipient) -> UUID | None:
        settings = recipient.settings
        if not settings.grouping_enabled or not event.type.groupable:
            return None
        key = (recipient.user_id, event.type.value)
        window = timedelta(seconds=settings.group_timeout)
        if key not in self._told:
            since = self._now - window
            self._told[key] = await self._uow.notifications.count_recent(key[0], key[1], since)
        if self._told[key] < settings.max_group_size:
            self._told[key] += 1
            return None
        if key not in self._groups:
            due = self._now + window
            self._groups[key] = await self._uow.notifications.open_group(
                key[0], key[1], self._new_id(), self._now, due
            )
        return self._groups[key]


def notification_data(event: DomainEvent, names: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The facts a notification carries (the webhook's `data`): the event's payload plus its cabinet and
    when it happened, and the article's name from `names` when the payload has none."""
    data: dict[str, Any] = {
        **event.payload,
        "cabinet_id": str(event.cabinet_id),
        "occurred_at": event.occurred_at.isoformat(),
    }
    nm_id = data.get("nm_id")
    if not data.get("product_name") and names and isinstance(nm_id, int) and nm_id in names:
        data["product_name"] = names[nm_id]
    return data
