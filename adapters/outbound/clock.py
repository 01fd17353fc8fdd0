"""The real clock, and the demo's accelerated and stopped ones."""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SystemClock:
    """`now()` as a timezone-aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class AcceleratedClock:
    """A clock that runs `rate` times faster than real time from `anchor` (the demo only: it keeps pace
    with the WB simulator's clock; see docs/decisions/0012-demo-clock.md). `now()` is
    `anchor + (monotonic() - monotonic at construction) × rate`, always aware UTC and never going back.
    Production never builds one."""

    def __init__(
        self, anchor: datetime, rate: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if anchor.utcoffset() is None:
            raise ValueError("the anchor must be timezone-aware")
        if rate <= 0:
            raise ValueError("the rate must be > 0")
        self._anchor = anchor.astimezone(UTC)
        self._rate = rate
        self._monotonic = monotonic
        self._started = monotonic()

    def __repr__(self) -> str:
        return f"AcceleratedClock({self._anchor.isoformat()}, rate={self._rate:g})"

    def now(self) -> datetime:
        return self._anchor + timedelta(seconds=(self._monotonic() - self._started) * self._rate)


class StoppedClock:
    """A clock that stands at `anchor` (the demo with `--clock-rate 0`, which the browser tests run so the
    numbers on a page do not move under them). Production never builds one."""

    def __init__(self, anchor: datetime) -> None:
        if anchor.utcoffset() is None:
            raise ValueError("the anchor must be timezone-aware")
        self._anchor = anchor.astimezone(UTC)

    def __repr__(self) -> str:
        return f"StoppedClock({self._anchor.isoformat()})"

    def now(self) -> datetime:
        return self._anchor
