"""Cabinets and their encrypted WB key; the key is read only through `get_encrypted_key`."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import UNIQUE_VIOLATION, sqlstate, utc
from adapters.outbound.postgres.tables import cabinets
from domain.errors import Conflict, NotFound
from domain.identity import Cabinet, CabinetStatus, SourceBlock
from domain.wb_token import categories_from_mask, mask_from_categories

# Every column but the ciphertext: entities never carry the key.
_ENTITY_COLUMNS = [c for c in cabinets.c if c.name != "encrypted_key"]


def cabinet_from_row(row: sa.Row) -> Cabinet:
    return Cabinet(
        id=row.id,
        name=row.name,
        key_fingerprint=row.key_fingerprint,
        seller_id=row.seller_id,
        token_expires_at=utc(row.token_expires_at),
        categories=categories_from_mask(row.categories),
        read_only=row.read_only,
        created_at=utc(row.created_at),
        status=CabinetStatus(row.status),
        invalid_reason=row.invalid_reason,
        invalidations=row.invalidations,
        blocked_sources=_blocks_from_json(row.blocked_sources),
    )


def _blocks_from_json(raw: Mapping[str, Any] | None) -> dict[str, SourceBlock]:
    return {
        source: SourceBlock(
            b["reason"], utc(datetime.fromisoformat(b["since"])), utc(datetime.fromisoformat(b["retry_at"]))
        )
        for source, b in (raw or {}).items()
    }


def _blocks_to_json(blocks: Mapping[str, SourceBlock]) -> dict[str, Any]:
    return {
        source: {"reason": b.reason, "since": b.since.isoformat(), "retry_at": b.retry_at.isoformat()}
        for source, b in blocks.items()
    }


def _mutable_values(cabinet: Cabinet) -> dict[str, Any]:
    return {
        "name": cabinet.name,
        "key_fingerprint": cabinet.key_fingerprint,
        "token_expires_at": cabinet.token_expires_at,
        "categories": mask_from_categories(cabinet.categories),
        "read_only": cabinet.read_only,
        "status": cabinet.status.value,
        "invalid_reason": cabinet.invalid_reason,
        "invalidations": cabinet.invalidations,
        "blocked_sources": _blocks_to_json(cabinet.blocked_sources),
    }


class PostgresCabinetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, cabinet: Cabinet, encrypted_key: bytes) -> None:
        values = {
            "id": cabinet.id,
            "seller_id": cabinet.seller_id,
            "created_at": cabinet.created_at,
            "encrypted_key": encrypted_key,
            **_mutable_values(cabinet),
        }
        stmt = insert(cabinets).values(values).on_conflict_do_nothing().returning(cabinets.c.id)
        if (await self._session.execute(stmt)).first() is None:
            raise Conflict("a cabinet of this seller (or with this key or id) already exists")

    async def get(self, cabinet_id: UUID) -> Cabinet | None:
        return await self._one(cabinets.c.id == cabinet_id)

    async def get_by_seller_id(self, seller_id: str) -> Cabinet | None:
        return await self._one(cabinets.c.seller_id == seller_id)

    async def get_encrypted_key(self, cabinet_id: UUID) -> bytes | None:
        stmt = sa.select(cabinets.c.encrypted_key).where(cabinets.c.id == cabinet_id)
        value = (await self._session.execute(stmt)).scalar()
        return None if value is None else bytes(value)

    async def update(self, cabinet: Cabinet) -> None:
        await self._update(cabinet.id, _mutable_values(cabinet))

    async def replace_key(self, cabinet_id: UUID, encrypted_key: bytes) -> None:
        await self._update(cabinet_id, {"encrypted_key": encrypted_key})

    async def list_active(self) -> Sequence[Cabinet]:
        return await self._many(cabinets.c.status == CabinetStatus.ACTIVE.value)

    async def list_all(self) -> Sequence[Cabinet]:
        return await self._many(sa.true())

    async def schedule_deletion(self, cabinet_id: UUID, at: datetime) -> None:
        # An earlier mark stands: LEAST ignores NULL, so an unmarked cabinet takes `at`.
        await self._update(cabinet_id, {"delete_after": sa.func.least(cabinets.c.delete_after, at)})

    async def cancel_deletion(self, cabinet_id: UUID) -> None:
        stmt = sa.update(cabinets).where(cabinets.c.id == cabinet_id).values(delete_after=None)
        await self._session.execute(stmt)

    async def deletion_scheduled_at(self, cabinet_id: UUID) -> datetime | None:
        stmt = sa.select(cabinets.c.delete_after).where(cabinets.c.id == cabinet_id)
        value = (await self._session.execute(stmt)).scalar()
        return None if value is None else utc(value)

    async def list_due_for_deletion(self, now: datetime) -> Sequence[UUID]:
        stmt = (
            sa.select(cabinets.c.id)
            .where(cabinets.c.delete_after <= now)
            .order_by(cabinets.c.delete_after, cabinets.c.id)
        )
        return list((await self._session.execute(stmt)).scalars())

    async def delete_if_due(self, cabinet_id: UUID, now: datetime) -> bool:
        # The mark is re-read by the DELETE itself: a reconnect that cleared it first keeps the cabinet.
        due = sa.and_(cabinets.c.id == cabinet_id, cabinets.c.delete_after <= now)
        stmt = sa.delete(cabinets).where(due).returning(cabinets.c.id)
        return (await self._session.execute(stmt)).first() is not None

    async def _update(self, cabinet_id: UUID, values: dict[str, Any]) -> None:
        stmt = (
            sa.update(cabinets)
            .where(cabinets.c.id == cabinet_id)
            .values(**values, updated_at=sa.func.now())
            .returning(cabinets.c.id)
        )
        try:
            async with self._session.begin_nested():  # a failed UPDATE must not abort the whole unit
                row = (await self._session.execute(stmt)).first()
        except IntegrityError as exc:
            if sqlstate(exc) == UNIQUE_VIOLATION:
                raise Conflict("another cabinet already has this seller or API key") from None
            raise
        if row is None:
            raise NotFound("cabinet", cabinet_id)

    async def _one(self, condition: sa.ColumnElement[bool]) -> Cabinet | None:
        row = (await self._session.execute(sa.select(*_ENTITY_COLUMNS).where(condition))).first()
        return None if row is None else cabinet_from_row(row)

    async def _many(self, condition: sa.ColumnElement[bool]) -> list[Cabinet]:
        stmt = sa.select(*_ENTITY_COLUMNS).where(condition).order_by(cabinets.c.created_at, cabinets.c.id)
        return [cabinet_from_row(row) for row in await self._session.execute(stmt)]
