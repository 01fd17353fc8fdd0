"""A user's notification settings (000, "Настройки") and the rule that decides who hears an event.

Settings are strict: the bot API passes JSON through, and `1` for a switch or `true` for a count is a
client bug worth a clear 400, not a guess.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeGuard

import attrs

from domain.errors import InvalidValue
from domain.events import DomainEvent, EventType
from domain.reviews import is_negative
from domain.stocks import STOCK_ANALYSIS_DAYS as STOCK_ANALYSIS_DAYS
from domain.stocks import crosses_threshold

if TYPE_CHECKING:
    from domain.validators import Field


class DeliveryStatus(enum.StrEnum):
    """Where one notification to one member stands."""

    PENDING = "pending"  # to be delivered (or being delivered, or waiting for a retry)
    SENT = "sent"  # the bot answered 2xx
    FAILED = "failed"  # dead-lettered: retries exhausted (or the bot refused it for good)
    SUPPRESSED = "suppressed"  # recorded for the delivery log, never sent; `Suppression` says why


class Suppression(enum.StrEnum):
    """Why a member was not told about an event (the delivery log shows it)."""

    NOTIFICATIONS_DISABLED = "notifications_disabled"
    TYPE_DISABLED = "type_disabled"
    BELOW_THRESHOLD = "below_threshold"
    IGNORED_SKU = "ignored_sku"
    TOO_OLD = "too_old"
    BACKFILL = "backfill"
    GROUPED = "grouped"


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
    # Ours, beyond the seed: a closed week sold SKUs without a cost (issue 11 part 5).
    missing_cogs_enabled: bool = attrs.field(default=True, validator=_bool)
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
    EventType.MISSING_COGS: "missing_cogs_enabled",
}


# Told to every member whatever their toggles (the master switch included): a rejected key silently stops
# every other alert, so it is the one message a seller must not be able to miss.
_ALWAYS = frozenset({EventType.CABINET_INVALID})
# About the cabinet itself, not a kind of sale: only the master switch turns them off.
_NO_TOGGLE = frozenset({EventType.TOKEN_EXPIRING, EventType.SYNC_COMPLETED})


def suppression_for(
    event: DomainEvent,
    settings: NotificationSettings,
    now: datetime | None = None,
    max_age: timedelta | None = None,
) -> Suppression | None:
    """Why a member with `settings` is not told `event`, or None when they are.

    In order: an event older than `max_age` at `now` (when given) is TOO_OLD (WB statistics arrive hours
    late; a days-old "new order" is noise); cabinet_invalid then always goes out; otherwise the master
    switch, the type's switch (token_expiring and sync_completed have none), then the type's own rule:
    the review threshold on payload "rating", and for critical stock the member's ignore list and
    whether the fall from payload "previous_level" to "level" crossed `stock_analysis_days`. A payload
    missing the field a rule needs is BELOW_THRESHOLD rather than guessed.
    """
    if now is not None and max_age is not None and event.occurred_at < now - max_age:
        return Suppression.TOO_OLD
    if event.type in _ALWAYS:
        return None
    if not settings.notifications_enabled:
        return Suppression.NOTIFICATIONS_DISABLED
    if event.type in _NO_TOGGLE:
        return None
    if not getattr(settings, _TOGGLES[event.type]):
        return Suppression.TYPE_DISABLED
    if event.type is EventType.NEGATIVE_REVIEW:
        rating = event.payload.get("rating")
        if _is_int(rating) and is_negative(rating, settings.review_rating_threshold):
            return None
        return Suppression.BELOW_THRESHOLD
    if event.type is EventType.CRITICAL_STOCK:
        return _stock_suppression(event, settings)
    return None


def should_notify(event: DomainEvent, settings: NotificationSettings) -> bool:
    """Whether a member with `settings` hears `event` (age aside): `suppression_for` finds no reason."""
    return suppression_for(event, settings) is None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _stock_suppression(event: DomainEvent, settings: NotificationSettings) -> Suppression | None:
    nm_id = event.payload.get("nm_id")
    if not _is_int(nm_id):
        return Suppression.BELOW_THRESHOLD
    if nm_id in settings.excluded_stock_nm_ids:
        return Suppression.IGNORED_SKU
    # Told once per crossing of the member's own threshold (domain.stocks): a fall that stays on one side
    # of it (5 → 2 days for a 1-day member, 2 → 0 for a 3-day one) is not news to them.
    level, previous = event.payload.get("level"), event.payload.get("previous_level")
    if not _is_int(level) or not (previous is None or _is_int(previous)):
        return Suppression.BELOW_THRESHOLD
    if crosses_threshold(previous, level, settings.stock_analysis_days):
        return None
    return Suppression.BELOW_THRESHOLD
