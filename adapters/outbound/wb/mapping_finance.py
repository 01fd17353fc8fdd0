"""Finance-API realization report rows and paid storage rows → domain objects (reference/wb-api.md §2.5).

Report money fields are JSON strings ("367", "1.349"; a number is accepted too) parsed as exact Decimals,
signed as WB sent them. `nmId` absent, null or 0 means WB did not attribute the row to a SKU (storage,
paid acceptance, deductions): None. Dates are `YYYY-MM-DD`; `orderDt`/`saleDt` RFC3339 (UTC "Z"), with
WB's empty "0001-01-01…" or "" read as None. Paid storage amounts are JSON numbers, read through their
shortest repr so 7.65 stays 7.65.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.outbound.wb.errors import WbBadPayload
from adapters.outbound.wb.fields import Row, build
from domain.finance import FinanceReportRow, PaidStorageRow, PaidStorageTaskStatus

# (our field, WB's field) of the report's money, all strings in the finance API.
MONEY_FIELDS = (
    ("retail_price", "retailPrice"),
    ("retail_amount", "retailAmount"),
    ("retail_price_with_disc", "retailPriceWithDisc"),
    ("for_pay", "forPay"),
    ("delivery_service", "deliveryService"),
    ("sales_commission", "ppvzSalesCommission"),
    ("acquiring_fee", "acquiringFee"),
    ("vw", "vw"),
    ("vw_nds", "vwNds"),
    ("penalty", "penalty"),
    ("additional_payment", "additionalPayment"),
    ("rebill_logistic_cost", "rebillLogisticCost"),
    ("paid_storage", "paidStorage"),
    ("deduction", "deduction"),
    ("paid_acceptance", "paidAcceptance"),
)
_EMPTY_YEAR = 1971  # anything before it is WB's "no date" (0001-01-01…)


def _amount(r: Row, key: str) -> Decimal:
    """A money field; absent or "" is zero (WB leaves fields it has nothing for empty)."""
    value = r.raw(key)
    if value is None or value == "":
        return Decimal(0)
    return r.decimal(key)


def _day(r: Row, key: str, required: bool = False) -> date | None:
    value = r.text(key) if required else r.text(key, None)
    if not value:
        if required:
            raise r.fail(key, "empty date")
        return None
    parsed = r.convert(key, date.fromisoformat, value[:10])
    return None if parsed.year < _EMPTY_YEAR else parsed


def _instant(r: Row, key: str) -> datetime | None:
    value = r.text(key, None)
    if not value or value.startswith("0001-01-01"):
        return None
    parsed = r.convert(key, datetime.fromisoformat, value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:  # WB documents UTC ("…Z"); a bare value is read as UTC too
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _nm_id(r: Row, key: str = "nmId") -> int | None:
    value = r.integer(key, None)
    return value or None


def _required_day(r: Row, key: str) -> date:
    value = _day(r, key, required=True)
    if value is None:
        raise r.fail(key, "empty date")
    return value


def report_row(cabinet_id: UUID, data: Any) -> FinanceReportRow:
    r = Row(data, "finance report row")
    money = {ours: _amount(r, theirs) for ours, theirs in MONEY_FIELDS}
    return build(
        r.what,
        FinanceReportRow,
        cabinet_id=cabinet_id,
        rrd_id=r.integer("rrdId"),
        report_id=r.integer("reportId"),
        date_from=_required_day(r, "dateFrom"),
        date_to=_required_day(r, "dateTo"),
        doc_type_name=r.text("docTypeName", ""),
        seller_oper_name=r.text("sellerOperName", ""),
        quantity=r.integer("quantity", 0),
        nm_id=_nm_id(r),
        report_type=r.integer("reportType", None),
        create_date=_day(r, "createDate"),
        currency=r.text("currency", None),
        vendor_code=r.text("vendorCode", ""),
        title=r.text("title", ""),
        tech_size=r.text("techSize", ""),
        barcode=r.text("sku", ""),
        bonus_type_name=r.text("bonusTypeName", ""),
        delivery_amount=r.integer("deliveryAmount", 0),
        return_amount=r.integer("returnAmount", 0),
        **money,
        order_id=r.integer("orderId", None) or None,
        srid=r.text("srid", ""),
        order_uid=r.text("orderUid", ""),
        is_b2b=r.flag("isB2b", None),
        order_dt=_instant(r, "orderDt"),
        sale_dt=_instant(r, "saleDt"),
        rr_date=_day(r, "rrDate"),
    )


def _optional_decimal(r: Row, key: str) -> Decimal | None:
    return None if r.raw(key) is None else r.decimal(key)


def paid_storage_row(cabinet_id: UUID, data: Any) -> PaidStorageRow:
    r = Row(data, "paid storage row")
    return build(
        r.what,
        PaidStorageRow,
        cabinet_id=cabinet_id,
        date=_required_day(r, "date"),
        office_id=r.integer("officeId"),
        nm_id=_nm_id(r) or 0,
        chrt_id=r.integer("chrtId", 0),
        barcode=r.text("barcode", ""),
        warehouse_price=r.decimal("warehousePrice"),
        warehouse_name=r.text("warehouse", ""),
        vendor_code=r.text("vendorCode", ""),
        calc_type=r.text("calcType", ""),
        volume=_optional_decimal(r, "volume"),
        warehouse_coef=_optional_decimal(r, "warehouseCoef"),
        log_warehouse_coef=_optional_decimal(r, "logWarehouseCoef"),
        barcodes_count=r.integer("barcodesCount", None),
        original_date=_day(r, "originalDate"),
    )


def task_id(body: Any) -> str:
    data = Row(body, "paid storage task").obj("data")
    if data is None:
        raise WbBadPayload("paid storage task.data", "missing")
    return str(data.text("taskId"))


def task_status(body: Any) -> PaidStorageTaskStatus:
    data = Row(body, "paid storage task status").obj("data")
    if data is None:
        raise WbBadPayload("paid storage task status.data", "missing")
    return data.convert("status", PaidStorageTaskStatus, data.text("status"))
