"""A cabinet's week for the per-SKU unit economics (application/ports/weekly.py `WeeklyInputs`), read on
one short connection in five statements, each through an index led by (cabinet_id, …): the weekly
report's lines (`ix_finance_report_rows_cabinet_id_date_from`), the week's statistics sales
(`ix_sales_cabinet_id_date`), paid storage (primary key), COGS versions and names."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from application.ports.weekly import WeekInputs
from domain.cogs import CogsHistory, CogsVersion
from domain.moscow_time import day_range_utc
from domain.sales import SaleKind
from domain.unit_economics import DocType, ProductInfo, ReportLine, StorageDay, Sums, WeekSale, WeekSums

# A return's COGS day is the Moscow day of the sale it reverses (docs/metrics.md): the first statistics sale
# with its srid.
_LINES = sa.text("""
SELECT r.rrd_id, r.nm_id, r.doc_type_name, r.seller_oper_name, r.quantity, r.srid,
    COALESCE((r.sale_dt AT TIME ZONE 'Europe/Moscow')::date, r.rr_date, r.date_from) AS sale_date,
    r.retail_price_with_disc, r.for_pay, r.delivery_service, r.penalty, r.paid_storage, r.paid_acceptance,
    r.deduction, r.additional_payment,
    CASE WHEN r.doc_type_name = 'Возврат' AND r.srid IS NOT NULL
        THEN (SELECT min((s.date AT TIME ZONE 'Europe/Moscow')::date) FROM sales AS s
            WHERE s.cabinet_id = :cabinet_id AND s.srid = r.srid AND s.kind = 'sale')
    END AS original_sale_date
FROM finance_report_rows AS r
WHERE r.cabinet_id = :cabinet_id AND r.date_from = :first AND r.date_to = :last
""")

_SALES = sa.text("""
SELECT w.sale_id, w.nm_id, (w.date AT TIME ZONE 'Europe/Moscow')::date AS day, w.kind, w.srid,
    COALESCE(w.price_with_disc, 0) AS price_with_disc, COALESCE(w.for_pay, 0) AS for_pay,
    CASE WHEN w.kind = 'return'
        THEN (SELECT min((s.date AT TIME ZONE 'Europe/Moscow')::date) FROM sales AS s
            WHERE s.cabinet_id = :cabinet_id AND s.srid = w.srid AND s.kind = 'sale')
    END AS original_sale_date
FROM sales AS w
WHERE w.cabinet_id = :cabinet_id AND w.date >= :start AND w.date < :end AND w.kind IN ('sale', 'return')
    AND w.nm_id IS NOT NULL
""")

_STORAGE = sa.text("""
SELECT nm_id, date AS day, sum(warehouse_price) AS amount FROM paid_storage
WHERE cabinet_id = :cabinet_id AND date BETWEEN :first AND :last
GROUP BY nm_id, date
""")

_COGS = sa.text("""
SELECT id, nm_id, unit_cost, currency, valid_from, valid_to, created_at, deleted_at FROM cogs_versions
WHERE cabinet_id = :cabinet_id AND nm_id = ANY(:nm_ids)
""")

# The newest name the statistics gave each SKU, else the report's vendor code.
_PRODUCTS = sa.text("""
SELECT DISTINCT ON (nm_id) nm_id, supplier_article, brand, COALESCE(subject, category) AS category
FROM (
    SELECT nm_id, supplier_article, brand, subject, category, date, 0 AS rank FROM sales
    WHERE cabinet_id = :cabinet_id AND nm_id = ANY(:nm_ids)
    UNION ALL
    SELECT nm_id, supplier_article, brand, subject, category, date, 1 FROM stat_orders
    WHERE cabinet_id = :cabinet_id AND nm_id = ANY(:nm_ids)
    UNION ALL
    SELECT nm_id, vendor_code, NULL, NULL, NULL, sale_dt, 2 FROM finance_report_rows
    WHERE cabinet_id = :cabinet_id AND nm_id = ANY(:nm_ids)
) AS named
ORDER BY nm_id, rank, date DESC NULLS LAST
""")


# The ledger's sums (domain/unit_economics/ledger.py): the money per article from the rollup
# (`finance_week_skus`, refreshed as report rows are written), the COGS from the lines whose units need a
# cost: a return costed on the day of the sale it reverses (statistics sale by srid, else the report's own
# sale line, else its own day), the units of each article and day at the live COGS version covering that
# day in roubles (none, or another currency: missing, even for units that net to 0 on that day, as the
# ledger counts each line).
_COSTS = sa.text("""
SELECT u.nm_id, COALESCE(sum(u.units * v.unit_cost) FILTER (WHERE v.currency = 'RUB'), 0) AS cogs,
    bool_or(v.id IS NULL OR v.currency <> 'RUB') AS cogs_missing
