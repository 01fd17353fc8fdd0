"""A clock that only moves when told to: the in-memory Clock for tests and simulations."""

from datetime import UTC, datetime, timedelta


class ManualClock:
    """`now()` is `at` (timezone-aware UTC) until `advance` or `set` moves it."""

    def __init__(self, at: datetime) -> None:
        self.set(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a ManualClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        """Move forward by `timedelta(**delta)`, e.g. `advance(minutes=3)`."""
        self._at += timedelta(**delta)
