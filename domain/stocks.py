"""Stock levels per size and warehouse, and the rule that calls a stock critical.

The rows come from the analytics stocks report (reference §2.2, the replacement of supplier/stocks):
one row is one size (`chrt_id`) in one WB warehouse.
"""

from decimal import Decimal
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.validators import non_negative


@attrs.frozen
class StockLevel:
    """A snapshot of one size in one warehouse."""

    cabinet_id: UUID
    nm_id: int
    chrt_id: int | None
    warehouse_id: int | None
    warehouse_name: str
    quantity: int = attrs.field(validator=non_negative)
    in_way_to_client: int = attrs.field(default=0, validator=non_negative)
    in_way_from_client: int = attrs.field(default=0, validator=non_negative)


def _count(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidValue(name, f"must be an int >= {minimum}, got {value!r}")


def days_of_stock_left(quantity: int, orders_in_window: int, window_days: int) -> Decimal | None:
    """How many days `quantity` lasts at the order rate of the last `window_days` days (exact Decimal).

    None means "never runs out at this rate" (stock but no orders). No stock at all is 0 days whatever the
    orders: an SKU that sold out early in the window has few orders *because* it is out, and hiding it as
    infinite would silence the alert that matters most (excluded_stock_nm_ids is for retired SKUs).
    Raises InvalidValue for negative counts or a window under one day.
    """
    _count("quantity", quantity, 0)
    _count("orders_in_window", orders_in_window, 0)
    _count("window_days", window_days, 1)
    if quantity == 0:
        return Decimal(0)
    if orders_in_window == 0:
        return None
    return Decimal(quantity) * window_days / orders_in_window


def is_critical(quantity: int, orders_in_window: int, window_days: int, threshold_days: int) -> bool:
    """True when the stock lasts at most `threshold_days` days (the boundary counts as critical)."""
    _count("threshold_days", threshold_days, 0)
    days_left = days_of_stock_left(quantity, orders_in_window, window_days)
    return days_left is not None and days_left <= threshold_days
