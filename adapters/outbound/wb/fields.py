"""Defensive, typed reads of one WB JSON object: a missing optional field is fine, a missing required or
mistyped field raises WbBadPayload naming the object and the field (never a KeyError or TypeError)."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from adapters.outbound.wb.errors import WbBadPayload
from domain.errors import DomainError
from domain.money import Money
from domain.moscow_time import parse_wb_moscow

T = TypeVar("T")
_MISSING = object()


class Row:
    """One JSON object from WB; `what` (e.g. "FBS order") prefixes every error."""

    def __init__(self, data: Any, what: str) -> None:
        if not isinstance(data, dict):
            raise WbBadPayload(what, f"expected a JSON object, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.what = what

    def fail(self, key: str, reason: str) -> WbBadPayload:
        return WbBadPayload(f"{self.what}.{key}", reason)

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def _get(self, key: str, kinds: type | tuple[type, ...], default: Any) -> Any:
        value = self.data.get(key)
        if value is None:
            if default is _MISSING:
                raise self.fail(key, "missing")
            return default
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise self.fail(key, f"expected {kinds}, got bool")
        if not isinstance(value, kinds):
            raise self.fail(key, f"expected {getattr(kinds, '__name__', kinds)}, got {type(value).__name__}")
        return value

    def integer(self, key: str, default: Any = _MISSING) -> Any:
        return self._get(key, int, default)

    def text(self, key: str, default: Any = _MISSING) -> Any:
        return self._get(key, str, default)

    def flag(self, key: str, default: Any = _MISSING) -> Any:
        return self._get(key, bool, default)

    def obj(self, key: str) -> "Row | None":
        value = self.data.get(key)
        return None if value is None else Row(value, f"{self.what}.{key}")

    def decimal(self, key: str) -> Decimal:
        value = self._get(key, (int, float, Decimal, str), _MISSING)
        try:
            parsed = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"not a number: {value!r}") from None
        if not parsed.is_finite():
            raise self.fail(key, f"not a finite number: {value!r}")
        return parsed

    def kopecks(self, key: str) -> Money:
        return self.convert(key, Money.from_kopecks, self.integer(key))

    def roubles(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, (int, float, Decimal, str), default)
        return value if value is default else self.convert(key, Money.from_wb_number, value)

    def moscow(self, key: str) -> datetime | None:
        """An optional WB date: Moscow wall time without a zone (an explicit offset is honoured) → UTC;
        missing, null or WB's "0001-01-01…" empty value give None."""
        value = self.text(key, None)
        return None if value is None else self.convert(key, parse_wb_moscow, value)

    def moscow_required(self, key: str) -> datetime:
        value = self.convert(key, parse_wb_moscow, self.text(key))
        if value is None:
            raise self.fail(key, "empty date")
        return value

    def convert(self, key: str, func: Callable[..., T], value: Any) -> T:
        try:
            return func(value)
        except (DomainError, ValueError, TypeError) as exc:
            raise self.fail(key, str(exc)) from None


def build(what: str, factory: Callable[..., T], **fields: Any) -> T:
    """Construct a domain object; its own invariant errors become WbBadPayload naming `what`."""
    try:
        return factory(**fields)
    except DomainError as exc:
        raise WbBadPayload(what, str(exc)) from None
