"""COGS versions in Postgres (`cogs_versions`), whose exclusion constraint refuses overlapping live windows.

A save is three set-based statements (arrays through `unnest`) whatever the number of versions. A
multi-row statement checks the constraint row by row, in an order SQL does not promise, so a version that
grows into another one's old window must not be written before that one has shrunk. Hence: (1) stored
versions that shrink or are deleted take their final state (each ends inside its old window: no new
overlap, in any order); (2) stored versions that grow or move are taken out of the constraint (marked
deleted); (3) every version is upserted in its final state (rows already final are not written again).
In (3) every row met is final or out of the constraint, and final states never overlap.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._common import utc, utc_or_none
from adapters.outbound.postgres.tables.finance import cogs_versions as t
from adapters.outbound.postgres.tables.sales import sales as s
from application.ports.cogs import UncostedSales
from domain.cogs import CogsHistory, CogsVersion
from domain.errors import Conflict
from domain.moscow_time import day_range_utc

_LOCK = sa.text("SELECT pg_advisory_xact_lock(hashtextextended('wbpulse:cogs:' || CAST(:c AS text), 0))")
_INCOMING = """unnest(
        CAST(:ids AS uuid[]), CAST(:cabinets AS uuid[]), CAST(:nm_ids AS bigint[]), CAST(:costs AS numeric[]),
        CAST(:currencies AS text[]), CAST(:froms AS date[]), CAST(:tos AS date[]),
        CAST(:created AS timestamptz[]), CAST(:deleted AS timestamptz[])
    ) AS n(id, cabinet_id, nm_id, unit_cost, currency, valid_from, valid_to, created_at, deleted_at)"""
_CONTAINED = "daterange(v.valid_from, v.valid_to, '[]') @> daterange(n.valid_from, n.valid_to, '[]')"
# 1. Stored versions that shrink or are deleted take their final state: safe in any order.
_SHRINK = sa.text(f"""
    UPDATE cogs_versions AS v SET unit_cost = n.unit_cost, currency = n.currency, valid_from = n.valid_from,
        valid_to = n.valid_to, deleted_at = n.deleted_at
    FROM {_INCOMING}
    WHERE v.id = n.id AND v.deleted_at IS NULL AND (n.deleted_at IS NOT NULL OR {_CONTAINED})
""")  # noqa: S608 - no input in the text
# 2. Stored versions that grow or move leave the constraint until step 3.
_TAKE_OUT = sa.text(f"""
    UPDATE cogs_versions AS v SET deleted_at = now() FROM {_INCOMING}
    WHERE v.id = n.id AND v.deleted_at IS NULL AND n.deleted_at IS NULL AND NOT {_CONTAINED}
""")  # noqa: S608
# 3. Every row's final state: new versions, growers; rows already final are not written again.
_UPSERT = sa.text(f"""
    INSERT INTO cogs_versions AS v
        (id, cabinet_id, nm_id, unit_cost, currency, valid_from, valid_to, created_at, deleted_at)
    SELECT * FROM {_INCOMING}
    ON CONFLICT (id) DO UPDATE SET
        unit_cost = excluded.unit_cost, currency = excluded.currency, valid_from = excluded.valid_from,
        valid_to = excluded.valid_to, deleted_at = excluded.deleted_at
    WHERE (v.unit_cost, v.currency, v.valid_from, v.valid_to, v.deleted_at)
        IS DISTINCT FROM (excluded.unit_cost, excluded.currency, excluded.valid_from, excluded.valid_to,
        excluded.deleted_at)
