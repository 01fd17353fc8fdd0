"""Order rollups in Postgres: touched days recomputed in the writer's transaction, under a per-day lock."""

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.cabinet_facts import mark_changed
from adapters.outbound.postgres.repositories import rollup_sql as q
from adapters.outbound.postgres.tables import (
    cabinets,
    order_rollup_days,
    order_rollup_hours,
    order_rollup_sku_days,
)
from application.ports.rollups import DayRollup, Delivery, HourRollup, SkuDayRollup, StatusCounts

_D, _H, _S = order_rollup_days.c, order_rollup_hours.c, order_rollup_sku_days.c
_STATUSES = ("new", "confirm", "complete", "cancel", "cancel_carrier", "unknown")


class PostgresRollupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._days: dict[UUID, set[date]] = {}
        self._srids: dict[UUID, set[str]] = {}

    def touch(self, cabinet_id: UUID, days: Iterable[date] = (), srids: Iterable[str] = ()) -> None:
        self._days.setdefault(cabinet_id, set()).update(days)
        self._srids.setdefault(cabinet_id, set()).update(srids)

    async def refresh_touched(self) -> int:
        marked, srids = self._days, self._srids
        self._days, self._srids = {}, {}
        refreshed = 0
        for cabinet_id in sorted(marked.keys() | srids.keys()):
            days = set(marked.get(cabinet_id, ())) | await self._srid_days(cabinet_id, srids.get(cabinet_id))
            await self.refresh_days(cabinet_id, days)
            refreshed += len(days)
        return refreshed

    async def _srid_days(self, cabinet_id: UUID, srids: set[str] | None) -> set[date]:
        if not srids:
            return set()
        params = {"cabinet_id": cabinet_id, "srids": list(srids)}
        return set((await self._session.execute(sa.text(q.SRID_DAYS), params)).scalars())

    async def refresh_days(self, cabinet_id: UUID, days: Collection[date]) -> None:
        if not days:
            return
        params = q.refresh_params(cabinet_id, sorted(days))
        # The planner cannot see a day's bounds, so it costs the statement high enough for JIT, whose
        # compilation (~1 s) dwarfs the work (~10 ms a day): off for the rest of this short transaction.
        await self._session.execute(sa.text("SET LOCAL jit = off"))
        await self._session.execute(sa.text(q.LOCK_DAYS), params)
        await self._session.execute(sa.text(q.DELETE_DAYS), params)
        await self._session.execute(sa.text(q.REFRESH), params)
        await self.bump_version(cabinet_id)  # after the day locks: a waiter never holds the cabinet row

    async def rebuild(self, cabinet_id: UUID) -> int:
        params = q.refresh_params(cabinet_id, [])
        days = set((await self._session.execute(sa.text(q.ALL_DAYS), params)).scalars())
        await self.refresh_days(cabinet_id, days)
        stmt = sa.select(sa.func.count(sa.distinct(_D.day))).where(_D.cabinet_id == cabinet_id)
        return int((await self._session.execute(stmt)).scalar_one())

    async def bump_version(self, cabinet_id: UUID) -> None:
        stmt = (
            sa.update(cabinets)
            .where(cabinets.c.id == cabinet_id)
            .values(data_version=cabinets.c.data_version + 1)
        )
        await self._session.execute(stmt)
        mark_changed(self._session.info, cabinet_id)

    async def version(self, cabinet_id: UUID) -> int:
        stmt = sa.select(cabinets.c.data_version).where(cabinets.c.id == cabinet_id)
        return int((await self._session.execute(stmt)).scalar() or 0)

    async def days(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[DayRollup]:
        sums = [sa.func.sum(getattr(_D, c)).label(c) for c in q.DAY_COLUMNS]
        stmt = (
            sa.select(_D.day, *sums)
            .where(*_scope(_D, cabinet_id, from_day, to_day, deliveries))
            .group_by(_D.day)
            .order_by(_D.day)
        )
        return [_day(row) for row in await self._session.execute(stmt)]

    async def hours(
        self, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
    ) -> Sequence[HourRollup]:
        stmt = (
            sa.select(_H.day, _H.hour, sa.func.sum(_H.orders).label("orders"))
            .where(*_scope(_H, cabinet_id, from_day, to_day, deliveries))
            .group_by(_H.day, _H.hour)
            .order_by(_H.day, _H.hour)
        )
        return [HourRollup(r.day, r.hour, int(r.orders)) for r in await self._session.execute(stmt)]

    async def sku_days(
        self,
        cabinet_id: UUID,
        from_day: date,
        to_day: date,
        deliveries: Collection[Delivery],
        nm_ids: Collection[int] | None = None,
    ) -> Sequence[SkuDayRollup]:
        where = _scope(_S, cabinet_id, from_day, to_day, deliveries)
        if nm_ids is not None:
            where.append(_S.nm_id.in_(list(nm_ids)))
        stmt = (
            sa.select(
                _S.day,
                _S.nm_id,
                sa.func.sum(_S.orders).label("orders"),
                sa.func.sum(_S.cancelled).label("cancelled"),
                sa.func.sum(_S.revenue).label("revenue"),
            )
            .where(*where)
            .group_by(_S.day, _S.nm_id)
            .order_by(_S.day, _S.nm_id)
        )
        return [
            SkuDayRollup(r.day, r.nm_id, int(r.orders), int(r.cancelled), r.revenue)
            for r in await self._session.execute(stmt)
        ]

    async def first_day(self, cabinet_id: UUID, deliveries: Collection[Delivery]) -> date | None:
        stmt = sa.select(sa.func.min(_D.day)).where(
            _D.cabinet_id == cabinet_id, _D.delivery.in_(list(deliveries))
        )
        first: date | None = (await self._session.execute(stmt)).scalar_one()
        return first


def _scope(
    c: Any, cabinet_id: UUID, from_day: date, to_day: date, deliveries: Collection[Delivery]
) -> list[Any]:
    return [
        c.cabinet_id == cabinet_id,
        c.day.between(from_day, to_day),
        c.delivery.in_(list(deliveries)),
    ]


def _day(row: sa.Row[Any]) -> DayRollup:
    counts = StatusCounts(*(int(getattr(row, f"status_{s}")) for s in _STATUSES))
    return DayRollup(
        row.day, int(row.orders), int(row.cancelled), int(row.b2b), row.revenue, int(row.returns), counts
    )
