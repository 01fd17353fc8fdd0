"""Sales and returns from the statistics API (GET /api/v1/supplier/sales, reference §2.2).

A row is keyed by `saleID`, never by `srid`: a sale and its later return share the srid (it is the
order's id), so keying by srid would overwrite the sale with the return.
"""

import enum
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import attrs

from domain.money import Money
from domain.moscow_time import aware, optional_aware, optional_to_utc, to_utc
from domain.validators import non_blank


class SaleKind(enum.StrEnum):
    SALE = "sale"
    RETURN = "return"
    OTHER = "other"

    @classmethod
    def from_sale_id(cls, sale_id: str) -> "SaleKind":
        """`S…` is a sale, `R…` a return; any other prefix (third-party code has met `B…`) is OTHER, which
        is stored like the rest and counted as neither, so nothing WB sends is dropped."""
        if sale_id.startswith("S"):
            return cls.SALE
        if sale_id.startswith("R"):
            return cls.RETURN
        return cls.OTHER


@attrs.define(eq=False)
class Sale:
    """One sale or return row. Amounts are signed as WB sent them: whether returns carry negative
    amounts is not documented, so the kind comes from the saleID prefix, never from the sign.
    `finished_price`, `price_with_disc` and `for_pay` may be 0 for up to 24 h (WB fills them late)."""

    cabinet_id: UUID
    sale_id: str = attrs.field(validator=non_blank)
    srid: str
    nm_id: int
    supplier_article: str
    barcode: str
    date: datetime = attrs.field(converter=to_utc, validator=aware)
    last_change_date: datetime = attrs.field(converter=to_utc, validator=aware)
    total_price: Money
    discount_percent: Decimal
    spp: Decimal
    for_pay: Money
    finished_price: Money
    price_with_disc: Money
    warehouse_name: str | None = None
    region_name: str | None = None
    is_cancel: bool | None = None
    cancel_date: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )

    @property
    def kind(self) -> SaleKind:
        return SaleKind.from_sale_id(self.sale_id)

    @property
    def is_return(self) -> bool:
        return self.kind is SaleKind.RETURN
