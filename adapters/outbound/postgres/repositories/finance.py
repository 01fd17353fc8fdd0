"""Realization report rows (keyed by WB's rrd_id) and paid storage rows (keyed by day, warehouse, SKU, size
and barcode), both through the bulk upsert: a re-read page whose rows are unchanged writes nothing."""

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows, utc_or_none
from adapters.outbound.postgres.repositories.finance_weeks import refresh_finance_weeks
from adapters.outbound.postgres.tables import finance_report_rows, paid_storage
from domain.finance import FinanceReportRow, PaidStorageRow

MONEY = (
    "retail_price", "retail_amount", "retail_price_with_disc", "for_pay", "delivery_service",
    "sales_commission", "acquiring_fee", "vw", "vw_nds", "penalty", "additional_payment",
    "rebill_logistic_cost", "paid_storage", "deduction", "paid_acceptance",
)  # fmt: skip
REPORT_FIELDS = (
    "report_id", "report_type", "date_from", "date_to", "create_date", "currency", "nm_id", "vendor_code",
    "title", "tech_size", "barcode", "doc_type_name", "seller_oper_name", "bonus_type_name", "quantity",
    "delivery_amount", "return_amount", *MONEY, "order_id", "srid", "order_uid", "is_b2b", "order_dt",
    "sale_dt", "rr_date",
)  # fmt: skip
REPORT_SPEC = UpsertSpec(finance_report_rows, key=("cabinet_id", "rrd_id"), compare=REPORT_FIELDS)

STORAGE_KEY = ("cabinet_id", "date", "office_id", "nm_id", "chrt_id", "barcode")
STORAGE_FIELDS = (
    "warehouse_name", "vendor_code", "calc_type", "volume", "warehouse_price", "warehouse_coef",
    "log_warehouse_coef", "barcodes_count", "original_date",
)  # fmt: skip
STORAGE_SPEC = UpsertSpec(paid_storage, key=STORAGE_KEY, compare=STORAGE_FIELDS)


def report_values(r: FinanceReportRow) -> tuple[Any, ...]:
    return (r.cabinet_id, r.rrd_id, *(getattr(r, name) for name in REPORT_FIELDS))


def storage_values(r: PaidStorageRow) -> tuple[Any, ...]:
    return (*r.key, *(getattr(r, name) for name in STORAGE_FIELDS))


def _report_row(row: Any) -> FinanceReportRow:
    m = row._mapping
    fields = {name: m[name] for name in REPORT_FIELDS}
    fields.update(order_dt=utc_or_none(m["order_dt"]), sale_dt=utc_or_none(m["sale_dt"]))
    fields.update({name: m[name] for name in MONEY if m[name] is not None})
    nullable_text = ("vendor_code", "title", "tech_size", "barcode", "doc_type_name", "seller_oper_name")
    for name in (*nullable_text, "bonus_type_name", "srid", "order_uid"):
        fields[name] = fields[name] or ""
    for name in ("quantity", "delivery_amount", "return_amount"):
        fields[name] = fields[name] or 0
    return FinanceReportRow(cabinet_id=m["cabinet_id"], rrd_id=m["rrd_id"], **fields)


def _storage_row(row: Any) -> PaidStorageRow:
    m = row._mapping
    fields = {name: m[name] for name in (*STORAGE_KEY, *STORAGE_FIELDS)}
    for name in ("warehouse_name", "vendor_code", "calc_type"):
        fields[name] = fields[name] or ""
    return PaidStorageRow(**fields)


class PostgresFinanceReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[FinanceReportRow]) -> int:
        written = (await bulk_upsert(self._session, REPORT_SPEC, (report_values(r) for r in rows))).written
        for cabinet_id in {r.cabinet_id for r in rows}:
            weeks = {(r.date_from, r.date_to) for r in rows if r.cabinet_id == cabinet_id}
            await refresh_finance_weeks(self._session, cabinet_id, weeks)
        return written

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[FinanceReportRow]:
        c = finance_report_rows.c
        stmt = (
            sa.select(finance_report_rows)
            .where(c.cabinet_id == cabinet_id, c.date_from >= date_from, c.date_from <= date_to)
            .order_by(c.rrd_id)
        )
        return [_report_row(row) for row in await self._session.execute(stmt)]

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, finance_report_rows, cabinet_id)


class PostgresPaidStorageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[PaidStorageRow]) -> int:
        return (await bulk_upsert(self._session, STORAGE_SPEC, (storage_values(r) for r in rows))).written

    async def rows_between(
        self, cabinet_id: UUID, date_from: date, date_to: date
    ) -> Sequence[PaidStorageRow]:
        c = paid_storage.c
        stmt = (
            sa.select(paid_storage)
            .where(c.cabinet_id == cabinet_id, c.date >= date_from, c.date <= date_to)
            .order_by(c.date, c.office_id, c.nm_id, c.chrt_id, c.barcode)
        )
        return [_storage_row(row) for row in await self._session.execute(stmt)]

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, paid_storage, cabinet_id)