""")  # noqa: S608
_MOSCOW_DAY = sa.func.date(sa.func.timezone("Europe/Moscow", s.c.date))
_NM_IDS = sa.any_(sa.cast(sa.bindparam("n"), pg.ARRAY(sa.BigInteger)))
_IDS = sa.any_(sa.cast(sa.bindparam("ids"), pg.ARRAY(sa.Uuid)))


def _version(row: sa.Row[tuple[object, ...]]) -> CogsVersion:
    m = row._mapping
    return CogsVersion(
        id=m["id"], cabinet_id=m["cabinet_id"], nm_id=m["nm_id"], unit_cost=m["unit_cost"],
        valid_from=m["valid_from"], created_at=utc(m["created_at"]), valid_to=m["valid_to"],
        currency=m["currency"].strip(), deleted_at=utc_or_none(m["deleted_at"]),
    )  # fmt: skip


Window = tuple[date, date | None, object]  # valid_from, valid_to, deleted_at as read


def _window(v: CogsVersion) -> Window:
    return v.valid_from, v.valid_to, v.deleted_at


def _contains(stored: Window, v: CogsVersion) -> bool:
    end, new_end = stored[1], v.valid_to
    return stored[0] <= v.valid_from and (end is None or (new_end is not None and new_end <= end))


def _columns(versions: Sequence[CogsVersion]) -> dict[str, list[object]]:
    return {
        "ids": [v.id for v in versions], "cabinets": [v.cabinet_id for v in versions],
        "nm_ids": [v.nm_id for v in versions], "costs": [v.unit_cost for v in versions],
        "currencies": [v.currency for v in versions], "froms": [v.valid_from for v in versions],
        "tos": [v.valid_to for v in versions], "created": [v.created_at for v in versions],
        "deleted": [v.deleted_at for v in versions],
    }  # fmt: skip


class PostgresCogsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._seen: dict[UUID, Window] = {}  # what this unit read, by id: how `save` files each version

    async def histories_for_update(self, cabinet_id: UUID, nm_ids: Collection[int]) -> dict[int, CogsHistory]:
        await self._session.execute(_LOCK, {"c": str(cabinet_id)})
        return await self._histories(cabinet_id, nm_ids)

    async def history(self, cabinet_id: UUID, nm_id: int) -> CogsHistory:
        return (await self._histories(cabinet_id, [nm_id]))[nm_id]

    async def _histories(self, cabinet_id: UUID, nm_ids: Collection[int]) -> dict[int, CogsHistory]:
        wanted = sorted(set(nm_ids))
        stmt = sa.select(t).where(t.c.cabinet_id == cabinet_id, t.c.nm_id == _NM_IDS)
        rows = (await self._session.execute(stmt, {"n": wanted})).all()
        found: dict[int, list[CogsVersion]] = {nm: [] for nm in wanted}
        for row in rows:
            found[row.nm_id].append(_version(row))
        self._seen.update({v.id: _window(v) for versions in found.values() for v in versions})
        return {nm: CogsHistory(cabinet_id, nm, versions) for nm, versions in found.items()}

    async def find(self, cabinet_id: UUID, version_id: UUID) -> CogsVersion | None:
        stmt = sa.select(t).where(t.c.cabinet_id == cabinet_id, t.c.id == version_id)
        row = (await self._session.execute(stmt)).first()
        return None if row is None else _version(row)

    async def save(self, versions: Sequence[CogsVersion]) -> None:
        await self._read_windows([v.id for v in versions if v.id not in self._seen])
        shrink, grow, fresh = self._sorted(versions)
        try:
            async with self._session.begin_nested():
                for statement, rows in ((_SHRINK, shrink), (_TAKE_OUT, grow), (_UPSERT, grow + fresh)):
                    if rows:
                        await self._session.execute(statement, _columns(rows))
        except IntegrityError as exc:
            raise Conflict(f"COGS windows collide with a concurrent change: {exc.orig}") from None
        self._seen.update({v.id: _window(v) for v in versions})

    async def _read_windows(self, ids: list[UUID]) -> None:
        """The stored windows of versions this unit has not read (one query; none for new versions)."""
        if ids:
            stmt = sa.select(t.c.id, t.c.valid_from, t.c.valid_to, t.c.deleted_at).where(t.c.id == _IDS)
            rows = (await self._session.execute(stmt, {"ids": ids})).all()
            self._seen.update({r.id: (r.valid_from, r.valid_to, r.deleted_at) for r in rows})

    def _sorted(self, versions: Sequence[CogsVersion]) -> tuple[list[CogsVersion], ...]:
        """(shrinking or deleted, growing or moving, new or stored deleted) by the stored windows: each
        statement gets only its rows (the statements' own conditions would keep a misfiled row harmless)."""
        shrink, grow, fresh = [], [], []
        for v in versions:
            stored = self._seen.get(v.id)
            if stored is None or stored[2] is not None:
                fresh.append(v)
            elif v.deleted_at is not None or _contains(stored, v):
                shrink.append(v)
            else:
                grow.append(v)
        return shrink, grow, fresh

    async def versions_for(
        self, cabinet_id: UUID, nm_ids: Collection[int] | None, from_day: date, to_day: date
    ) -> Sequence[CogsVersion]:
        stmt = sa.select(t).where(
            t.c.cabinet_id == cabinet_id,
            t.c.deleted_at.is_(None),
            t.c.valid_from <= to_day,
            sa.or_(t.c.valid_to.is_(None), t.c.valid_to >= from_day),
        )
        params: dict[str, object] = {}
        if nm_ids is not None:
            stmt = stmt.where(t.c.nm_id == _NM_IDS)
            params["n"] = sorted(set(nm_ids))
        rows = (await self._session.execute(stmt.order_by(t.c.nm_id, t.c.valid_from), params)).all()
        return [_version(row) for row in rows]

    async def uncosted_sales(self, cabinet_id: UUID, from_day: date, to_day: date) -> Sequence[UncostedSales]:
        day, (start, end) = _MOSCOW_DAY, day_range_utc(from_day, to_day)
        covered = sa.exists().where(
            t.c.cabinet_id == s.c.cabinet_id,
            t.c.nm_id == s.c.nm_id,
            t.c.deleted_at.is_(None),
            t.c.valid_from <= day,
            sa.or_(t.c.valid_to.is_(None), t.c.valid_to >= day),
        )
        ordered = pg.aggregate_order_by(s.c.supplier_article, s.c.date.desc(), s.c.sale_id.desc())
        latest = sa.func.array_agg(ordered, type_=pg.ARRAY(sa.Text))
        revenue = sa.func.coalesce(sa.func.sum(s.c.price_with_disc), 0)
        stmt = (
            sa.select(
                s.c.nm_id, latest[1].label("sa_name"), sa.func.count().label("units"), revenue.label("rev")
            )
            .where(
                s.c.cabinet_id == cabinet_id,
                s.c.kind == "sale",
                s.c.nm_id.is_not(None),
                s.c.date >= start,
                s.c.date < end,
                ~covered,
            )
            .group_by(s.c.nm_id)
            .order_by(sa.desc("rev"), s.c.nm_id)
        )
        rows = (await self._session.execute(stmt)).all()
        return [UncostedSales(r.nm_id, r.sa_name, r.units, r.rev) for r in rows]

    async def sa_names(self, cabinet_id: UUID, nm_ids: Collection[int]) -> Mapping[int, str]:
        stmt = (
            sa.select(s.c.nm_id, s.c.supplier_article)
            .ext(pg.distinct_on(s.c.nm_id))
            .where(s.c.cabinet_id == cabinet_id, s.c.nm_id == _NM_IDS)
            .order_by(s.c.nm_id, s.c.date.desc(), s.c.sale_id.desc())
        )
        rows = (await self._session.execute(stmt, {"n": sorted(set(nm_ids))})).all()
        return {r.nm_id: r.supplier_article for r in rows if r.supplier_article is not None}
