"""Small helpers shared by the repositories."""

from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"


def utc(value: datetime) -> datetime:
    """timestamptz values as UTC-aware datetimes, whatever the session time zone was."""
    return value.astimezone(UTC)


def utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def sqlstate(exc: IntegrityError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


async def count_rows(session: AsyncSession, table: sa.Table, cabinet_id: UUID) -> int:
    """How many rows of `table` belong to the cabinet."""
    stmt = sa.select(sa.func.count()).select_from(table).where(table.c.cabinet_id == cabinet_id)
    return int((await session.execute(stmt)).scalar_one())
