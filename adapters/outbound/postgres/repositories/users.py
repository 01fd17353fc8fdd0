"""Users by id and by Telegram id."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import utc
from adapters.outbound.postgres.tables import users
from domain.errors import Conflict, NotFound
from domain.identity import User


def user_from_row(row: sa.Row) -> User:
    return User(
        id=row.id,
        telegram_id=row.telegram_id,
        username=row.username,
        first_name=row.first_name,
        last_name=row.last_name,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def _names(user: User) -> dict[str, str | None]:
    return {"username": user.username, "first_name": user.first_name, "last_name": user.last_name}


class PostgresUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> User:
        values: dict[str, object] = {"telegram_id": user.telegram_id, **_names(user)}
        if user.created_at is not None:
            values["created_at"] = user.created_at
        values["updated_at"] = user.updated_at or user.created_at or sa.func.now()
        stmt = insert(users).values(values).on_conflict_do_nothing()
        returned = (users.c.id, users.c.created_at, users.c.updated_at)
        row = (await self._session.execute(stmt.returning(*returned))).first()
        if row is None:
            raise Conflict(f"a user with telegram_id {user.telegram_id} already exists")
        user.id, user.created_at, user.updated_at = row.id, utc(row.created_at), utc(row.updated_at)
        return user

    async def get(self, user_id: int) -> User | None:
        return await self._one(users.c.id == user_id)

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return await self._one(users.c.telegram_id == telegram_id)

    async def update(self, user: User) -> None:
        values: dict[str, object] = dict(_names(user))
        if user.updated_at is not None:
            values["updated_at"] = user.updated_at
        stmt = sa.update(users).where(users.c.id == user.id).values(values).returning(users.c.id)
        if user.id is None or (await self._session.execute(stmt)).first() is None:
            raise NotFound("user", user.id)

    async def _one(self, condition: sa.ColumnElement[bool]) -> User | None:
        row = (await self._session.execute(sa.select(users).where(condition))).first()
        return None if row is None else user_from_row(row)
