from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.money import Money


def test_fbs_kopecks_become_roubles() -> None:
    assert Money.from_kopecks(504600).amount == Decimal("5046")
    assert Money.from_kopecks(1014).amount == Decimal("10.14")


@pytest.mark.parametrize("bad", [10.5, True, "100", None])
def test_kopecks_refuse_anything_but_an_int(bad: object) -> None:
    with pytest.raises(InvalidValue) as err:
        Money.from_kopecks(bad, field="salePrice")  # type: ignore[arg-type]
    assert err.value.field == "salePrice"


def test_statistics_float_is_read_as_printed_not_as_binary() -> None:
    # Decimal(1284.01) would be 1284.009999999999990905052982270717620849609375.
    assert Money.from_wb_number(1284.01).amount == Decimal("1284.01")
    assert Money.from_wb_number(0.1).amount + Money.from_wb_number(0.2).amount == Decimal("0.3")


@pytest.mark.parametrize(("raw", "expected"), [(1887, "1887"), ("1547.5", "1547.5"), (-93, "-93")])
def test_statistics_numbers_of_every_json_shape_parse(raw: int | float | str, expected: str) -> None:
    assert Money.from_wb_number(raw).amount == Decimal(expected)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "NaN", "-Infinity", "12,5", "", True])
def test_nan_infinity_and_garbage_are_refused(bad: object) -> None:
    with pytest.raises(InvalidValue):
        Money.from_wb_number(bad)  # type: ignore[arg-type]


def test_finance_strings_parse_and_garbage_names_the_field() -> None:
    assert Money.from_wb_string(" 1284.01 ").amount == Decimal("1284.01")
    with pytest.raises(InvalidValue) as err:
        Money.from_wb_string("abc", field="ppvz_for_pay")
    assert err.value.field == "ppvz_for_pay"
    with pytest.raises(InvalidValue):
        Money.from_wb_string(12.5)  # type: ignore[arg-type]


def test_rounding_is_half_up_and_only_at_presentation() -> None:
    half_kopeck = Money(Decimal("0.005"))
    assert half_kopeck.rounded() == Decimal("0.01")
    assert Money(Decimal("-0.005")).rounded() == Decimal("-0.01")
    # The amount itself keeps its precision: three half-kopecks sum to 1.5 kopecks, shown as 0.02.
    total = Money.sum([half_kopeck, half_kopeck, half_kopeck])
    assert total.amount == Decimal("0.015")
    assert str(total) == "0.02"


def test_arithmetic_stays_money_and_refuses_floats() -> None:
    price = Money(Decimal("10.10"))
    assert price + price == Money(Decimal("20.20"))
    assert price - Money(Decimal("0.10")) == Money(Decimal("10.00"))
    assert price * 3 == 3 * price == Money(Decimal("30.30"))
    assert price * Decimal("0.5") == Money(Decimal("5.05"))
    assert -price == Money(Decimal("-10.10"))
    with pytest.raises(InvalidValue):
        _ = price * 1.5  # type: ignore[operator]
    with pytest.raises(InvalidValue):
        _ = price * True
    with pytest.raises(TypeError):
        _ = price + 1  # type: ignore[operator]


def test_money_is_built_from_decimals_only() -> None:
    with pytest.raises(InvalidValue):
        Money(10)
    with pytest.raises(InvalidValue):
        Money(Decimal("NaN"))


def test_money_orders_by_amount() -> None:
    assert Money(Decimal(1)) < Money(Decimal(2))
    assert max([Money(Decimal(3)), Money(Decimal(-5))]) == Money(Decimal(3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-(10**9), max_value=10**9), max_size=30))
def test_sum_of_kopecks_is_exact(kopecks: list[int]) -> None:
    total = Money.sum(Money.from_kopecks(k) for k in kopecks)
    assert total.amount * 100 == sum(kopecks)
    assert total.rounded() == total.amount
