"""Statistics orders (`supplier/orders`): one row per item, keyed by `srid`, FBS and FBW alike.

For FBS orders `srid` equals the assembly order's `rid`, which is how the two sources join.
"""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import attrs

from domain.money import Money
from domain.moscow_time import aware, optional_aware, optional_to_utc, to_utc
from domain.validators import non_blank

FBW_WAREHOUSE_TYPE = "Склад WB"  # `warehouseType`; the seller's own is "Склад продавца" (FBS)


@attrs.frozen
class StatOrder:
    cabinet_id: UUID
    srid: str = attrs.field(validator=non_blank)
    nm_id: int
    date: datetime = attrs.field(converter=to_utc, validator=aware)
    last_change_date: datetime = attrs.field(converter=to_utc, validator=aware)
    total_price: Money
    discount_percent: Decimal
    spp: Decimal
    finished_price: Money
    price_with_disc: Money
    is_cancel: bool = False
    cancel_date: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )
    supplier_article: str = ""
    barcode: str = ""
    tech_size: str = ""
    brand: str = ""
    category: str = ""
    subject: str = ""
    warehouse_name: str = ""
    warehouse_type: str = ""
    country_name: str = ""
    oblast_okrug_name: str = ""
    region_name: str = ""
    income_id: int | None = None
    is_supply: bool | None = None
    is_realization: bool | None = None
    sticker: str = ""
    g_number: str = ""

    @property
    def is_fbw(self) -> bool:
        """Shipped from a WB warehouse (FBW: this row is the only trace of the order), not the seller's."""
        return self.warehouse_type == FBW_WAREHOUSE_TYPE
