"""The bulk upsert: one `INSERT … ON CONFLICT … DO UPDATE … WHERE (…) IS DISTINCT FROM (…)` per batch.

A small batch (the steady state: a page of a few rows) goes as one multi-row `INSERT … VALUES`, one round
trip; a big one (a backfill page) is COPied into a per-transaction TEMP staging table first and inserted
from there. Staging small batches would cost three more round trips and a temp table's catalog rows each
time (their churn bloats pg_attribute). A row whose compared columns are unchanged is not written at all
(no new tuple, no WAL), so a sync that brings nothing new writes nothing. Names in the SQL come from the
table metadata, never from input; values are always bound parameters.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from psycopg import AsyncRawCursor
from sqlalchemy.ext.asyncio import AsyncSession

Values = tuple[Any, ...]
# Batches with at most this many bound values go as INSERT … VALUES (a steady-state page of a few rows);
# bigger ones (backfill pages) are faster through COPY: measured with bench/sync.py (decision 0006).
VALUES_MAX_PARAMS = 4_000


@attrs.frozen
class UpsertSpec:
    """How one table is upserted: `key` is the conflict target; `compare` the columns whose change is a
    change; `stamp` columns are written along with a change but never cause one."""

    table: sa.Table
    key: tuple[str, ...]
    compare: tuple[str, ...]
    stamp: tuple[str, ...] = ()
    # Columns where an incoming NULL means "not sent this time": the stored value stays.
    keep_when_null: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.key + self.compare + self.stamp

    @property
    def stage(self) -> str:
        return f"stage_{self.table.name}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tuple(prefix: str, names: Sequence[str]) -> str:
    return "(" + ", ".join(f"{prefix}.{_q(n)}" for n in names) + ")"


def dedupe(spec: UpsertSpec, rows: Iterable[Values]) -> list[Values]:
    """Last row per key wins: one INSERT … ON CONFLICT cannot touch the same row twice."""
    width = len(spec.key)
    return list({row[:width]: row for row in rows}.values())


async def _relax_commit(session: AsyncSession) -> None:
    # A bulk page's transaction holds its rows AND its cursor, and re-syncing is idempotent: if a Postgres
    # crash loses the last few commits, both are lost together and the next run fetches them again. So the
    # commit need not wait for the WAL flush (scoped to this transaction only; said once per transaction).
    transaction = session.get_transaction()
    if transaction is not None and session.info.get("relaxed_commit") is transaction:
        return
    await session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
    session.info["relaxed_commit"] = session.get_transaction()


async def load_stage(session: AsyncSession, spec: UpsertSpec, rows: Sequence[Values]) -> str:
    """(Re)fill this transaction's staging table for `spec` with `rows` by COPY; returns its name."""
    stage, target = _q(spec.stage), _q(spec.table.name)
    await _relax_commit(session)
    await session.execute(
        sa.text(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {target} INCLUDING DEFAULTS) ON COMMIT DROP"),
    )
    await session.execute(sa.text(f"DELETE FROM {stage}"))  # noqa: S608 - cheaper than TRUNCATE here
    connection = await (await session.connection()).get_raw_connection()
    raw: Any = connection.driver_connection
    columns = ", ".join(_q(c) for c in spec.columns)
    async with raw.cursor() as cursor, cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
        for row in rows:
            await copy.write_row(row)
    return spec.stage


def _incoming(spec: UpsertSpec, column: str) -> str:
    if column in spec.keep_when_null:
        return f"COALESCE(excluded.{_q(column)}, t.{_q(column)})"
    return f"excluded.{_q(column)}"


@functools.lru_cache(maxsize=512)
def upsert_sql(spec: UpsertSpec, returning: str, values_rows: int = 0) -> str:
    """INSERT from the staging table, or from `values_rows` rows of `$n` parameters when that is > 0;
    writes only new rows and rows whose compared columns changed."""
    target = _q(spec.table.name)
    columns = ", ".join(_q(c) for c in spec.columns)
    if values_rows:
        width = len(spec.columns)
        rows = (
            "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(values_rows)
        )
        rows_sql = "VALUES " + ", ".join(rows)
    else:
        source = ", ".join(f"st.{_q(c)}" for c in spec.columns)
        rows_sql = f"SELECT {source} FROM {_q(spec.stage)} AS st"  # noqa: S608
    incoming = {c: _incoming(spec, c) for c in spec.compare + spec.stamp}
    sets = [f"{_q(c)} = {value}" for c, value in incoming.items()]
    changed = ", ".join(incoming[c] for c in spec.compare)
    if "synced_at" in spec.table.c and "synced_at" not in spec.columns:
        sets.append('"synced_at" = now()')
    return (
        f"INSERT INTO {target} AS t ({columns}) {rows_sql} "
        f"ON CONFLICT ({', '.join(_q(k) for k in spec.key)}) DO UPDATE SET {', '.join(sets)} "
        f"WHERE {_tuple('t', spec.compare)} IS DISTINCT FROM ({changed}) "
        f"RETURNING {returning}"
    )


@attrs.frozen
class UpsertResult:
    written: int  # rows inserted or actually changed
    new_keys: list[Any]  # the last key column of the inserted rows


async def bulk_upsert(session: AsyncSession, spec: UpsertSpec, rows: Iterable[Values]) -> UpsertResult:
    """Upsert `rows` (tuples in `spec.columns` order). The counting happens in Postgres: only the count and
    the new keys come back, not a row per written row."""
    unique = dedupe(spec, rows)
    if not unique:
        return UpsertResult(0, [])
    returning = f"t.{_q(spec.key[-1])} AS key, (t.xmax = 0) AS inserted"
    counted = "SELECT count(*) AS written, array_agg(key) FILTER (WHERE inserted) AS new FROM w"
    if len(unique) * len(spec.columns) > VALUES_MAX_PARAMS:
        await load_stage(session, spec, unique)
        sql = f"WITH w AS ({upsert_sql(spec, returning)}) {counted}"
        row = (await session.execute(sa.text(sql))).one()
        return UpsertResult(row.written, list(row.new or []))
    # No `synchronous_commit` round trip for a small batch: it mostly writes nothing (a commit with nothing
    # to flush is free) or a few rows, whose flush costs the page a little latency, not CPU.
    sql = f"WITH w AS ({upsert_sql(spec, returning, len(unique))}) {counted}"
    raw: Any = (await (await session.connection()).get_raw_connection()).driver_connection
    # A raw cursor: `$n` placeholders go to the server as they are; psycopg's own `%s` parsing of a
    # statement this long would cost more CPU than the whole round trip.
    async with AsyncRawCursor(raw) as cursor:
        await cursor.execute(sql, [value for row in unique for value in row])
        counts: Any = await cursor.fetchone()
    written, new = counts
    return UpsertResult(written, list(new or []))
