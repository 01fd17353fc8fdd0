from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.reviews import is_negative
from domain.stocks import StockLevel, days_of_stock_left, is_critical
from tests.unit.domain.factories import CABINET, make_review


def test_days_left_is_stock_over_daily_order_rate() -> None:
    # 10 units, 21 orders in 7 days = 3 a day -> 3.33… days.
    assert days_of_stock_left(10, 21, 7) == Decimal(10) * 7 / 21
    assert days_of_stock_left(9, 21, 7) == Decimal(3)


def test_no_orders_means_the_stock_never_runs_out() -> None:
    assert days_of_stock_left(5, 0, 7) is None
    assert not is_critical(5, 0, 7, threshold_days=14)


def test_no_stock_is_zero_days_even_without_orders() -> None:
    assert days_of_stock_left(0, 0, 7) == 0
    assert is_critical(0, 0, 7, threshold_days=1)


def test_the_threshold_day_itself_is_critical() -> None:
    assert is_critical(9, 21, 7, threshold_days=3)
    assert not is_critical(10, 21, 7, threshold_days=3)


@pytest.mark.parametrize(("args", "field"), [((-1, 1, 7), "quantity"), ((1, -1, 7), "orders_in_window")])
def test_negative_counts_are_refused(args: tuple[int, int, int], field: str) -> None:
    with pytest.raises(InvalidValue) as err:
        days_of_stock_left(*args)
    assert err.value.field == field
    with pytest.raises(InvalidValue):
        days_of_stock_left(1, 1, 0)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 500), st.integers(1, 30), st.integers(0, 14))
def test_critical_means_orders_at_the_current_rate_empty_the_stock_within_the_threshold(
    quantity: int, orders: int, window: int, threshold: int
) -> None:
    # Cross-multiplied, no division: quantity * window <= threshold * orders.
    expected = quantity == 0 or (orders > 0 and quantity * window <= threshold * orders)
    assert is_critical(quantity, orders, window, threshold) == expected


def test_stock_levels_refuse_negative_quantities() -> None:
    with pytest.raises(InvalidValue) as err:
        StockLevel(CABINET, 1, 2, 507, "Коледино", quantity=-3)
    assert err.value.field == "quantity"


def test_rating_must_be_one_to_five() -> None:
    for bad in (0, 6, True):
        with pytest.raises(InvalidValue) as err:
            make_review(rating=bad)
        assert err.value.field == "rating"
    assert make_review(rating=5).rating == 5


def test_review_time_must_be_aware() -> None:
    with pytest.raises(InvalidValue):
        make_review(created_at=datetime(2024, 9, 26, 10, 20))
    assert make_review(created_at=datetime(2024, 9, 26, 7, 20, tzinfo=UTC)).created_at.tzinfo is UTC


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), st.integers(0, 5))
def test_negative_means_at_or_below_a_nonzero_threshold(rating: int, threshold: int) -> None:
    assert is_negative(rating, threshold) == (threshold != 0 and rating <= threshold)


@pytest.mark.parametrize("bad", [-1, 6, True])
def test_threshold_outside_zero_to_five_is_refused(bad: int) -> None:
    with pytest.raises(InvalidValue) as err:
        is_negative(3, bad)
    assert err.value.field == "review_rating_threshold"
