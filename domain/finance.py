"""WB's weekly realization report rows and the paid storage report (reference/wb-api.md §2.5 b, c).

A report row is stored exactly as WB sent it, keyed by WB's own `rrd_id`: a storno ("Сторно продаж") or a
correction ("Корректная продажа", "Коррекция логистики") is a row of its own with its own rrd_id, never an
edit of the row it corrects. How a reader sums them is `goods_sign` (docs/metrics.md, "Finance report
rows"): goods fields count by the document type, cost fields as they come.
"""

import datetime as dt
import enum
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import attrs

from domain.moscow_time import optional_aware, optional_to_utc

SALE_DOC = "Продажа"
RETURN_DOC = "Возврат"


def goods_sign(doc_type_name: str) -> int:
    """+1 for a sale document, -1 for a return document (a storno of a sale is a return document), 0 for
    rows that move no goods (logistics, storage, penalties, deductions, acceptance)."""
    if doc_type_name == SALE_DOC:
        return 1
    if doc_type_name == RETURN_DOC:
        return -1
    return 0


@attrs.frozen
class FinanceReportRow:
    """One row of `POST /api/finance/v1/sales-reports/detailed`. Money fields are roubles as WB printed
    them (the API sends strings), signed as WB sent them. `nm_id` is None for costs WB does not attribute
    to a SKU (storage, paid acceptance, deductions)."""

    cabinet_id: UUID
    rrd_id: int
    report_id: int
    date_from: date
    date_to: date
    doc_type_name: str
    seller_oper_name: str
    quantity: int
    nm_id: int | None = None
    report_type: int | None = None
    create_date: date | None = None
    currency: str | None = None
    vendor_code: str = ""
    title: str = ""
    tech_size: str = ""
    barcode: str = ""
    bonus_type_name: str = ""
    delivery_amount: int = 0
    return_amount: int = 0
    retail_price: Decimal = Decimal(0)
    retail_amount: Decimal = Decimal(0)
    retail_price_with_disc: Decimal = Decimal(0)
    for_pay: Decimal = Decimal(0)
    delivery_service: Decimal = Decimal(0)
    sales_commission: Decimal = Decimal(0)
    acquiring_fee: Decimal = Decimal(0)
    vw: Decimal = Decimal(0)
    vw_nds: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    additional_payment: Decimal = Decimal(0)
    rebill_logistic_cost: Decimal = Decimal(0)
    paid_storage: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)
    paid_acceptance: Decimal = Decimal(0)
    order_id: int | None = None
    srid: str = ""
    order_uid: str = ""
    is_b2b: bool | None = None
    order_dt: datetime | None = attrs.field(default=None, converter=optional_to_utc, validator=optional_aware)
    sale_dt: datetime | None = attrs.field(default=None, converter=optional_to_utc, validator=optional_aware)
    rr_date: date | None = None

    @property
    def goods_sign(self) -> int:
        return goods_sign(self.doc_type_name)


@attrs.frozen
class PaidStorageRow:
    """One row of the paid storage report: one size (`chrt_id`, `barcode`) of one SKU in one warehouse
    (`office_id`) on one day; `warehouse_price` is that day's storage cost in roubles. Keyed by
    (date, office_id, nm_id, chrt_id, barcode); `nm_id` is 0 when WB sends none."""

    cabinet_id: UUID
    date: dt.date
    office_id: int
    nm_id: int
    chrt_id: int
    barcode: str
    warehouse_price: Decimal
    warehouse_name: str = ""
    vendor_code: str = ""
    calc_type: str = ""
    volume: Decimal | None = None
    warehouse_coef: Decimal | None = None
    log_warehouse_coef: Decimal | None = None
    barcodes_count: int | None = None
    original_date: dt.date | None = None

    @property
    def key(self) -> tuple[UUID, dt.date, int, int, int, str]:
        return (self.cabinet_id, self.date, self.office_id, self.nm_id, self.chrt_id, self.barcode)


class PaidStorageTaskStatus(enum.StrEnum):
    """`GET /api/v1/paid_storage/tasks/{id}/status`: a task is `new`, then `processing`, then `done`
    (downloadable); `purged` and `canceled` tasks are gone and must be created again."""

    NEW = "new"
    PROCESSING = "processing"
    DONE = "done"
    PURGED = "purged"
    CANCELED = "canceled"

    @property
    def is_gone(self) -> bool:
        return self in (PaidStorageTaskStatus.PURGED, PaidStorageTaskStatus.CANCELED)
