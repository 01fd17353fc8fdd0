"""One contract for the finance repositories, run against the in-memory fakes and Postgres (the `backend`
fixture): upserts by WB's own keys are idempotent, count only changes, keep storno rows as rows of their
own and SKU-less costs with no nm_id, and read back exactly what was stored."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs

from domain.finance import FinanceReportRow, PaidStorageRow
from tests.integration.builders import stored_cabinet
from tests.integration.conftest import Backend

MONDAY = date(2026, 10, 19)


def a_row(cab: uuid.UUID, rrd_id: int, **kw: object) -> FinanceReportRow:
    fields: dict = {
        "cabinet_id": cab, "rrd_id": rrd_id, "report_id": 100020745, "date_from": MONDAY,
        "date_to": MONDAY + timedelta(days=6), "doc_type_name": "Продажа", "seller_oper_name": "Продажа",
        "quantity": 1, "nm_id": 300822468, "report_type": 1, "create_date": MONDAY + timedelta(days=7),
        "currency": "RUB", "vendor_code": "КРО-1", "title": "Кроссовки", "tech_size": "42", "barcode": "2010",
        "retail_price": Decimal("1249"), "retail_amount": Decimal("367"), "for_pay": Decimal("376.99"),
        "rebill_logistic_cost": Decimal("1.349"), "order_id": 2816993144, "srid": "0f1c", "order_uid": "u1",
        "is_b2b": False, "order_dt": datetime(2026, 10, 14, tzinfo=UTC),
        "sale_dt": datetime(2026, 10, 20, tzinfo=UTC), "rr_date": MONDAY + timedelta(days=1),
    }  # fmt: skip
    return FinanceReportRow(**{**fields, **kw})


def a_storage_row(cab: uuid.UUID, day: date, nm_id: int = 7, **kw: object) -> PaidStorageRow:
    fields: dict = {
        "cabinet_id": cab, "date": day, "office_id": 507, "nm_id": nm_id, "chrt_id": 70, "barcode": "",
        "warehouse_price": Decimal("7.65"), "warehouse_name": "Коледино", "vendor_code": "567383",
        "calc_type": "короба", "volume": Decimal("12"), "warehouse_coef": Decimal("1.7"),
        "log_warehouse_coef": Decimal("1"), "barcodes_count": 1, "original_date": day,
    }  # fmt: skip
    return PaidStorageRow(**{**fields, **kw})


async def _cabinet(backend: Backend) -> uuid.UUID:
    return (await stored_cabinet(backend.uow)).id


async def test_report_rows_upsert_by_rrd_id_is_idempotent_and_reads_back_exactly(backend: Backend) -> None:
    cab = await _cabinet(backend)
    storno = a_row(cab, 3, doc_type_name="Возврат", seller_oper_name="Сторно продаж")
    storage = a_row(cab, 4, nm_id=None, doc_type_name="", seller_oper_name="Хранение", quantity=0,
                    paid_storage=Decimal("12647.29"), srid="", order_id=None, order_dt=None)  # fmt: skip
    batch = [a_row(cab, 1), a_row(cab, 2, doc_type_name="", seller_oper_name="Логистика"), storno, storage]
    async with backend.uow() as uow:
        assert await uow.finance_rows.upsert_many(batch) == 4
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.finance_rows.upsert_many(batch) == 0  # a re-read page writes nothing
        changed = attrs.evolve(batch[0], for_pay=Decimal("370.00"))
        assert await uow.finance_rows.upsert_many([changed, batch[1]]) == 1
        await uow.commit()
    async with backend.uow() as uow:
        stored = list(await uow.finance_rows.rows_between(cab, MONDAY, MONDAY))
        assert stored == [changed, *batch[1:]]
        assert stored[3].nm_id is None and stored[2].rrd_id != stored[0].rrd_id
        assert await uow.finance_rows.count(cab) == 4
        assert await uow.finance_rows.rows_between(cab, MONDAY + timedelta(days=1), date.max) == []


async def test_report_rows_last_one_per_rrd_id_wins_and_cabinets_stay_apart(backend: Backend) -> None:
    cab, other = await _cabinet(backend), await _cabinet(backend)
    async with backend.uow() as uow:
        assert (
            await uow.finance_rows.upsert_many([a_row(cab, 1), a_row(cab, 1, quantity=2), a_row(other, 1)])
            == 2
        )
        await uow.commit()
    async with backend.uow() as uow:
        assert [r.quantity for r in await uow.finance_rows.rows_between(cab, date.min, date.max)] == [2]
        assert await uow.finance_rows.count(other) == 1


async def test_an_uncommitted_page_leaves_nothing(backend: Backend) -> None:
    cab = await _cabinet(backend)
    async with backend.uow() as uow:
        await uow.finance_rows.upsert_many([a_row(cab, 1)])
        await uow.paid_storage.upsert_many([a_storage_row(cab, MONDAY)])
    async with backend.uow() as uow:
        assert (await uow.finance_rows.count(cab), await uow.paid_storage.count(cab)) == (0, 0)


async def test_paid_storage_upserts_by_its_key_and_a_recalculated_day_is_rewritten(backend: Backend) -> None:
    cab = await _cabinet(backend)
    rows = [a_storage_row(cab, MONDAY + timedelta(days=d), nm) for d in range(3) for nm in (7, 8)]
    rows.append(a_storage_row(cab, MONDAY, 7, barcode="b2"))  # another barcode of the same size: its own row
    async with backend.uow() as uow:
        assert await uow.paid_storage.upsert_many(rows) == 7
        await uow.commit()
    recalculated = attrs.evolve(
        rows[0], warehouse_price=Decimal("8.10"), original_date=MONDAY - timedelta(days=1)
    )
    async with backend.uow() as uow:
        assert await uow.paid_storage.upsert_many(rows) == 0
        assert await uow.paid_storage.upsert_many([recalculated]) == 1
        await uow.commit()
    async with backend.uow() as uow:
        first_day = list(await uow.paid_storage.rows_between(cab, MONDAY, MONDAY))
        assert first_day == sorted([recalculated, rows[1], rows[-1]], key=lambda r: r.key[1:])
        assert await uow.paid_storage.count(cab) == 7
