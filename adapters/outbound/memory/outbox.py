"""In-memory per-recipient notifications (the delivery queue and log), staged in the unit of work.

There is one process and no row locks here: a claim is a write like any other, and the last committed
unit wins, which is what a single in-memory worker needs."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import attrs

from adapters.outbound.memory import store as db
from adapters.outbound.memory.identity import Staging
from application.ports.notifications import (
    DeliveryAttempt,
    HistoryPage,
    NewNotification,
    Notification,
    Recipient,
)
from domain.notifications import DeliveryStatus, NotificationSettings

_INDIVIDUAL = (DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.FAILED)


def stored(row: NewNotification) -> Notification:
    return Notification(
        id=row.id,
        user_id=row.user_id,
        telegram_id=row.telegram_id,
        type=row.type,
        data=dict(row.data),
        status=row.status,
        reason=None if row.reason is None else row.reason.value,
        cabinet_id=row.cabinet_id,
        event_id=row.event_id,
        occurred_at=row.occurred_at,
        created_at=row.created_at,
        attempts=0,
        next_attempt_at=row.next_attempt_at,
        sent_at=None,
        last_error=None,
        is_test=row.is_test,
        is_summary=row.is_summary,
        group_id=row.group_id,
        resend_of=row.resend_of,
    )


class InMemoryNotificationRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    @property
    def _rows(self) -> dict[UUID, Notification]:
        return cast(dict[UUID, Notification], self._unit.view.notifications)

    async def recipients(self, cabinet_id: UUID) -> Sequence[Recipient]:
        view = self._unit.view
        members = sorted(m.user_id for m in view.memberships.values() if m.cabinet_id == cabinet_id)
        return [
            Recipient(
                user_id,
                view.users[user_id].telegram_id,
                view.notification_settings.get(user_id) or NotificationSettings(),
            )
            for user_id in members
            if user_id in view.users
        ]

    async def product_names(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, str]:
        view = self._unit.view
        wanted = set(nm_ids)
        names: dict[int, str] = {}
        reviews = sorted(view.reviews.values(), key=lambda r: r.created_at, reverse=True)
        for r in reviews:
            if r.cabinet_id == cabinet_id and r.nm_id in wanted and r.product_name and r.nm_id not in names:
                names[r.nm_id] = r.product_name
        rows = sorted(view.stat_orders.values(), key=lambda r: r.date, reverse=True)
        for row in rows:
            if row.cabinet_id == cabinet_id and row.nm_id in wanted and row.nm_id not in names:
                name = " ".join(part for part in (row.subject, row.brand) if part)
                if name:
                    names[row.nm_id] = name
        return names

    async def add_many(self, rows: Sequence[NewNotification]) -> int:
        new = [stored(r) for r in rows]

        def write(t: db.Tables) -> int:
            taken = {(n.event_id, n.user_id) for n in t.notifications.values() if n.event_id is not None}
            added = 0
            for row in new:
                if row.event_id is not None and (row.event_id, row.user_id) in taken:
                    continue
                if row.id in t.notifications:
                    raise ValueError(f"notification {row.id} is stored already")
                t.notifications[row.id] = row
                taken.add((row.event_id, row.user_id))
                added += 1
            return added

        return cast(int, self._unit.stage(write))

    async def count_recent(self, user_id: int, type: str, since: datetime) -> int:
        return sum(
            1
            for n in self._rows.values()
            if n.user_id == user_id
            and n.type == type
            and n.status in _INDIVIDUAL
            and not n.is_summary
            and not n.is_test
            and n.resend_of is None
            and n.created_at >= since
        )

    async def open_group(self, user_id: int, type: str, new_id: UUID, now: datetime, due: datetime) -> UUID:
        for n in self._rows.values():
            if (
                n.is_summary
                and n.user_id == user_id
                and n.type == type
                and n.status is DeliveryStatus.PENDING
                and n.attempts == 0
            ):
                return n.id
        telegram_id = self._unit.view.users[user_id].telegram_id
        summary = NewNotification(
            id=new_id,
            user_id=user_id,
            telegram_id=telegram_id,
            type=type,
            data={},
            created_at=now,
            next_attempt_at=due,
            is_summary=True,
        )
        await self.add_many([summary])
        return new_id

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> Sequence[Notification]:
        due = sorted(
            (
                n
                for n in self._rows.values()
                if n.status is DeliveryStatus.PENDING
                and n.next_attempt_at is not None
                and n.next_attempt_at <= now
            ),
            key=lambda n: (n.next_attempt_at, n.created_at, str(n.id)),
        )[:limit]
        claimed = [attrs.evolve(n, attempts=n.attempts + 1, next_attempt_at=lease_until) for n in due]
        self._replace(claimed)
        return claimed

    async def group_items(self, summary_id: UUID) -> Sequence[Notification]:
        items = [n for n in self._rows.values() if n.group_id == summary_id]
        return sorted(items, key=lambda n: (n.occurred_at or n.created_at, str(n.id)))

    async def set_data(self, notification_id: UUID, data: Mapping[str, Any]) -> None:
        self._update(notification_id, data=dict(data))

    async def record_attempts(self, attempts: Sequence[DeliveryAttempt]) -> None:
        items = list(attempts)

        def write(t: db.Tables) -> None:
            t.delivery_attempts = [*t.delivery_attempts, *items]

        self._unit.stage(write)

    async def mark_sent(self, ids: Sequence[UUID], at: datetime) -> None:
        for notification_id in ids:
            self._update(
                notification_id, status=DeliveryStatus.SENT, sent_at=at, next_attempt_at=None, last_error=None
            )

    async def retry_at(self, notification_id: UUID, at: datetime, error: str) -> None:
        self._update(notification_id, status=DeliveryStatus.PENDING, next_attempt_at=at, last_error=error)

    async def dead_letter(self, notification_id: UUID, error: str) -> None:
        self._update(notification_id, status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=error)

    async def get(self, notification_id: UUID) -> Notification | None:
        return self._rows.get(notification_id)

    async def history(
        self, user_id: int, status: DeliveryStatus | None, type: str | None, limit: int, offset: int
    ) -> HistoryPage:
        mine = [
            n
            for n in self._rows.values()
            if n.user_id == user_id
            and (status is None or n.status is status)
            and (type is None or n.type == type)
        ]
        mine.sort(key=lambda n: (n.created_at, str(n.id)), reverse=True)
        return HistoryPage(mine[offset : offset + limit], len(mine))

    async def attempts_for(self, notification_ids: Sequence[UUID]) -> Sequence[DeliveryAttempt]:
        wanted = set(notification_ids)
        found = [a for a in self._unit.view.delivery_attempts if a.notification_id in wanted]
        return sorted(found, key=lambda a: a.attempted_at)

    def _update(self, notification_id: UUID, **changes: Any) -> None:
        current = self._rows.get(notification_id)
        if current is not None:
            self._replace([attrs.evolve(current, **changes)])

    def _replace(self, rows: Sequence[Notification]) -> None:
        items = list(rows)

        def write(t: db.Tables) -> None:
            for row in items:
                t.notifications[row.id] = row

        self._unit.stage(write)
