"""FBS assembly orders as the dashboard shows them (002 §3), with their status history.

An order is keyed by WB's FBS `id` (`order_id`); `rid` equals the statistics `srid`, which joins the
optional statistics-side fields (cancel flag, finished price, region…) onto it.

Money is roubles (the seller's currency) whatever the buyer paid in; the buyer's own amount and currency
are kept beside it as a `BuyerAmount` (docs/metrics.md has the mapping from WB's fields).
"""

import enum
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.money import KOPECK, Money
from domain.moscow_time import aware, ensure_utc, optional_aware, optional_to_utc, to_utc
from domain.order_status import (
    StatusPair,
    SupplierStatus,
    WbStatus,
    check_supplier_move,
    merge_observation,
)

if TYPE_CHECKING:
    from domain.validators import Field


class CargoType(enum.StrEnum):
    """Size class of the item: the dashboard shows these strings."""

    MGT = "MGT"
    SGT = "SGT"
    KGT = "KGT+"

    @classmethod
    def from_wb(cls, value: int | str | None) -> "CargoType | None":
        """Map WB's code (1/2/3 in /api/v3/orders, mgt/sgt/kgtPlus in the archive) to a CargoType.

        An unknown or missing code gives None: a size class WB adds tomorrow must not stop a sync, and the
        dashboard's `cargoType` is then null rather than wrong.
        """
        if value is None or isinstance(value, bool):
            return None
        return _CARGO_CODES.get(value.lower() if isinstance(value, str) else value)


_CARGO_CODES: dict[int | str, CargoType] = {
    1: CargoType.MGT,
    2: CargoType.SGT,
    3: CargoType.KGT,
    "mgt": CargoType.MGT,
    "sgt": CargoType.SGT,
    "kgtplus": CargoType.KGT,
}


RUB = 643  # ISO 4217 numeric code of the rouble, WB's `convertedCurrencyCode` for a Russian seller


def _currency_code(instance: object, attribute: "Field", value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 1000:
        raise InvalidValue(attribute.name, f"must be an ISO 4217 numeric code (1..999), got {value!r}")


def _non_negative_amount(instance: object, attribute: "Field", value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidValue(attribute.name, f"must be a non-negative Decimal, got {value!r}")


@attrs.frozen
class BuyerAmount:
    """An amount in the buyer's currency (`currencyCode`: 933 BYN, 398 KZT, 51 AMD, 417 KGS, 860 UZS,
    643 RUB…), as WB sent it, for information: the rouble amounts are what every sum uses."""

    amount: Decimal = attrs.field(validator=_non_negative_amount)
    currency_code: int = attrs.field(validator=_currency_code)


def at_order_rate(amount: BuyerAmount, buyer_price: BuyerAmount, price: Money) -> Money | None:
    """`amount` (buyer's currency) in roubles at the order's own rate, price / buyer_price: WB converts
    `price` but not `salePrice`, so the pair it converted is the only rate it tells us. Rounded to kopecks
    (the conversion's precision is one minor unit of the buyer's currency, not more). None when there is
    no rate: a zero buyer price in a foreign currency, or two different currencies."""
    if amount.currency_code != buyer_price.currency_code:
        return None
    if amount.currency_code == RUB:
        return Money(amount.amount)
    if buyer_price.amount == 0:
        return None
    return Money((amount.amount * price.amount / buyer_price.amount).quantize(KOPECK, rounding=ROUND_HALF_UP))


@attrs.frozen
class Address:
    """Delivery address; WB leaves any part null (and the whole address for most FBS orders)."""

    full_address: str | None = None
    longitude: float | None = None
    latitude: float | None = None


@attrs.frozen
class StatusChange:
    """One status-history entry: what the order's statuses were and became, and when we saw it."""

    order_id: int
    previous_supplier: SupplierStatus | None
    previous_wb: WbStatus | None
    supplier: SupplierStatus | None
    wb: WbStatus | None
    changed_at: datetime = attrs.field(converter=to_utc, validator=aware)

    @property
    def previous(self) -> StatusPair:
        return (self.previous_supplier, self.previous_wb)

    @property
    def current(self) -> StatusPair:
        return (self.supplier, self.wb)


def _non_negative_money(instance: object, attribute: "Field", value: Money | None) -> None:
    if value is not None and value.amount < 0:
        raise InvalidValue(attribute.name, "must not be negative")


@attrs.define(eq=False)
class Order:
    """An FBS assembly order of one cabinet. Statuses are None until the first status fetch, because
    `/api/v3/orders` lists orders without them."""

    cabinet_id: UUID
    order_id: int
    order_uid: str
    rid: str
    nm_id: int
    chrt_id: int
    vendor_code: str
    # Roubles: FBS `convertedPrice` (all discounts except WB Wallet, in the seller's currency).
    price: Money = attrs.field(validator=_non_negative_money)
    # Roubles: FBS `salePrice` (the seller's price after the seller's discount) converted at the order's
    # own rate convertedPrice/price. None when the listing did not carry it: only `/orders/new` sends it.
    sale_price: Money | None = attrs.field(validator=_non_negative_money)
    warehouse_id: int | None
    created_at: datetime = attrs.field(converter=to_utc, validator=aware)
    product_name: str | None = None
    # What the buyer was charged, in the buyer's currency (FBS `price` and `salePrice`, `currencyCode`).
    buyer_price: BuyerAmount | None = None
    buyer_sale_price: BuyerAmount | None = None
    delivery_type: str = "fbs"
    is_b2b: bool = False
    cargo_type: CargoType | None = None
    address: Address | None = None
    supplier_status: SupplierStatus | None = None
    wb_status: WbStatus | None = None
    status_updated_at: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )
    # Statistics side (GET /api/v1/supplier/orders), joined by srid == rid; None until that row arrives.
    is_cancel: bool | None = None
    cancel_date: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )
    finished_price: Money | None = None
    price_with_disc: Money | None = None
    warehouse_name: str | None = None
    region_name: str | None = None
    last_change_date: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )

    @property
    def currency_code(self) -> int:
        """The buyer's currency (643 when WB did not say otherwise)."""
        return RUB if self.buyer_price is None else self.buyer_price.currency_code

    @property
    def status(self) -> StatusPair:
        return (self.supplier_status, self.wb_status)

    def apply_status(
        self, supplier: SupplierStatus | None, wb: WbStatus | None, at: datetime
    ) -> StatusChange | None:
        """Record a polled status snapshot.

        The seller-side move is checked against the table (IllegalTransition names both states, and the
        order is left untouched); any wbStatus change is accepted, WB documents no machine for it. A side
        given as None keeps its value. Returns None when nothing changed (the same snapshot seen again),
        else the history entry, and moves `status_updated_at` to `at`.
        """
        check_supplier_move(self.supplier_status, supplier)
        return self.observe_status(supplier, wb, at)

    def observe_status(
        self, supplier: SupplierStatus | None, wb: WbStatus | None, at: datetime
    ) -> StatusChange | None:
        """Record what WB says without checking the table: WB is the source of truth, so a sync that met
        an anomaly (classify(...) contains ANOMALY) still mirrors it. Otherwise as apply_status."""
        at = ensure_utc(at, "at")
        previous = self.status
        current = merge_observation(previous, (supplier, wb))
        if current == previous:
            return None
        self.supplier_status, self.wb_status = current
        self.status_updated_at = at
        return StatusChange(self.order_id, previous[0], previous[1], current[0], current[1], at)
