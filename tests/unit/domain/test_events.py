from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.events import (
    DomainEvent,
    EventType,
    StockFall,
    cabinet_invalid_event,
    critical_stock_event,
    days_left_text,
    missing_cogs_event,
    order_events,
    return_event,
    review_event,
    status_change_events,
    sync_completed_event,
    token_expiring_event,
)
from domain.order_status import ChangeKind, SupplierStatus, WbStatus
from domain.unit_economics import MissingCogsSummary
from tests.unit.domain.factories import CABINET, make_order, make_review, make_sale

AT = datetime(2026, 1, 4, 12, tzinfo=UTC)
K = ChangeKind


def test_order_event_keys_are_type_cabinet_and_srid() -> None:
    order = make_order(order_id=777)
    events = order_events(order, frozenset({K.CANCELLATION}), AT)
    # srid (the FBS rid), so that the statistics source telling the same order dedupes against it
    assert [e.dedupe_key for e in events] == [f"order_cancellation:{CABINET}:{order.rid}"]


def test_each_news_kind_gives_its_event_and_history_kinds_give_none() -> None:
    order = make_order()
    types = [e.type for e in order_events(order, frozenset(ChangeKind), AT)]
    assert types == [EventType.NEW_ORDER, EventType.ORDER_CANCELLATION, EventType.ORDER_BUYOUT]
    assert order_events(order, frozenset({K.PROGRESS, K.ANOMALY}), AT) == []


def test_a_recorded_cancellation_becomes_an_order_cancellation_event() -> None:
    order = make_order(supplier_status=SupplierStatus.CONFIRM, wb_status=WbStatus.WAITING)
    change = order.apply_status(SupplierStatus.CANCEL, WbStatus.CANCELED, AT)
    assert change is not None
    [event] = status_change_events(order, change)
    assert event.type is EventType.ORDER_CANCELLATION
    assert event.occurred_at == AT
    assert event.payload["supplier_status"] == "cancel"
    assert type(event.payload["supplier_status"]) is str  # plain, not the enum
    assert event.payload["sale_price"] == "1200.00"


def test_returns_are_keyed_by_sale_id_and_sales_give_no_return_event() -> None:
    event = return_event(make_sale("R42"))
    assert event is not None
    assert event.dedupe_key == f"order_return:{CABINET}:R42"
    assert event.payload["for_pay"] == "1284.01"
    assert return_event(make_sale("S42")) is None
    assert return_event(make_sale("B42")) is None


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_every_new_review_is_a_candidate_carrying_its_rating(rating: int) -> None:
    event = review_event(make_review(rating=rating, id="fb1"))
    assert event.type is EventType.NEGATIVE_REVIEW
    assert event.payload["rating"] == rating
    assert event.dedupe_key == f"negative_review:{CABINET}:fb1"


def test_each_fall_of_a_stock_level_is_its_own_event_keyed_by_sku_level_and_moment() -> None:
    fall = StockFall(55, 2, Decimal("2.5"), 3, None)
    first = critical_stock_event(CABINET, fall, AT)
    assert first.dedupe_key == f"critical_stocks:{CABINET}:55:3:{int(AT.timestamp())}"
    assert dict(first.payload) == {
        "nm_id": 55, "quantity": 2, "days_left": "2.50", "level": 3, "previous_level": None,
        "product_name": None, "vendor_code": None,
    }  # fmt: skip
    # The same fall again after a recovery (a later moment) is news again; another level is another key.
    assert critical_stock_event(CABINET, fall, AT + timedelta(hours=1)).dedupe_key != first.dedupe_key
    sold_out = critical_stock_event(CABINET, StockFall(55, 0, Decimal(0), 0, 3), AT)
    assert sold_out.dedupe_key != first.dedupe_key
    assert (sold_out.payload["days_left"], sold_out.payload["previous_level"]) == ("0.00", 3)


def test_a_fall_without_an_order_rate_carries_no_days_left() -> None:
    event = critical_stock_event(CABINET, StockFall(55, 0, None, 0, None), AT)
    assert event.payload["days_left"] is None and event.payload["level"] == 0


@pytest.mark.parametrize(
    ("left", "threshold", "days_left"),
    [
        (timedelta(days=8), None, None),
        (timedelta(days=7), 7, 7),
        (timedelta(days=6, hours=12), 7, 6),
        (timedelta(days=3), 7, 3),
        (timedelta(days=1), 1, 1),
        (timedelta(hours=12), 1, 0),
        (timedelta(seconds=1), 1, 0),
        (timedelta(0), None, None),  # expired: cabinet_invalid tells that
        (-timedelta(days=1), None, None),
    ],
)
def test_a_key_is_warned_at_the_most_urgent_threshold_it_reached(
    left: timedelta, threshold: int | None, days_left: int | None
) -> None:
    event = token_expiring_event(CABINET, "f" * 64, AT + left, AT)
    if threshold is None:
        assert event is None
        return
    assert event is not None and event.type is EventType.TOKEN_EXPIRING
    assert event.dedupe_key == f"token_expiring:{CABINET}:{threshold}d:{'f' * 16}"
    assert dict(event.payload) == {"expires_at": (AT + left).isoformat(), "days_left": days_left}


