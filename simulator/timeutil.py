"""Time helpers: WB mixes UTC RFC3339 (Marketplace), naive Moscow time (Statistics), "+03:00" (Feedbacks)."""

import time
from datetime import UTC, datetime, timedelta, timezone

MSK_OFFSET = 3 * 3600
MSK = timezone(timedelta(hours=3))
DAY = 86400


def utc_iso(ts: float) -> str:
    """`2026-10-05T12:30:17Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def msk_naive(ts: float) -> str:
    """`2026-10-05T15:30:17` (Moscow time, no zone, as in the Statistics API)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(ts) + MSK_OFFSET))


def msk_micro(ts: float) -> str:
    """`2026-10-05T15:30:17.245611` (Moscow time with microseconds, as in claims)."""
    whole = int(ts)
    micro = round((ts - whole) * 1_000_000) % 1_000_000
    return f"{msk_naive(whole)}.{micro:06d}"


def msk_offset(ts: float) -> str:
    """`2026-10-05T15:30:17+03:00` (as in feedbacks and /ping)."""
    return msk_naive(ts) + "+03:00"


def msk_date(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(int(ts) + MSK_OFFSET))


def parse_iso(value: str, naive_tz: timezone = UTC) -> float:
    """Parse an RFC3339 date or date-time; values without a zone are read in `naive_tz`.

    Accepts `2026-10-05`, `2026-10-05T15:30:17`, `2026-10-05T15:30:17.12345`, `...Z`, `...+03:00`.
    Raises ValueError on anything else.
    """
    text = value.strip()
    if not text or len(text) < 10:
        raise ValueError(f"bad date: {value!r}")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:  # Python 3.11 accepts at most 6 fractional digits; WB sends e.g. 5
        head, _, tail = text.partition(".")
        digits = ""
        rest = tail
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        text = head + ("." + (digits + "000000")[:6] if digits else "") + rest
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=naive_tz)
    return dt.timestamp()


def parse_msk(value: str) -> float:
    return parse_iso(value, MSK)
