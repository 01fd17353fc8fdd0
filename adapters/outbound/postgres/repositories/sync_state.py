"""Source states (where each sync source of a cabinet stands; table `sync_cursors`) and the event outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import utc, utc_or_none
from adapters.outbound.postgres.tables import events, sync_cursors
from application.ports.notifications import StoredEvent
from application.ports.sync import SourceState
from domain.events import DomainEvent, EventType

_STATE_FIELDS = (
    "cursor",
    "last_success_at",
    "last_error",
    "last_error_at",
    "rows_taken",
    "backoff_until",
    "continues_at",
)


def state_from_row(row: sa.Row[Any]) -> SourceState:
    return SourceState(
        cabinet_id=row.cabinet_id,
        source=row.source,
        position=row.cursor,
        last_success_at=utc_or_none(row.last_success_at),
        last_error=row.last_error,
        last_error_at=utc_or_none(row.last_error_at),
        rows_taken=row.rows_taken,
        backoff_until=utc_or_none(row.backoff_until),
        continues_at=utc_or_none(row.continues_at),
    )


def _state_values(c: SourceState) -> dict[str, Any]:
    return {
        "cursor": None if c.position is None else dict(c.position),
        "last_success_at": c.last_success_at,
        "last_error": c.last_error,
        "last_error_at": c.last_error_at,
        "rows_taken": c.rows_taken,
        "backoff_until": c.backoff_until,
        "continues_at": c.continues_at,
    }


class PostgresSourceStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, cabinet_id: UUID, source: str) -> SourceState | None:
        where = (sync_cursors.c.cabinet_id == cabinet_id, sync_cursors.c.source == source)
        row = (await self._session.execute(sa.select(sync_cursors).where(*where))).first()
        return None if row is None else state_from_row(row)

    async def save(self, state: SourceState) -> None:
        await self.save_many([state])

    async def save_many(self, states: Sequence[SourceState]) -> None:
        if not states:
            return
        rows = [{"cabinet_id": s.cabinet_id, "source": s.source, **_state_values(s)} for s in states]
        stmt = insert(sync_cursors).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=[sync_cursors.c.cabinet_id, sync_cursors.c.source],
            set_={**{name: stmt.excluded[name] for name in _STATE_FIELDS}, "updated_at": sa.func.now()},
        )
        await self._session.execute(stmt)

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[SourceState]:
        stmt = sa.select(sync_cursors).where(sync_cursors.c.cabinet_id == cabinet_id)
        return [
            state_from_row(row) for row in await self._session.execute(stmt.order_by(sync_cursors.c.source))
        ]


def _event_values(event: DomainEvent, event_id: UUID, at: datetime) -> dict[str, Any]:
    return {
        "id": event_id,
        "cabinet_id": event.cabinet_id,
        "type": event.type.value,
        "subject": event.subject,
        "dedupe_key": event.dedupe_key,
        "payload": dict(event.payload),
        "occurred_at": event.occurred_at,
        "created_at": at,
    }


class PostgresEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_many(
        self, items: Sequence[DomainEvent], ids: Sequence[UUID], at: datetime
    ) -> Sequence[StoredEvent]:
        if len(items) != len(ids):
            raise ValueError("one id per event")
        if not items:
            return []
        # One row per key: ON CONFLICT cannot touch a row twice in one statement, and the first one wins.
        unique: dict[str, tuple[DomainEvent, UUID]] = {}
        for event, event_id in zip(items, ids, strict=True):
            unique.setdefault(event.dedupe_key, (event, event_id))
        stmt = (
            insert(events).on_conflict_do_nothing(index_elements=[events.c.dedupe_key]).returning(events.c.id)
        )
        rows = [_event_values(e, i, at) for e, i in unique.values()]
        new = {row.id for row in await self._session.execute(stmt, rows)}
        return [StoredEvent(i, e, at) for e, i in unique.values() if i in new]

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[StoredEvent]:
        stmt = (
            sa.select(events)
            .where(events.c.cabinet_id == cabinet_id)
            .order_by(events.c.occurred_at, events.c.dedupe_key)
        )
        return [_stored_event(row) for row in await self._session.execute(stmt)]


def _stored_event(row: sa.Row[Any]) -> StoredEvent:
    event = DomainEvent(
        type=EventType(row.type),
        cabinet_id=row.cabinet_id,
        subject=row.subject,
        occurred_at=utc(row.occurred_at),
        payload=row.payload,
    )
    return StoredEvent(row.id, event, utc(row.created_at))
