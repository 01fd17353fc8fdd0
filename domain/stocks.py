"""Stock levels per size and warehouse, and the rules that call a stock critical.

The rows come from the analytics stocks report (reference §2.2, the replacement of supplier/stocks):
one row is one size (`chrt_id`) in one WB warehouse.

Critical stock is told on crossings, not while it lasts (decision 0007, its notifications update): after
each snapshot an nm_id has an *alert level*, the shortest horizon its days of stock left fit in, and a
member hears of it when the level falls to or below their `stock_analysis_days` from above it.
"""

from decimal import Decimal
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.validators import non_negative

# The horizons a member may pick as `stock_analysis_days` (seed 000 §1), and the levels above zero.
STOCK_ANALYSIS_DAYS = (1, 3, 7, 10, 14)


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


def alert_level(days_left: Decimal | None) -> int | None:
    """The nm_id's level after a snapshot: 0 when it is sold out (0 days left), else the shortest of
    STOCK_ANALYSIS_DAYS its days left are at or below, else None (not critical at any horizon; also
    "never runs out", None days). So `level <= T` exactly when `days_left <= T` for every horizon T."""
    if days_left is None:
        return None
    if days_left <= 0:
        return 0
    return next((days for days in STOCK_ANALYSIS_DAYS if days_left <= days), None)


def level_fell(previous: int | None, level: int | None) -> bool:
    """Whether a snapshot took an nm_id to a more critical level (None, not critical, counts as
    infinity): the only change that is news. A rise is a recovery, told to no one."""
    return level is not None and (previous is None or level < previous)


def crosses_threshold(previous: int | None, level: int | None, threshold_days: int) -> bool:
    """Whether a fall from `previous` to `level` makes the stock critical for a member whose horizon is
    `threshold_days`: critical now (sold out always is) and not critical before. A member is told once
    when their threshold is crossed, and again only after the stock has recovered above it."""
    critical_now = level is not None and level <= threshold_days
    return critical_now and (previous is None or previous > threshold_days)
