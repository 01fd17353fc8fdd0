"""Per-recipient notifications (table `notifications`): the delivery queue and the seller's delivery log.

Claims use `FOR UPDATE SKIP LOCKED`, so any number of workers drain the queue together, and a claim moves
the row's next attempt to the end of a lease, so a worker that dies mid-delivery gives its rows back."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import utc, utc_or_none
from adapters.outbound.postgres.repositories.notification_settings import settings_from_row
from adapters.outbound.postgres.tables import (
    delivery_attempts,
    memberships,
    notification_settings,
    notifications,
    reviews,
    stat_orders,
    users,
)
from application.ports.notifications import (
    DeliveryAttempt,
    HistoryPage,
    NewNotification,
    Notification,
    Recipient,
)
from domain.notifications import DeliveryStatus, NotificationSettings

n = notifications.c
_INDIVIDUAL = [DeliveryStatus.PENDING.value, DeliveryStatus.SENT.value, DeliveryStatus.FAILED.value]


def _values(row: NewNotification) -> dict[str, Any]:
    return {
        "id": row.id,
        "event_id": row.event_id,
        "cabinet_id": row.cabinet_id,
        "user_id": row.user_id,
        "telegram_id": row.telegram_id,
        "type": row.type,
        "data": dict(row.data),
        "status": row.status.value,
        "reason": None if row.reason is None else row.reason.value,
        "is_test": row.is_test,
        "is_summary": row.is_summary,
        "group_id": row.group_id,
        "resend_of": row.resend_of,
        "next_attempt_at": row.next_attempt_at,
        "occurred_at": row.occurred_at,
        "created_at": row.created_at,
    }


def _notification(row: sa.Row[Any]) -> Notification:
    return Notification(
        id=row.id,
        user_id=row.user_id,
        telegram_id=row.telegram_id,
        type=row.type,
        data=row.data,
        status=DeliveryStatus(row.status),
        reason=row.reason,
        cabinet_id=row.cabinet_id,
        event_id=row.event_id,
        occurred_at=utc_or_none(row.occurred_at),
        created_at=utc(row.created_at),
        attempts=row.attempts,
        next_attempt_at=utc_or_none(row.next_attempt_at),
        sent_at=utc_or_none(row.sent_at),
        last_error=row.last_error,
        is_test=row.is_test,
        is_summary=row.is_summary,
        group_id=row.group_id,
        resend_of=row.resend_of,
    )


class PostgresNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def recipients(self, cabinet_id: UUID) -> Sequence[Recipient]:
        stmt = (
            sa.select(users.c.id, users.c.telegram_id, notification_settings)
            .select_from(
                memberships.join(users, users.c.id == memberships.c.user_id).outerjoin(
                    notification_settings, notification_settings.c.user_id == users.c.id
                )
            )
            .where(memberships.c.cabinet_id == cabinet_id)
            .order_by(users.c.id)
        )
        return [
            Recipient(
                row.id,
                row.telegram_id,
                NotificationSettings() if row.user_id is None else settings_from_row(row),
            )
            for row in await self._session.execute(stmt)
        ]

    async def product_names(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, str]:
        r, o = reviews.c, stat_orders.c
        named = (
            sa.select(r.nm_id, r.product_name)
            .where(
                r.cabinet_id == cabinet_id,
                r.nm_id.in_(list(nm_ids)),
                r.product_name.is_not(None),
                r.product_name != "",
            )
            .ext(distinct_on(r.nm_id))
            .order_by(r.nm_id, r.created_at.desc())
        )
        names: dict[int, str] = {row.nm_id: row.product_name for row in await self._session.execute(named)}
        missing = [nm_id for nm_id in nm_ids if nm_id not in names]
        if missing:
            described = (
                sa.select(o.nm_id, o.subject, o.brand)
                .where(o.cabinet_id == cabinet_id, o.nm_id.in_(missing))
                .ext(distinct_on(o.nm_id))
                .order_by(o.nm_id, o.date.desc())
            )
            for row in await self._session.execute(described):
                name = " ".join(part for part in (row.subject, row.brand) if part)
                if name:
                    names[row.nm_id] = name
        return names

    async def add_many(self, rows: Sequence[NewNotification]) -> int:
        if not rows:
            return 0
        stmt = (
            insert(notifications)
            .on_conflict_do_nothing(index_elements=[n.event_id, n.user_id])
            .returning(n.id)
        )
        return len((await self._session.execute(stmt, [_values(r) for r in rows])).all())

    async def count_recent(self, user_id: int, type: str, since: datetime) -> int:
        stmt = sa.select(sa.func.count()).where(
            n.user_id == user_id,
            n.type == type,
            n.status.in_(_INDIVIDUAL),
            ~n.is_summary,
            ~n.is_test,
            n.resend_of.is_(None),
            n.created_at >= since,
        )
        return int((await self._session.execute(stmt)).scalar_one())

    async def open_group(self, user_id: int, type: str, new_id: UUID, now: datetime, due: datetime) -> UUID:
        find = (
            sa.select(n.id)
            .where(
                n.user_id == user_id,
                n.type == type,
                n.is_summary,
                n.status == DeliveryStatus.PENDING.value,
                n.attempts == 0,
            )
            .with_for_update()
        )
        for _ in range(3):
            found = (await self._session.execute(find)).scalar_one_or_none()
            if found is not None:
                return found
            telegram_id = sa.select(users.c.telegram_id).where(users.c.id == user_id).scalar_subquery()
            stmt = (
                insert(notifications)
                .values(
                    id=new_id,
                    user_id=user_id,
                    telegram_id=telegram_id,
                    type=type,
                    data={},
                    status=DeliveryStatus.PENDING.value,
                    is_summary=True,
                    next_attempt_at=due,
                    created_at=now,
                )
                .on_conflict_do_nothing()
                .returning(n.id)
            )
            created = (await self._session.execute(stmt)).scalar_one_or_none()
            if created is not None:
                return created
        raise RuntimeError(f"no open summary of {type} for user {user_id} after three tries")

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> Sequence[Notification]:
        due = (
            sa.select(n.id)
            .where(n.status == DeliveryStatus.PENDING.value, n.next_attempt_at <= now)
            .order_by(n.next_attempt_at, n.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")
        )
        stmt = (
            sa.update(notifications)
            .where(n.id == due.c.id)
            .values(attempts=n.attempts + 1, next_attempt_at=lease_until)
            .returning(notifications)
        )
        rows = [_notification(row) for row in await self._session.execute(stmt)]
        return sorted(rows, key=lambda r: (r.created_at, str(r.id)))

    async def group_items(self, summary_id: UUID) -> Sequence[Notification]:
        stmt = (
            sa.select(notifications)
            .where(n.group_id == summary_id)
            .order_by(sa.func.coalesce(n.occurred_at, n.created_at), n.id)
        )
        return [_notification(row) for row in await self._session.execute(stmt)]

    async def set_data(self, notification_id: UUID, data: Mapping[str, Any]) -> None:
        await self._session.execute(
            sa.update(notifications).where(n.id == notification_id).values(data=dict(data))
        )

    async def record_attempts(self, attempts: Sequence[DeliveryAttempt]) -> None:
        if not attempts:
            return
        rows = [
            {
                "notification_id": a.notification_id,
                "attempted_at": a.attempted_at,
                "http_status": a.http_status,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ]
        await self._session.execute(sa.insert(delivery_attempts), rows)

    async def mark_sent(self, ids: Sequence[UUID], at: datetime) -> None:
        if not ids:
            return
        await self._session.execute(
            sa.update(notifications)
            .where(n.id.in_(list(ids)))
            .values(status=DeliveryStatus.SENT.value, sent_at=at, next_attempt_at=None, last_error=None)
        )

    async def retry_at(self, notification_id: UUID, at: datetime, error: str) -> None:
        await self._session.execute(
            sa.update(notifications)
            .where(n.id == notification_id)
            .values(status=DeliveryStatus.PENDING.value, next_attempt_at=at, last_error=error)
        )

    async def dead_letter(self, notification_id: UUID, error: str) -> None:
        await self._session.execute(
            sa.update(notifications)
            .where(n.id == notification_id)
            .values(status=DeliveryStatus.FAILED.value, next_attempt_at=None, last_error=error)
        )

    async def get(self, notification_id: UUID) -> Notification | None:
        row = (await self._session.execute(sa.select(notifications).where(n.id == notification_id))).first()
        return None if row is None else _notification(row)

    async def history(
        self, user_id: int, status: DeliveryStatus | None, type: str | None, limit: int, offset: int
    ) -> HistoryPage:
        where = [n.user_id == user_id]
        if status is not None:
            where.append(n.status == status.value)
        if type is not None:
            where.append(n.type == type)
        total = int((await self._session.execute(sa.select(sa.func.count()).where(*where))).scalar_one())
        stmt = (
            sa.select(notifications)
            .where(*where)
            .order_by(n.created_at.desc(), n.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return HistoryPage([_notification(row) for row in await self._session.execute(stmt)], total)

    async def attempts_for(self, notification_ids: Sequence[UUID]) -> Sequence[DeliveryAttempt]:
        if not notification_ids:
            return []
        a = delivery_attempts.c
        stmt = (
            sa.select(delivery_attempts)
            .where(a.notification_id.in_(list(notification_ids)))
            .order_by(a.attempted_at, a.id)
        )
        return [
            DeliveryAttempt(
                row.notification_id, utc(row.attempted_at), row.http_status, row.duration_ms, row.error
            )
            for row in await self._session.execute(stmt)
        ]
