"""Upsert vs raw COPY: the same rows (one synced cabinet's orders, stat_orders and sales, repeated under
fresh cabinet ids) written (a) by a bare `COPY … FROM STDIN` and (b) by the repositories' `upsert_many`
through PostgresUnitOfWork, chunked as the sync chunks them. WB fetching is not part of either."""

import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import psycopg
import sqlalchemy as sa

from adapters.outbound.postgres.repositories import order_stats as stats_repo
from adapters.outbound.postgres.repositories import orders as orders_repo
from adapters.outbound.postgres.repositories._bulk import UpsertSpec
from adapters.outbound.wb.api import STREAM_CHUNK
from application.sync.run import SyncSettings
from domain.money import Money
from domain.sales import Sale
from domain.stat_orders import StatOrder

FBS_PAGE = SyncSettings().fbs_page_limit


@attrs.frozen
class Table:
    """One table of the comparison: how its rows are read, turned into COPY tuples and upserted."""

    name: str
    spec: UpsertSpec
    values: Callable[[Any], tuple[Any, ...]]
    repo: str  # the unit of work's attribute
    chunk: int


TABLES = (
    Table("orders", orders_repo.SPEC, orders_repo.order_values, "orders", FBS_PAGE),
    Table("stat_orders", stats_repo.STAT_SPEC, stats_repo.stat_order_values, "stat_orders", STREAM_CHUNK),
    Table("sales", stats_repo.SALE_SPEC, stats_repo.sale_values, "sales", STREAM_CHUNK),
)


@attrs.frozen
class Throughput:
    rows: int
    copy_s: float
    upsert_s: float

    @property
    def copy_rps(self) -> float:
        return self.rows / self.copy_s

    @property
    def upsert_rps(self) -> float:
        return self.rows / self.upsert_s

    @property
    def ratio(self) -> float:
        return self.upsert_rps / self.copy_rps


MONEY = frozenset({"total_price", "finished_price", "price_with_disc", "for_pay"})


def _domain(cls: type, row: sa.Row) -> Any:
    """A StatOrder / Sale from its stored row (column names equal field names; money is wrapped)."""
    m = row._mapping
    return cls(**{f.name: Money(m[f.name]) if f.name in MONEY else m[f.name] for f in attrs.fields(cls)})


async def _read(engine: Any, cabinet_id: uuid.UUID) -> dict[str, list[Any]]:
    builders = {
        "orders": orders_repo.order_from_row,
        "stat_orders": lambda r: _domain(StatOrder, r),
        "sales": lambda r: _domain(Sale, r),
    }
    queries = {
        "orders": orders_repo.orders_with_stats().where(orders_repo.orders.c.cabinet_id == sa.bindparam("c")),
        "stat_orders": sa.text("SELECT * FROM stat_orders WHERE cabinet_id = :c"),
        "sales": sa.text("SELECT * FROM sales WHERE cabinet_id = :c"),
    }
    out: dict[str, list[Any]] = {}
    async with engine.connect() as conn:
        for name, build in builders.items():
            out[name] = [build(r) for r in await conn.execute(queries[name], {"c": cabinet_id})]
    return out


async def _new_cabinet(engine: Any) -> uuid.UUID:
    cabinet_id = uuid.uuid4()
    sql = sa.text(
        "INSERT INTO cabinets (id, name, key_fingerprint, encrypted_key, seller_id, token_expires_at) "
        "VALUES (:id, 'bench', :fp, :key, :fp, :exp)"
    )
    expires = datetime.now(UTC) + timedelta(days=1)
    async with engine.begin() as conn:
        await conn.execute(sql, {"id": cabinet_id, "fp": f"bench-{cabinet_id}", "key": b"-", "exp": expires})
    return cabinet_id


def _rebind(rows: dict[str, list[Any]], cabinet_id: uuid.UUID) -> dict[str, list[Any]]:
    return {name: [attrs.evolve(r, cabinet_id=cabinet_id) for r in items] for name, items in rows.items()}


async def _raw_copy(db_url: str, data: dict[str, list[tuple[Any, ...]]]) -> float:
    """Seconds for a bare COPY of ready tuples into each table, one transaction."""
    async with await psycopg.AsyncConnection.connect(db_url) as conn:
        started = time.perf_counter()
        async with conn.cursor() as cur:
            for t in TABLES:
                columns = ", ".join(t.spec.columns)
                async with cur.copy(f"COPY {t.name} ({columns}) FROM STDIN") as copy:
                    for row in data[t.name]:
                        await copy.write_row(row)
        await conn.commit()
        return time.perf_counter() - started


async def _upsert_table(uow_factory: Any, t: Table, items: Sequence[Any]) -> None:
    """As the sync does: a commit per FBS page; a statistics page (here all rows) in one transaction."""
    per_uow = t.chunk if t.name == "orders" else max(len(items), 1)
    for at in range(0, len(items), per_uow):
        page = items[at : at + per_uow]
        async with uow_factory() as uow:
            for lo in range(0, len(page), t.chunk):
                await getattr(uow, t.repo).upsert_many(page[lo : lo + t.chunk])
            await uow.commit()


async def _upsert(uow_factory: Any, data: dict[str, list[Any]]) -> float:
    """Seconds for the repositories' upsert_many over every table."""
    started = time.perf_counter()
    for t in TABLES:
        await _upsert_table(uow_factory, t, data[t.name])
    return time.perf_counter() - started


async def measure(c: Any, db_url: str, source_cabinet: uuid.UUID, repeats: int) -> Throughput:
    """COPY and upsert the source cabinet's rows `repeats` times each, alternating, each under a new id."""
    engine, uow_factory = await c.gateways.engine(), await c.gateways.unit_of_work_factory()
    rows = await _read(engine, source_cabinet)
    copy_s = upsert_s = 0.0
    for _ in range(repeats):
        target = _rebind(rows, await _new_cabinet(engine))
        copy_s += await _raw_copy(db_url, {t.name: [t.values(r) for r in target[t.name]] for t in TABLES})
        upsert_s += await _upsert(uow_factory, _rebind(rows, await _new_cabinet(engine)))
    return Throughput(sum(map(len, rows.values())) * repeats, copy_s, upsert_s)
