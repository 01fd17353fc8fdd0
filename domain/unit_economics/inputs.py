"""What the weekly per-SKU computation reads: report lines, statistics sales, paid storage, COGS, products.

Each input class is the minimum the formulas need (docs/metrics.md, "Weekly unit economics (by SKU)"),
so a read model can build it from WB's finance report rows, the statistics sales or rollups alike.
"""

import enum
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from domain.cogs import CogsHistory, CogsVersion, MissingCogs
from domain.errors import InvalidValue
from domain.moscow_time import moscow_day
from domain.sales import Sale, SaleKind

if TYPE_CHECKING:
    from domain.validators import Field

RUB = "RUB"


def _amount(value: object) -> Decimal:
    # Floats would put binary noise into kopecks; a bool is an int by accident, never an amount.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvalidValue("amount", f"must be a Decimal, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidValue("amount", f"must be finite, got {value}")
    return amount


def _day(instance: object, attribute: "Field", value: object) -> None:
    if type(value) is not date:
        raise InvalidValue(attribute.name, f"must be a date, got {type(value).__name__}")


def _optional_day(instance: object, attribute: "Field", value: object) -> None:
    if value is not None:
        _day(instance, attribute, value)


def _count(instance: object, attribute: "Field", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(attribute.name, f"must be an int, got {type(value).__name__}")


class DocType(enum.StrEnum):
    """The report's `docTypeName`: "Продажа" → SALE, "Возврат" → RETURN, anything else (empty) → OTHER."""

    SALE = "sale"
    RETURN = "return"
    OTHER = "other"

    @classmethod
    def from_wb(cls, doc_type_name: str) -> "DocType":
        name = doc_type_name.strip().casefold()
        if name == "продажа":
            return cls.SALE
        if name == "возврат":
            return cls.RETURN
        return cls.OTHER


@attrs.frozen
class ReportLine:
    """One line of WB's weekly realization report (finance API `sales-reports/detailed`).

    Mapping from a finance v1 row: rrd_id ← `rrdId`, nm_id ← `nmId` (None when 0 or absent),
    doc_type ← DocType.from_wb(`docTypeName`), oper_name ← `sellerOperName`, quantity ← `quantity`,
    retail_price_with_disc ← `retailPriceWithDisc`, for_pay ← `forPay`, delivery_service ← `deliveryService`,
    penalty ← `penalty`, paid_storage ← `paidStorage`, paid_acceptance ← `paidAcceptance`,
    deduction ← `deduction`, additional_payment ← `additionalPayment`, sale_date ← Moscow date of `saleDt`,
    srid ← `srid`. Amounts are Decimals exactly as WB sent them (unsigned by doc type: the computation
    applies the sign). original_sale_date: for a return, the Moscow date of the sale it reverses, when the
    read model knows it (e.g. the statistics sale or an earlier report line with the same srid).
    """

    rrd_id: int = attrs.field(validator=_count)
    nm_id: int | None
    doc_type: DocType
    quantity: int = attrs.field(validator=_count)
    sale_date: date = attrs.field(validator=_day)
    oper_name: str = ""
    srid: str = ""
    retail_price_with_disc: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    for_pay: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    delivery_service: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    penalty: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    paid_storage: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    paid_acceptance: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    deduction: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    additional_payment: Decimal = attrs.field(default=Decimal(0), converter=_amount)
    original_sale_date: date | None = attrs.field(default=None, validator=_optional_day)


@attrs.frozen
class WeekSale:
    """A statistics sale or return (GET /api/v1/supplier/sales), for a week whose report has not arrived.

    `day` is the Moscow date of the row's `date`; amounts are taken by absolute value and signed by `kind`
    (WB does not document the sign of return rows); a row of kind OTHER counts as neither.
    """

    sale_id: str
    nm_id: int
    day: date = attrs.field(validator=_day)
    kind: SaleKind
    price_with_disc: Decimal = attrs.field(converter=_amount)
    for_pay: Decimal = attrs.field(converter=_amount)
    srid: str = ""
    original_sale_date: date | None = attrs.field(default=None, validator=_optional_day)

    @classmethod
    def from_sale(cls, sale: Sale) -> "WeekSale":
        return cls(
            sale_id=sale.sale_id,
            nm_id=sale.nm_id,
            day=moscow_day(sale.date),
            kind=sale.kind,
            price_with_disc=sale.price_with_disc.amount,
            for_pay=sale.for_pay.amount,
            srid=sale.srid,
        )


@attrs.frozen
class StorageDay:
    """Paid storage of one SKU on one Moscow day (`paid_storage` report: Σ `warehousePrice` by nmId, date)."""

    nm_id: int
    day: date = attrs.field(validator=_day)
    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class ProductInfo:
    """What the dashboard shows beside an nm_id: vendor code (`sa_name`), brand and subject (category)."""

    sa_name: str | None = None
    brand: str | None = None
    category: str | None = None


CogsLookup = Callable[[int, date], CogsVersion | MissingCogs]
CogsSource = Mapping[int, CogsHistory] | CogsLookup


def as_lookup(source: CogsSource) -> CogsLookup:
    """A (nm_id, day) → version lookup: a callable as is, or over histories (none → MissingCogs)."""
    if callable(source):
        return source
    histories = source

    def lookup(nm_id: int, day: date) -> CogsVersion | MissingCogs:
        history = histories.get(nm_id)
        return MissingCogs(nm_id, day) if history is None else history.valid_at(day)

    return lookup


def unit_cost(lookup: CogsLookup, nm_id: int, day: date) -> Decimal | None:
    """The rouble cost of one unit on `day`; None when no version covers it or it is not in roubles
    (the domain has no exchange rates, and a cost in another currency must not be added as roubles)."""
    found = lookup(nm_id, day)
    if isinstance(found, MissingCogs) or found.currency != RUB:
        return None
    return found.unit_cost