FROM finance_week_units AS u
LEFT JOIN cogs_versions AS v ON v.cabinet_id = u.cabinet_id AND v.nm_id = u.nm_id AND v.deleted_at IS NULL
    AND v.valid_from <= u.day AND (v.valid_to IS NULL OR u.day <= v.valid_to)
WHERE u.cabinet_id = :cabinet_id AND u.date_from = :first AND u.date_to = :last
GROUP BY u.nm_id
""")

_MONEY = sa.text("""
SELECT NULLIF(nm_id, 0) AS nm_id, units, gross, net, logistics, storage, penalties, other
FROM finance_week_skus WHERE cabinet_id = :cabinet_id AND date_from = :first AND date_to = :last
""")

# Storage WB could not put on an article is stored with nm_id 0 (part of the key): it goes to the pool.
_STORAGE_SUMS = sa.text("""
SELECT NULLIF(nm_id, 0) AS nm_id, sum(warehouse_price) AS amount FROM paid_storage
WHERE cabinet_id = :cabinet_id AND date BETWEEN :first AND :last
GROUP BY 1
""")


def _sums(r: tuple[Any, ...], cost: tuple[Any, ...] | None) -> Sums:
    """A row of _MONEY (nm_id, units, gross, net, logistics, storage, penalties, other; numerics come back
    as Decimals) with its row of _COSTS (nm_id, cogs, cogs_missing), as the ledger's Sums."""
    _, units, gross, net, logistics, storage, penalties, other = r
    if cost is None:
        return Sums(int(units), gross, net, logistics, storage, penalties, other)
    return Sums(int(units), gross, net, logistics, storage, penalties, other, cost[1], bool(cost[2]))


