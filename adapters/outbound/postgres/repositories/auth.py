"""Login codes and refresh tokens (hashes only)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import (
    FOREIGN_KEY_VIOLATION,
    sqlstate,
    utc,
    utc_or_none,
)
from adapters.outbound.postgres.tables import login_codes, refresh_tokens
from domain.auth import LoginCode, RefreshToken
from domain.errors import Conflict, NotFound


async def _insert(session: AsyncSession, stmt: sa.Insert, what: str, user_id: int) -> None:
    try:
        async with session.begin_nested():  # a refused row must not abort the unit
            await session.execute(stmt)
    except IntegrityError as exc:
        if sqlstate(exc) == FOREIGN_KEY_VIOLATION:
            raise NotFound("user", user_id) from exc
        raise Conflict(f"this {what} exists already") from exc


class PostgresLoginCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, code: LoginCode) -> None:
        values = {"code_hash": code.code_hash, "user_id": code.user_id, "expires_at": code.expires_at}
        await _insert(self._session, sa.insert(login_codes).values(values), "login code", code.user_id)

    async def consume(self, code_hash: str, now: datetime) -> int | None:
        # One statement: of two racing consumers, the second finds used_at set (row lock, then re-check).
        stmt = (
            sa.update(login_codes)
            .where(
                login_codes.c.code_hash == code_hash,
                login_codes.c.used_at.is_(None),
                login_codes.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(login_codes.c.user_id)
        )
        user_id = (await self._session.execute(stmt)).scalar_one_or_none()
        return None if user_id is None else int(user_id)


def refresh_token_from_row(row: sa.Row) -> RefreshToken:
    return RefreshToken(
        id=row.id,
        family_id=row.family_id,
        user_id=row.user_id,
        token_hash=row.token_hash,
        created_at=utc(row.created_at),
        expires_at=utc(row.expires_at),
        used_at=utc_or_none(row.used_at),
        revoked_at=utc_or_none(row.revoked_at),
    )


class PostgresRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        values = {
            "id": token.id,
            "family_id": token.family_id,
            "user_id": token.user_id,
            "token_hash": token.token_hash,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "used_at": token.used_at,
            "revoked_at": token.revoked_at,
        }
        stmt = sa.insert(refresh_tokens).values(values)
        await _insert(self._session, stmt, "refresh token", token.user_id)

    async def get_by_hash(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        stmt = sa.select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).first()
        return None if row is None else refresh_token_from_row(row)

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        stmt = (
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used_at.is_(None))
            .values(used_at=at)
            .returning(refresh_tokens.c.id)
        )
        if (await self._session.execute(stmt)).first() is not None:
            return
        exists = sa.select(refresh_tokens.c.id).where(refresh_tokens.c.id == token_id)
        if (await self._session.execute(exists)).first() is None:
            raise NotFound("refresh token", token_id)
        raise Conflict("the refresh token was used meanwhile")

    async def revoke_family(self, family_id: UUID, at: datetime) -> int:
        stmt = (
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(refresh_tokens.c.id)
        )
        return len((await self._session.execute(stmt)).all())
