"""Money in roubles as an exact Decimal: WB sends kopecks (FBS), numbers (statistics) and strings (finance).

Floats never enter: a binary float such as 1284.01 is read through its shortest repr, so the rouble
amount is the one WB printed. Amounts keep their full precision in arithmetic and are rounded to
kopecks (ROUND_HALF_UP) only when shown, so sums of many rows do not drift.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

from domain.errors import InvalidValue

KOPECK = Decimal("0.01")


def _finite(value: Decimal, field: str) -> Decimal:
    if not value.is_finite():
        raise InvalidValue(field, f"must be a finite amount, got {value}")
    return value


def _amount(value: object) -> Decimal:
    if not isinstance(value, Decimal):
        raise InvalidValue("amount", f"must be a Decimal, got {type(value).__name__}")
    return _finite(value, "amount")


def _factor(value: object) -> Decimal:
    # bool is an int subclass and float is inexact: both would hide a bug in the caller.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvalidValue("factor", f"must be an int or Decimal, got {type(value).__name__}")
    return _finite(Decimal(value), "factor")


@attrs.frozen(order=True)
class Money:
    """An amount of roubles; may be negative (WB reports returns with signed amounts)."""

    amount: Decimal = attrs.field(converter=_amount)

    @classmethod
    def zero(cls) -> "Money":
        return cls(Decimal(0))

    @classmethod
    def from_kopecks(cls, kopecks: int, field: str = "amount") -> "Money":
        """WB FBS prices (`price`, `salePrice`, …) are integers ×100. Refuses non-integers."""
        if isinstance(kopecks, bool) or not isinstance(kopecks, int):
            raise InvalidValue(field, f"kopecks must be an int, got {type(kopecks).__name__}")
        return cls(Decimal(kopecks) / 100)

    @classmethod
    def from_wb_number(cls, value: int | float | str, field: str = "amount") -> "Money":
        """A rouble amount from the statistics API (a JSON number). NaN, Infinity and bools are refused."""
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise InvalidValue(field, f"must be a number, got {type(value).__name__}")
        # str() of a float is its shortest round-tripping repr: 1284.01 stays 1284.01, not 1284.0099…
        return cls._parse(str(value), field)

    @classmethod
    def from_wb_string(cls, value: str, field: str = "amount") -> "Money":
        """A rouble amount the finance API sends as a string, e.g. "1284.01"."""
        if not isinstance(value, str):
            raise InvalidValue(field, f"must be a string, got {type(value).__name__}")
        return cls._parse(value, field)

    @classmethod
    def _parse(cls, text: str, field: str) -> "Money":
        try:
            parsed = Decimal(text.strip())
        except InvalidOperation as exc:
            raise InvalidValue(field, f"not a number: {text!r}") from exc
        return cls(_finite(parsed, field))

    @staticmethod
    def sum(items: Iterable["Money"]) -> "Money":
        """The exact total; an empty iterable sums to zero."""
        total = Decimal(0)
        for item in items:
            total += item.amount
        return Money(total)

    def rounded(self) -> Decimal:
        """The amount in whole kopecks, for presentation only."""
        return self.amount.quantize(KOPECK, rounding=ROUND_HALF_UP)

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount + other.amount)

    def __sub__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount - other.amount)

    def __mul__(self, factor: int | Decimal) -> "Money":
        return Money(self.amount * _factor(factor))

    __rmul__ = __mul__

    def __neg__(self) -> "Money":
        return Money(-self.amount)

    def __str__(self) -> str:
        return str(self.rounded())
