"""A user's notification settings (000, "Настройки") and the rule that decides who hears an event.

Settings are strict: the bot API passes JSON through, and `1` for a switch or `true` for a count is a
client bug worth a clear 400, not a guess.
"""

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeGuard

import attrs

from domain.errors import InvalidValue
from domain.events import DomainEvent, EventType
from domain.reviews import is_negative

if TYPE_CHECKING:
    from domain.validators import Field

STOCK_ANALYSIS_DAYS = (1, 3, 7, 10, 14)


def _bool(instance: object, attribute: "Field", value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValue(attribute.name, f"must be true or false, got {value!r}")


def _int_in(low: int, high: int) -> Callable[[object, "Field", object], None]:
    def check(instance: object, attribute: "Field", value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(attribute.name, f"must be an integer from {low} to {high}, got {value!r}")

    return check


def _analysis_days(instance: object, attribute: "Field", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in STOCK_ANALYSIS_DAYS:
        allowed = ", ".join(map(str, STOCK_ANALYSIS_DAYS))
        raise InvalidValue(attribute.name, f"must be one of {allowed}, got {value!r}")


def _nm_ids(value: Iterable[int]) -> frozenset[int]:
    # A string is iterable too; "123" must not become {"1", "2", "3"}.
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValue("excluded_stock_nm_ids", "must be a list of positive integers")
    items = list(value)
    if any(isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in items):
        raise InvalidValue("excluded_stock_nm_ids", f"must be a list of positive integers, got {items!r}")
    return frozenset(items)


@attrs.frozen
class NotificationSettings:
    """One user's settings; the defaults are what a new user gets (everything on)."""

    notifications_enabled: bool = attrs.field(default=True, validator=_bool)
    new_orders_enabled: bool = attrs.field(default=True, validator=_bool)
    order_buyouts_enabled: bool = attrs.field(default=True, validator=_bool)
    order_cancellations_enabled: bool = attrs.field(default=True, validator=_bool)
    order_returns_enabled: bool = attrs.field(default=True, validator=_bool)
    negative_reviews_enabled: bool = attrs.field(default=True, validator=_bool)
    critical_stocks_enabled: bool = attrs.field(default=True, validator=_bool)
    # Reviews rated at or below this are alerted; 0 switches review alerts off.
    review_rating_threshold: int = attrs.field(default=3, validator=_int_in(0, 5))
    # A stock is critical for this user when it lasts at most this many days.
    stock_analysis_days: int = attrs.field(default=3, validator=_analysis_days)
    grouping_enabled: bool = attrs.field(default=True, validator=_bool)
    max_group_size: int = attrs.field(default=5, validator=_int_in(1, 50))
    group_timeout: int = attrs.field(default=300, validator=_int_in(1, 300))  # seconds
    excluded_stock_nm_ids: frozenset[int] = attrs.field(factory=frozenset, converter=_nm_ids)

    def updated(self, changes: Mapping[str, object]) -> "NotificationSettings":
        """A copy with `changes` applied (a partial update). Raises InvalidValue naming the first unknown
        field or bad value; nothing is applied then."""
        known = {a.name for a in attrs.fields(NotificationSettings)}
        for name in changes:
            if name not in known:
                raise InvalidValue(str(name), "unknown notification setting")
        checked: dict[str, Any] = dict(changes)  # the validators check each value's type strictly
        return attrs.evolve(self, **checked)


_TOGGLES = {
    EventType.NEW_ORDER: "new_orders_enabled",
    EventType.ORDER_BUYOUT: "order_buyouts_enabled",
    EventType.ORDER_CANCELLATION: "order_cancellations_enabled",
    EventType.ORDER_RETURN: "order_returns_enabled",
    EventType.NEGATIVE_REVIEW: "negative_reviews_enabled",
    EventType.CRITICAL_STOCK: "critical_stocks_enabled",
}


def should_notify(event: DomainEvent, settings: NotificationSettings) -> bool:
    """Whether a member with `settings` hears `event`.

    cabinet_invalid always goes out, even with notifications off: a rejected key silently stops every
    other alert, so it is the one message a seller must not be able to miss. Otherwise: the master
    switch, the type's switch, then the type's own rule (review threshold on payload "rating"; for
    critical_stock, excluded SKUs and `stock_analysis_days` against payload "days_left"). A payload
    missing the field a rule needs is not notified rather than guessed.
    """
    if event.type is EventType.CABINET_INVALID:
        return True
    if not settings.notifications_enabled or not getattr(settings, _TOGGLES[event.type]):
        return False
    if event.type is EventType.NEGATIVE_REVIEW:
        rating = event.payload.get("rating")
        return _is_int(rating) and is_negative(rating, settings.review_rating_threshold)
    if event.type is EventType.CRITICAL_STOCK:
        return _stock_is_critical_for(event, settings)
    return True


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _stock_is_critical_for(event: DomainEvent, settings: NotificationSettings) -> bool:
    nm_id = event.payload.get("nm_id")
    if not _is_int(nm_id) or nm_id in settings.excluded_stock_nm_ids:
        return False
    try:
        days_left = Decimal(str(event.payload.get("days_left")))
    except InvalidOperation:
        return False
    return days_left.is_finite() and days_left <= settings.stock_analysis_days
