"""The real clock."""

from datetime import UTC, datetime


class SystemClock:
    """`now()` as a timezone-aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(UTC)
