"""The demo's clock: `rate` times real time from its anchor, aware UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.outbound.clock import AcceleratedClock

ANCHOR = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class FakeMonotonic:
    def __init__(self, at: float = 1000.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def test_now_is_the_anchor_until_real_time_passes() -> None:
    assert AcceleratedClock(ANCHOR, 120, FakeMonotonic()).now() == ANCHOR


def test_one_real_second_is_rate_seconds_of_clock_time() -> None:
    monotonic = FakeMonotonic()
    clock = AcceleratedClock(ANCHOR, 120, monotonic)
    monotonic.at += 1.5
    assert clock.now() == ANCHOR + timedelta(minutes=3)


def test_now_is_aware_utc_whatever_the_anchors_zone() -> None:
    moscow = timezone(timedelta(hours=3))
    now = AcceleratedClock(ANCHOR.astimezone(moscow), 2, FakeMonotonic()).now()
    assert now.tzinfo is UTC
    assert now == ANCHOR


@pytest.mark.parametrize(
    ("anchor", "rate"), [(ANCHOR.replace(tzinfo=None), 1.0), (ANCHOR, 0.0), (ANCHOR, -1.0)]
)
def test_a_naive_anchor_or_a_rate_not_above_zero_is_refused(anchor: datetime, rate: float) -> None:
    with pytest.raises(ValueError):
        AcceleratedClock(anchor, rate, FakeMonotonic())
