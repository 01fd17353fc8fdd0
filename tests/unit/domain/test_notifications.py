from datetime import UTC, datetime
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.events import DomainEvent, EventType
from domain.notifications import NotificationSettings, Suppression, should_notify, suppression_for

CABINET = UUID(int=7)
AT = datetime(2026, 1, 4, 12, tzinfo=UTC)
TOGGLE_OF = {
    EventType.NEW_ORDER: "new_orders_enabled",
    EventType.ORDER_BUYOUT: "order_buyouts_enabled",
    EventType.ORDER_CANCELLATION: "order_cancellations_enabled",
    EventType.ORDER_RETURN: "order_returns_enabled",
    EventType.NEGATIVE_REVIEW: "negative_reviews_enabled",
    EventType.CRITICAL_STOCK: "critical_stocks_enabled",
    EventType.MISSING_COGS: "missing_cogs_enabled",
}


def event(kind: EventType, **payload: object) -> DomainEvent:
    return DomainEvent(kind, CABINET, "s", AT, payload)


def test_defaults_switch_everything_on() -> None:
    s = NotificationSettings()
    assert all(getattr(s, name) for name in TOGGLE_OF.values())
    assert s.notifications_enabled and s.grouping_enabled
    assert (s.review_rating_threshold, s.stock_analysis_days, s.max_group_size, s.group_timeout) == (
        3,
        3,
        5,
        300,
    )
    assert s.excluded_stock_nm_ids == frozenset()


def test_partial_update_returns_a_new_object_and_keeps_the_rest() -> None:
    s = NotificationSettings()
    t = s.updated(
        {"new_orders_enabled": False, "excluded_stock_nm_ids": [5, 6, 5], "stock_analysis_days": 14}
    )
    assert (t.new_orders_enabled, t.excluded_stock_nm_ids, t.stock_analysis_days) == (False, {5, 6}, 14)
    assert t.order_buyouts_enabled and s.new_orders_enabled


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("notifications_enabled", 1, "true or false"),
        ("grouping_enabled", "true", "true or false"),
        ("review_rating_threshold", True, "0 to 5"),
        ("review_rating_threshold", 6, "0 to 5"),
        ("review_rating_threshold", "3", "0 to 5"),
        ("stock_analysis_days", 5, "1, 3, 7, 10, 14"),
        ("stock_analysis_days", 3.0, "1, 3, 7, 10, 14"),
        ("max_group_size", 0, "1 to 50"),
        ("max_group_size", 51, "1 to 50"),
        ("group_timeout", 301, "1 to 300"),
        ("excluded_stock_nm_ids", "123", "positive integers"),
        ("excluded_stock_nm_ids", [1, True], "positive integers"),
        ("excluded_stock_nm_ids", [-1], "positive integers"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_the_allowed_range(
    field: str, value: object, allowed: str
) -> None:
    with pytest.raises(InvalidValue) as err:
        NotificationSettings().updated({field: value})
    assert err.value.field == field
    assert allowed in err.value.reason


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        NotificationSettings().updated({"new_orders_enabled": False, "sound": True})
    assert err.value.field == "sound"


def test_a_dead_key_reaches_members_who_switched_everything_off() -> None:
    off = NotificationSettings(notifications_enabled=False)
    assert should_notify(event(EventType.CABINET_INVALID, reason="401"), off)


@pytest.mark.parametrize("kind", list(TOGGLE_OF))
def test_each_type_follows_its_own_switch_and_the_master_switch(kind: EventType) -> None:
    payload: dict[str, object] = {"rating": 1, "nm_id": 5, "level": 0, "previous_level": None}
    assert should_notify(event(kind, **payload), NotificationSettings())
    assert not should_notify(event(kind, **payload), NotificationSettings().updated({TOGGLE_OF[kind]: False}))
    assert not should_notify(event(kind, **payload), NotificationSettings(notifications_enabled=False))


def test_a_week_without_costs_is_told_by_default_and_silenced_by_its_own_switch_or_the_master() -> None:
    closed = event(EventType.MISSING_COGS, week="2026-W47", skus=4, units=12, revenue="12500.00")
    assert suppression_for(closed, NotificationSettings()) is None
    off = NotificationSettings(missing_cogs_enabled=False)
    assert suppression_for(closed, off) is Suppression.TYPE_DISABLED
    assert suppression_for(closed, NotificationSettings(notifications_enabled=False)) is (
        Suppression.NOTIFICATIONS_DISABLED
    )
    # Its own switch only: a member who silenced every other type still hears it.
    others = {name: False for kind, name in TOGGLE_OF.items() if kind is not EventType.MISSING_COGS}
    assert suppression_for(closed, NotificationSettings().updated(others)) is None
    assert not EventType.MISSING_COGS.groupable  # once a week per cabinet: never folded into a summary


def test_review_threshold_zero_means_no_review_alerts() -> None:
    assert not should_notify(
        event(EventType.NEGATIVE_REVIEW, rating=1), NotificationSettings(review_rating_threshold=0)
    )


def test_rules_refuse_to_guess_from_a_broken_payload() -> None:
    s = NotificationSettings()
    assert not should_notify(event(EventType.NEGATIVE_REVIEW), s)
    assert not should_notify(event(EventType.NEGATIVE_REVIEW, rating="1"), s)
    assert not should_notify(event(EventType.CRITICAL_STOCK, nm_id=5), s)
    assert not should_notify(event(EventType.CRITICAL_STOCK, nm_id=5, level="0"), s)
    assert not should_notify(event(EventType.CRITICAL_STOCK, nm_id=5, level=0, previous_level="3"), s)
    assert not should_notify(event(EventType.CRITICAL_STOCK, level=0), s)


def test_excluded_skus_never_alert_on_stock() -> None:
    s = NotificationSettings(excluded_stock_nm_ids=frozenset({5}))
    assert suppression_for(event(EventType.CRITICAL_STOCK, nm_id=5, level=0), s) is Suppression.IGNORED_SKU
    assert should_notify(event(EventType.CRITICAL_STOCK, nm_id=6, level=0), s)


member_settings = st.builds(
    NotificationSettings,
    notifications_enabled=st.booleans(),
    negative_reviews_enabled=st.booleans(),
    critical_stocks_enabled=st.booleans(),
    review_rating_threshold=st.integers(0, 5),
    stock_analysis_days=st.sampled_from([1, 3, 7, 10, 14]),
    excluded_stock_nm_ids=st.frozensets(st.integers(1, 4), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(member_settings, st.integers(1, 5))
def test_review_alert_iff_enabled_and_rating_at_or_below_threshold(
    s: NotificationSettings, rating: int
) -> None:
    expected = (
        s.notifications_enabled and s.negative_reviews_enabled and 0 < rating <= s.review_rating_threshold
    )
    assert should_notify(event(EventType.NEGATIVE_REVIEW, rating=rating), s) == expected


levels = st.sampled_from([None, 0, 1, 3, 7, 10, 14])


@settings(max_examples=300, deadline=None)
@given(member_settings, st.integers(1, 4), levels, levels)
def test_stock_alert_iff_enabled_not_excluded_and_crossing_the_member_horizon(
    s: NotificationSettings, nm_id: int, previous: int | None, level: int | None
) -> None:
    expected = (
        s.notifications_enabled
        and s.critical_stocks_enabled
        and nm_id not in s.excluded_stock_nm_ids
        and level is not None
        and level <= s.stock_analysis_days
        and (previous is None or previous > s.stock_analysis_days)
    )
    e = event(EventType.CRITICAL_STOCK, nm_id=nm_id, level=level, previous_level=previous)
    assert should_notify(e, s) == expected
