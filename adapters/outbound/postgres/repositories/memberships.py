"""Who belongs to which cabinet."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.cabinet_facts import mark_changed
from adapters.outbound.postgres.repositories._common import (
    FOREIGN_KEY_VIOLATION,
    constraint_name,
    sqlstate,
    utc,
)
from adapters.outbound.postgres.tables import memberships
from domain.errors import Conflict, NotFound
from domain.identity import Membership, Role

_KEY = (memberships.c.user_id, memberships.c.cabinet_id)
_USER_FK = "fk_memberships_user_id_users"


def membership_from_row(row: sa.Row) -> Membership:
    return Membership(
        user_id=row.user_id, cabinet_id=row.cabinet_id, role=Role(row.role), joined_at=utc(row.joined_at)
    )


class PostgresMembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, membership: Membership) -> None:
        values = {
            "user_id": membership.user_id,
            "cabinet_id": membership.cabinet_id,
            "role": membership.role.value,
            "joined_at": membership.joined_at,
        }
        stmt = insert(memberships).values(values).on_conflict_do_nothing().returning(*_KEY)
        try:
            async with self._session.begin_nested():  # a missing user/cabinet must not abort the unit
                row = (await self._session.execute(stmt)).first()
        except IntegrityError as exc:
            if sqlstate(exc) != FOREIGN_KEY_VIOLATION:
                raise
            if constraint_name(exc) == _USER_FK:
                raise NotFound("user", membership.user_id) from None
            raise NotFound("cabinet", membership.cabinet_id) from None
        if row is None:
            raise Conflict(f"user {membership.user_id} is already in cabinet {membership.cabinet_id}")
        mark_changed(self._session.info, membership.cabinet_id)

    async def get(self, user_id: int, cabinet_id: UUID) -> Membership | None:
        stmt = sa.select(memberships).where(*self._key(user_id, cabinet_id))
        row = (await self._session.execute(stmt)).first()
        return None if row is None else membership_from_row(row)

    @staticmethod
    def _key(user_id: int, cabinet_id: UUID) -> tuple[sa.ColumnElement[bool], ...]:
        return (memberships.c.user_id == user_id, memberships.c.cabinet_id == cabinet_id)

    async def remove(self, user_id: int, cabinet_id: UUID) -> bool:
        stmt = sa.delete(memberships).where(*self._key(user_id, cabinet_id)).returning(*_KEY)
        mark_changed(self._session.info, cabinet_id)
        return (await self._session.execute(stmt)).first() is not None

    async def list_for_user(self, user_id: int) -> Sequence[Membership]:
        order = (memberships.c.joined_at, memberships.c.cabinet_id)
        return await self._many(memberships.c.user_id == user_id, order)

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[Membership]:
        order = (memberships.c.joined_at, memberships.c.user_id)
        return await self._many(memberships.c.cabinet_id == cabinet_id, order)

    async def _many(
        self, condition: sa.ColumnElement[bool], order: tuple[sa.ColumnElement[Any], ...]
    ) -> list[Membership]:
        stmt = sa.select(memberships).where(condition).order_by(*order)
        return [membership_from_row(row) for row in await self._session.execute(stmt)]
