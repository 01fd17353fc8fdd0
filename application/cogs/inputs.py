"""A cost as a seller enters it (one POST/PUT body, one bulk row), checked field by field.

The same checks serve JSON (typed values) and CSV (text): every problem is an InvalidValue naming the
field, so a bulk row reports all of its problems at once. Decisions (docs/decisions/0020-cogs-api.md):
RUB only (every figure it meets is roubles; there is no exchange rate to convert with); kopecks at most,
as `cogs_versions.unit_cost` stores them; dates are Moscow calendar days, 2000-01-01..2100-12-31.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

import attrs

from domain.cogs import CogsVersion
from domain.errors import InvalidValue

CURRENCIES = frozenset({"RUB"})
MAX_COST = Decimal("999999999999.99")  # NUMERIC(14, 2)
MAX_NM_ID = 2**63 - 1
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"\d{1,19}")
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")
FIELDS = ("nm_id", "unit_cost", "currency", "valid_from", "valid_to")


@attrs.frozen
class CogsEntry:
    """One checked cost of one SKU from valid_from through valid_to (inclusive; None: open-ended)."""

    nm_id: int
    unit_cost: Decimal
    currency: str
    valid_from: date
    valid_to: date | None

    def version(self, version_id: UUID, cabinet_id: UUID, at: datetime) -> CogsVersion:
        return CogsVersion(
            id=version_id, cabinet_id=cabinet_id, nm_id=self.nm_id, unit_cost=self.unit_cost,
            valid_from=self.valid_from, created_at=at, valid_to=self.valid_to, currency=self.currency,
        )  # fmt: skip


def entry_problems(raw: Mapping[str, object], decimal_comma: bool = False) -> CogsEntry | list[InvalidValue]:
    """The entry, or every problem of `raw` (fields by FIELDS' names; unknown keys are refused).
    `decimal_comma`: a CSV from a Russian spreadsheet writes `1500,50`."""
    problems = [
        InvalidValue(k, "unknown field: expected " + ", ".join(FIELDS)) for k in raw if k not in FIELDS
    ]
    values: dict[str, object] = {}
    for field, parse in _PARSERS.items():
        try:
            values[field] = parse(raw.get(field), decimal_comma)
        except InvalidValue as exc:
            problems.append(exc)
    start, end = values.get("valid_from"), values.get("valid_to")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        problems.append(InvalidValue("valid_to", f"{end} is before valid_from {start}"))
    if problems:
        return problems
    return CogsEntry(**values)  # type: ignore[arg-type]


def parse_entry(raw: Mapping[str, object]) -> CogsEntry:
    """The entry; raises the first problem (InvalidValue naming its field)."""
    found = entry_problems(raw)
    if isinstance(found, list):
        raise found[0]
    return found


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _nm_id(value: object, _: bool) -> int:
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_NM_ID:
        raise InvalidValue("nm_id", "required: the WB article (nmID), a positive integer")
    return value


def _unit_cost(value: object, decimal_comma: bool) -> Decimal:
    if isinstance(value, str):
        text = value.strip().replace(",", ".") if decimal_comma else value.strip()
        value = Decimal(text) if _AMOUNT.fullmatch(text) else text
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if not isinstance(value, Decimal):
        raise InvalidValue("unit_cost", "required: a number of roubles, e.g. 1500.50")
    try:
        exact = value.is_finite() and value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact or not 0 <= value <= MAX_COST:
        raise InvalidValue("unit_cost", f"must be from 0 to {MAX_COST} roubles with at most 2 decimals")
    return value


def _currency(value: object, _: bool) -> str:
    if _blank(value):
        return "RUB"
    if not isinstance(value, str) or value.strip() not in CURRENCIES:
        raise InvalidValue("currency", "only RUB is supported: WB pays and reports in roubles")
    return value.strip()


def _day(value: object, field: str) -> date:
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if type(value) is not date:
        raise InvalidValue(field, "must be a date YYYY-MM-DD")
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidValue(field, f"must be from {FIRST_DAY} to {LAST_DAY}")
    return value


def _valid_from(value: object, _: bool) -> date:
    if _blank(value):
        raise InvalidValue("valid_from", "required: the first day the cost applies, YYYY-MM-DD")
    return _day(value, "valid_from")


def _valid_to(value: object, _: bool) -> date | None:
    return None if _blank(value) else _day(value, "valid_to")


_PARSERS = {
    "nm_id": _nm_id,
    "unit_cost": _unit_cost,
    "currency": _currency,
    "valid_from": _valid_from,
    "valid_to": _valid_to,
}
