"""Finance-API report rows and paid storage rows as WB sends them: money as strings, SKU-less costs,
storno rows kept with their own id and sign rule."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from adapters.outbound.wb import mapping_finance
from adapters.outbound.wb.errors import WbBadPayload
from domain.finance import PaidStorageTaskStatus, goods_sign

CAB = uuid.uuid4()


def report(**fields: object) -> dict:
    base = {
        "reportId": 100020745, "dateFrom": "2026-10-19", "dateTo": "2026-10-25", "createDate": "2026-10-26",
        "currency": "RUB", "reportType": 1, "rrdId": 1232610467, "nmId": 1234567, "vendorCode": "MAB123",
        "sku": "1231312352310", "docTypeName": "Продажа", "sellerOperName": "Продажа", "quantity": 1,
        "retailPrice": "1249", "retailAmount": "367", "retailPriceWithDisc": "399.68", "forPay": "376.99",
        "deliveryService": "0", "rebillLogisticCost": "1.349", "orderDt": "2026-10-14T00:00:00Z",
        "saleDt": "2026-10-20T00:00:00Z", "rrDate": "2026-10-20", "srid": "0f1c39", "orderId": 2816993144,
    }  # fmt: skip
    return {**base, **fields}


def test_money_strings_become_exact_decimals() -> None:
    row = mapping_finance.report_row(CAB, report())
    assert row.retail_amount == Decimal("367") and row.for_pay == Decimal("376.99")
    assert row.retail_price_with_disc == Decimal("399.68")
    assert row.rebill_logistic_cost == Decimal("1.349")  # WB's third decimal is kept, not rounded
    assert row.penalty == Decimal(0)  # a field WB left out is zero
    assert (row.rrd_id, row.report_id, row.nm_id, row.barcode) == (
        1232610467,
        100020745,
        1234567,
        "1231312352310",
    )
    assert (row.date_from, row.date_to, row.rr_date) == (
        date(2026, 10, 19),
        date(2026, 10, 25),
        date(2026, 10, 20),
    )
    assert row.sale_dt == datetime(2026, 10, 20, tzinfo=UTC)


def test_a_negative_correction_keeps_its_sign() -> None:
    row = mapping_finance.report_row(
        CAB, report(docTypeName="", sellerOperName="Коррекция логистики", quantity=0, deliveryService="-18.9")
    )
    assert row.delivery_service == Decimal("-18.9") and row.goods_sign == 0


@pytest.mark.parametrize("nm", [{"nmId": 0}, {"nmId": None}, {}])
def test_costs_without_a_sku_have_no_nm_id(nm: dict) -> None:
    data = report(sellerOperName="Хранение", docTypeName="", quantity=0, paidStorage="12647.29", srid="")
    data.pop("nmId")
    row = mapping_finance.report_row(CAB, {**data, **nm, "orderDt": "0001-01-01T00:00:00Z", "orderId": 0})
    assert row.nm_id is None and row.order_id is None and row.order_dt is None
    assert row.paid_storage == Decimal("12647.29")


def test_a_storno_is_a_return_document_that_reverses_the_sale() -> None:
    sale = mapping_finance.report_row(CAB, report())
    storno = mapping_finance.report_row(
        CAB, report(rrdId=1232610999, docTypeName="Возврат", sellerOperName="Сторно продаж")
    )
    assert storno.rrd_id != sale.rrd_id  # a row of its own, never an edit of the sale's row
    assert storno.for_pay == sale.for_pay > 0  # WB repeats the amounts; the document type carries the sign
    assert sale.goods_sign * sale.for_pay + storno.goods_sign * storno.for_pay == 0
    assert (goods_sign("Продажа"), goods_sign("Возврат"), goods_sign("")) == (1, -1, 0)


@pytest.mark.parametrize(
    ("field", "value"), [("forPay", "12,5"), ("forPay", "NaN"), ("rrdId", "1"), ("dateFrom", None)]
)
def test_garbage_names_the_field(field: str, value: object) -> None:
    with pytest.raises(WbBadPayload, match=field):
        mapping_finance.report_row(CAB, report(**{field: value}))


def test_a_paid_storage_row_reads_its_number_exactly() -> None:
    row = mapping_finance.paid_storage_row(
        CAB,
        {"date": "2023-10-01", "officeId": 507, "warehouse": "Коледино", "chrtId": 1234567, "barcode": "",
         "vendorCode": "567383", "nmId": 1234567, "volume": 12, "warehousePrice": 7.65, "warehouseCoef": 1.7,
         "logWarehouseCoef": 1, "barcodesCount": 1, "originalDate": "2023-03-01"},
    )  # fmt: skip
    assert row.warehouse_price == Decimal("7.65") and row.warehouse_coef == Decimal("1.7")
    assert row.key == (CAB, date(2023, 10, 1), 507, 1234567, 1234567, "")
    assert row.original_date == date(2023, 3, 1)


def test_task_answers() -> None:
    assert mapping_finance.task_id({"data": {"taskId": "219eaecf"}}) == "219eaecf"
    assert (
        mapping_finance.task_status({"data": {"id": "x", "status": "processing"}})
        is PaidStorageTaskStatus.PROCESSING
    )
    with pytest.raises(WbBadPayload, match="status"):
        mapping_finance.task_status({"data": {"id": "x", "status": "weird"}})