def _money(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def _line(r: sa.Row) -> ReportLine:
    return ReportLine(
        rrd_id=int(r.rrd_id), nm_id=int(r.nm_id) if r.nm_id else None,
        doc_type=DocType.from_wb(r.doc_type_name or ""), quantity=int(r.quantity or 0), sale_date=r.sale_date,
        oper_name=r.seller_oper_name or "", srid=r.srid or "",
        retail_price_with_disc=_money(r.retail_price_with_disc), for_pay=_money(r.for_pay),
        delivery_service=_money(r.delivery_service), penalty=_money(r.penalty),
        paid_storage=_money(r.paid_storage), paid_acceptance=_money(r.paid_acceptance),
        deduction=_money(r.deduction), additional_payment=_money(r.additional_payment),
        original_sale_date=r.original_sale_date,
    )  # fmt: skip


def _sale(r: sa.Row) -> WeekSale:
    return WeekSale(
        sale_id=r.sale_id, nm_id=int(r.nm_id), day=r.day, kind=SaleKind(r.kind),
        price_with_disc=Decimal(r.price_with_disc), for_pay=Decimal(r.for_pay), srid=r.srid or "",
        original_sale_date=r.original_sale_date,
    )  # fmt: skip


def _histories(cabinet_id: UUID, rows: Iterable[sa.Row]) -> dict[int, CogsHistory]:
    by_sku: dict[int, list[CogsVersion]] = defaultdict(list)
    for r in rows:
        by_sku[int(r.nm_id)].append(
            CogsVersion(
                id=r.id,
                cabinet_id=cabinet_id,
                nm_id=int(r.nm_id),
                unit_cost=Decimal(r.unit_cost),
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                currency=r.currency.strip(),
                created_at=r.created_at,
                deleted_at=r.deleted_at,
            )
        )
    return {nm: CogsHistory(cabinet_id, nm, versions) for nm, versions in by_sku.items()}


class PostgresWeeklyInputs:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def week(self, cabinet_id: UUID, first: date, last: date) -> WeekInputs:
        start, end = day_range_utc(first, last)
        args = {"cabinet_id": cabinet_id, "first": first, "last": last, "start": start, "end": end}
        async with self._engine.connect() as conn:
            lines = [_line(r) for r in await conn.execute(_LINES, args)]
            sales = [_sale(r) for r in await conn.execute(_SALES, args)]
            storage = [
                StorageDay(int(r.nm_id), r.day, Decimal(r.amount)) for r in await conn.execute(_STORAGE, args)
            ]
            found: list[int | None] = (
                [x.nm_id for x in lines] + [x.nm_id for x in sales] + [x.nm_id for x in storage]
            )
            nm_ids = sorted({nm for nm in found if nm is not None})
            cogs, products = await self._skus(conn, cabinet_id, nm_ids)
        return WeekInputs(lines or None, sales, storage or None, cogs, products)

    async def report_sums(self, cabinet_id: UUID, first: date, last: date) -> WeekSums | None:
        args = {"cabinet_id": cabinet_id, "first": first, "last": last}
        async with self._engine.connect() as conn:
            money = list(await conn.execute(_MONEY, args))
            if not money:
                return None
            # The planner guesses the week's lines badly (a CTE, a date-range join), costs the plan in the
            # hundreds of thousands and JIT-compiles it: ~0.9 s of a 1.2 s answer at 5,000 SKUs. Not here.
            await conn.execute(sa.text("SET LOCAL jit = off"))
            await conn.execute(sa.text("SET LOCAL work_mem = '32MB'"))
            costs = {r[0]: tuple(r) for r in await conn.execute(_COSTS, args)}
            storage = {r.nm_id: Decimal(r.amount) for r in await conn.execute(_STORAGE_SUMS, args)}
        skus = {}
        pool = Sums()
        for row in money:
            r = tuple(row)
            if r[0] is None:
                pool = _sums(r, None)
            else:
                skus[r[0]] = _sums(r, costs.get(r[0]))
        if not storage:
            return WeekSums(skus, pool)
        unattributed = storage.pop(None, Decimal(0))
        return WeekSums(skus, pool, {int(nm): amount for nm, amount in storage.items()}, unattributed)

    async def products(self, cabinet_id: UUID, nm_ids: Sequence[int]) -> Mapping[int, ProductInfo]:
        if not nm_ids:
            return {}
        args = {"cabinet_id": cabinet_id, "nm_ids": list(nm_ids)}
        async with self._engine.connect() as conn:
            rows = await conn.execute(_PRODUCTS, args)
            return {int(r.nm_id): ProductInfo(r.supplier_article, r.brand, r.category) for r in rows}

    @staticmethod
    async def _skus(
        conn: AsyncConnection, cabinet_id: UUID, nm_ids: Sequence[int]
    ) -> tuple[dict[int, CogsHistory], dict[int, ProductInfo]]:
        if not nm_ids:
            return {}, {}
        args = {"cabinet_id": cabinet_id, "nm_ids": list(nm_ids)}
        cogs = _histories(cabinet_id, await conn.execute(_COGS, args))
        products = {
            int(r.nm_id): ProductInfo(sa_name=r.supplier_article, brand=r.brand, category=r.category)
            for r in await conn.execute(_PRODUCTS, args)
        }
        return cogs, products
