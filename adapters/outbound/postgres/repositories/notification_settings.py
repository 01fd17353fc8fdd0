"""Each user's notification settings (table notification_settings, one row per user)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.tables import notification_settings as table
from domain.errors import NotFound
from domain.notifications import NotificationSettings

_FIELDS = (
    "notifications_enabled",
    "new_orders_enabled",
    "order_buyouts_enabled",
    "order_cancellations_enabled",
    "order_returns_enabled",
    "negative_reviews_enabled",
    "critical_stocks_enabled",
    "missing_cogs_enabled",
    "review_rating_threshold",
    "stock_analysis_days",
    "grouping_enabled",
    "max_group_size",
    "group_timeout",
)


def _values(settings: NotificationSettings) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(settings, name) for name in _FIELDS}
    values["excluded_stock_nm_ids"] = sorted(settings.excluded_stock_nm_ids)
    return values


def settings_from_row(row: sa.Row) -> NotificationSettings:
    fields = {name: getattr(row, name) for name in _FIELDS}
    return NotificationSettings(**fields, excluded_stock_nm_ids=frozenset(row.excluded_stock_nm_ids))


class PostgresNotificationSettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_missing(self, user_id: int, settings: NotificationSettings) -> bool:
        stmt = insert(table).values(user_id=user_id, **_values(settings)).on_conflict_do_nothing()
        try:
            async with self._session.begin_nested():
                result = await self._session.execute(stmt.returning(table.c.user_id))
                return result.first() is not None
        except IntegrityError as exc:  # the user_id foreign key
            raise NotFound("user", user_id) from exc

    async def get(self, user_id: int, for_update: bool = False) -> NotificationSettings | None:
        stmt = sa.select(table).where(table.c.user_id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._session.execute(stmt)).first()
        return None if row is None else settings_from_row(row)

    async def save(self, user_id: int, settings: NotificationSettings) -> None:
        values = _values(settings)
        stmt = insert(table).values(user_id=user_id, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.user_id], set_={**values, "updated_at": sa.func.now()}
        )
        try:
            async with self._session.begin_nested():
                await self._session.execute(stmt)
        except IntegrityError as exc:  # the user_id foreign key
            raise NotFound("user", user_id) from exc
