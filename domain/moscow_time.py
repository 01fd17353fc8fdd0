"""Moscow calendar time: WB statistics speak Moscow wall time without a zone; we store UTC instants.

"A day", "an hour" and "a week" in analytics are Moscow calendar units (ISO weeks, Monday first).
Every function that takes an instant refuses a naive datetime, because guessing its zone is how
three-hour shifts creep into daily totals.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue

if TYPE_CHECKING:
    from domain.validators import Field

MSK = ZoneInfo("Europe/Moscow")
# WB's "no date" value, e.g. `cancelDate` of an order that was not cancelled.
_WB_EMPTY_PREFIX = "0001-01-01"
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def ensure_utc(value: datetime, field: str = "datetime") -> datetime:
    """The same instant in UTC; InvalidValue(field) if `value` is naive or not a datetime."""
    if not isinstance(value, datetime):
        raise InvalidValue(field, f"must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(field, "must be timezone-aware (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


def to_utc(value: datetime) -> datetime:
    """attrs converter: an aware datetime moved to UTC; anything else is left for `aware` to refuse."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


def optional_to_utc(value: datetime | None) -> datetime | None:
    return None if value is None else to_utc(value)


def aware(instance: object, attribute: "Field", value: datetime) -> None:
    """attrs validator: refuse a naive or non-datetime value, naming the field."""
    ensure_utc(value, attribute.name)


def optional_aware(instance: object, attribute: "Field", value: datetime | None) -> None:
    if value is not None:
        ensure_utc(value, attribute.name)


def parse_wb_moscow(text: str, field: str = "date") -> datetime | None:
    """Parse a WB statistics date (Moscow wall time, no zone) into a UTC instant.

    Accepts `2022-03-04T18:08:31`, fractional seconds (`…T00:00:00.12345`) and a bare date (midnight).
    A string that carries an explicit offset is honoured as written. WB's empty value
    `0001-01-01T00:00:00` gives None. Fractions finer than a microsecond are truncated, never rounded
    up, so a cursor built from the result never skips past the row it came from.
    Raises InvalidValue(field) for anything else.
    """
    if not isinstance(text, str):
        raise InvalidValue(field, f"must be a string, got {type(text).__name__}")
    if text.startswith(_WB_EMPTY_PREFIX):
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidValue(field, f"not a WB date: {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=MSK)
    return parsed.astimezone(UTC)


def format_wb_moscow(instant: datetime) -> str:
    """The inverse of parse_wb_moscow: Moscow wall time without a zone, microseconds kept when present.

    Used for the statistics `dateFrom` cursor, which WB compares with `lastChangeDate` inclusively.
    """
    return ensure_utc(instant, "instant").astimezone(MSK).replace(tzinfo=None).isoformat()


def moscow_day(instant: datetime) -> date:
    return ensure_utc(instant, "instant").astimezone(MSK).date()


def moscow_hour(instant: datetime) -> int:
    return ensure_utc(instant, "instant").astimezone(MSK).hour


def iso_week(day: date | datetime) -> str:
    """ISO week label like "2026-W04"; a datetime is first placed on its Moscow calendar day."""
    if isinstance(day, datetime):
        day = moscow_day(day)
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(label: str) -> tuple[date, date]:
    """(Monday, Sunday) of an ISO week label like "2026-W04"; InvalidValue("week") if malformed."""
    match = _ISO_WEEK.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise InvalidValue("week", f"expected YYYY-Www, got {label!r}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise InvalidValue("week", f"no such ISO week: {label}") from exc
    return monday, monday + timedelta(days=6)


def _check_order(d_from: date, d_to: date) -> None:
    if d_to < d_from:
        raise InvalidValue("to", f"{d_to} is before from {d_from}")


def day_range_utc(d_from: date, d_to: date) -> tuple[datetime, datetime]:
    """UTC [start, end) covering Moscow calendar days d_from..d_to inclusive; InvalidValue if reversed."""
    _check_order(d_from, d_to)
    start = datetime.combine(d_from, time(), MSK).astimezone(UTC)
    end = datetime.combine(d_to + timedelta(days=1), time(), MSK).astimezone(UTC)
    return start, end


def weeks_between(d_from: date, d_to: date) -> list[str]:
    """ISO week labels touching any day in d_from..d_to inclusive, in order; InvalidValue if reversed."""
    _check_order(d_from, d_to)
    monday = d_from - timedelta(days=d_from.weekday())
    weeks = []
    while monday <= d_to:
        weeks.append(iso_week(monday))
        monday += timedelta(days=7)
    return weeks