def test_a_new_key_is_warned_anew() -> None:
    old = token_expiring_event(CABINET, "a" * 64, AT + timedelta(days=5), AT)
    new = token_expiring_event(CABINET, "b" * 64, AT + timedelta(days=5), AT)
    later = token_expiring_event(CABINET, "a" * 64, AT + timedelta(days=5), AT + timedelta(hours=1))
    assert old is not None and new is not None and later is not None
    assert old.dedupe_key == later.dedupe_key != new.dedupe_key


def test_a_week_without_costs_is_one_event_per_cabinet_and_week_naming_five_articles() -> None:
    summary = MissingCogsSummary("2026-W47", 6, Decimal("12500"), (9, 8, 7, 6, 5, 4), 14)
    event = missing_cogs_event(CABINET, summary, False, AT, "Shop")
    again = missing_cogs_event(CABINET, summary, True, AT + timedelta(days=2))
    assert event is not None and again is not None and event.type is EventType.MISSING_COGS
    assert event.dedupe_key == again.dedupe_key == f"missing_cogs:{CABINET}:2026-W47"
    assert dict(event.payload) == {
        "week": "2026-W47", "skus": 6, "units": 14, "revenue": "12500.00", "nm_ids": "4,5,6,7,8",
        "provisional": False, "cabinet_name": "Shop",
    }  # fmt: skip
    assert missing_cogs_event(CABINET, MissingCogsSummary("2026-W47", 0, Decimal(0), (), 0), True, AT) is None


def test_sync_completed_is_once_per_cabinet_with_its_counts() -> None:
    event = sync_completed_event(CABINET, {"orders": 3, "reviews": 0}, AT)
    later = sync_completed_event(CABINET, {"orders": 4, "reviews": 1}, AT + timedelta(days=1))
    assert event.dedupe_key == later.dedupe_key == f"sync_completed:{CABINET}:first_sync"
    assert dict(event.payload) == {"orders": 3, "reviews": 0}


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=0, max_value=20, allow_nan=False, allow_infinity=False, places=6),
    st.integers(0, 14),
)
def test_days_left_text_compares_to_whole_days_like_the_exact_value(days: Decimal, threshold: int) -> None:
    assert (Decimal(days_left_text(days)) <= threshold) == (days <= threshold)


def test_cabinet_invalid_is_keyed_per_cabinet_and_invalidation_not_per_day() -> None:
    first = cabinet_invalid_event(CABINET, "401 from WB", AT, 1)
    assert first.dedupe_key == f"cabinet_invalid:{CABINET}:api_key:1"
    racing = cabinet_invalid_event(CABINET, "token withdrawn", AT + timedelta(minutes=1), 1)
    assert racing.dedupe_key == first.dedupe_key  # two units racing to invalidate write one event
    after_reconnect = cabinet_invalid_event(CABINET, "401 from WB", AT + timedelta(hours=1), 2)
    assert after_reconnect.dedupe_key != first.dedupe_key  # same day, still news


def test_payload_is_a_frozen_copy_of_primitives() -> None:
    source: dict[str, object] = {"order_id": 1}
    event = DomainEvent(EventType.NEW_ORDER, CABINET, "1", AT, source)
    source["order_id"] = 2
    assert event.payload["order_id"] == 1
    with pytest.raises(TypeError):
        event.payload["order_id"] = 3  # type: ignore[index]
    assert hash(event) == hash(DomainEvent(EventType.NEW_ORDER, CABINET, "1", AT, {"order_id": 1}))


@pytest.mark.parametrize("bad", [{"amount": 12.5}, {"when": AT}, {1: "x"}, ["not", "a", "mapping"]])
def test_payload_refuses_non_primitives(bad: object) -> None:
    with pytest.raises(InvalidValue) as err:
        DomainEvent(EventType.NEW_ORDER, CABINET, "1", AT, bad)  # type: ignore[arg-type]
    assert err.value.field == "payload"


def test_events_refuse_naive_times() -> None:
    with pytest.raises(InvalidValue) as err:
        DomainEvent(EventType.NEW_ORDER, CABINET, "1", datetime(2026, 1, 4, 12))
    assert err.value.field == "occurred_at"
