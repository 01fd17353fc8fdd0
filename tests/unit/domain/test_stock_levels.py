"""Critical stock told on crossings (issue 9, point 1): an nm_id's alert level after each snapshot, the falls
that are candidates, and each member told once when their own threshold is crossed, again only after the
stock has recovered above it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.events import StockFall, critical_stock_event
from domain.notifications import NotificationSettings, should_notify
from domain.stocks import STOCK_ANALYSIS_DAYS, alert_level, crosses_threshold, level_fell
from tests.unit.domain.factories import CABINET

AT = datetime(2026, 1, 4, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [
        (Decimal(0), 0),
        (Decimal("0.01"), 1),
        (Decimal(1), 1),
        (Decimal("1.01"), 3),
        (Decimal(3), 3),
        (Decimal("6.5"), 7),
        (Decimal(10), 10),
        (Decimal("13.99"), 14),
        (Decimal(14), 14),
        (Decimal("14.01"), None),
        (Decimal(500), None),
        (None, None),  # stock and no orders: never runs out at this rate
    ],
)
def test_the_level_is_the_shortest_horizon_the_days_left_fit_in(
    days_left: Decimal | None, level: int | None
) -> None:
    assert alert_level(days_left) == level


@pytest.mark.parametrize(
    ("previous", "level", "fell"),
    [(None, 14, True), (None, 0, True), (7, 3, True), (3, 0, True), (3, 3, False), (3, 7, False),
     (0, None, False), (None, None, False), (3, None, False)],
)  # fmt: skip
def test_only_a_fall_is_news_not_a_rise_or_standing_still(
    previous: int | None, level: int | None, fell: bool
) -> None:
    assert level_fell(previous, level) is fell


def test_a_member_hears_the_crossing_of_their_own_threshold_only() -> None:
    three, fourteen = (
        NotificationSettings(stock_analysis_days=3),
        NotificationSettings(stock_analysis_days=14),
    )
    assert crosses_threshold(7, 3, 3) and not crosses_threshold(7, 3, 1)  # 5 days → 2 days
    assert not crosses_threshold(3, 0, 3) and crosses_threshold(3, 0, 1)  # 2 days → sold out
    assert not crosses_threshold(None, 7, 3) and crosses_threshold(None, 7, 14)
    fall = critical_stock_event(CABINET, StockFall(5, 2, Decimal(2), 3, 7), AT)
    assert should_notify(fall, three) and not should_notify(fall, fourteen)  # 14 heard of it at 7 already


def critical_for(days_left: Decimal | None, threshold: int) -> bool:
    """The oracle: the issue's words, with no levels — days left at or below the threshold, or no stock."""
    return days_left is not None and days_left <= threshold


def told_along(history: list[Decimal | None], member: NotificationSettings) -> int:
    """Run a history of snapshots' days left through the levels as the stock runner does (a level that
    fell gives a candidate; every level is saved), and count the candidates the member is told."""
    told, previous = 0, None
    for i, days_left in enumerate(history):
        level = alert_level(days_left)
        if level is not None and level_fell(previous, level):
            event = critical_stock_event(
                CABINET, StockFall(5, 1, days_left, level, previous), AT + timedelta(minutes=i)
            )
            told += should_notify(event, member)
        previous = level
    return told


days = st.one_of(st.none(), st.just(Decimal(0)), st.decimals(min_value=0, max_value=20, places=2))


@settings(max_examples=500, deadline=None)
@given(st.lists(days, max_size=30), st.sampled_from(STOCK_ANALYSIS_DAYS))
def test_a_member_is_told_exactly_as_often_as_the_stock_becomes_critical_for_them(
    history: list[Decimal | None], threshold: int
) -> None:
    entries = sum(
        critical_for(now, threshold) and (i == 0 or not critical_for(history[i - 1], threshold))
        for i, now in enumerate(history)
    )
    assert told_along(history, NotificationSettings(stock_analysis_days=threshold)) == entries


def test_told_again_only_after_a_recovery() -> None:
    member = NotificationSettings(stock_analysis_days=3)
    two, five, zero = Decimal(2), Decimal(5), Decimal(0)
    assert told_along([five, two, zero, two], member) == 1  # 2 → 0 → 2: critical all along
    assert told_along([five, two, five, two], member) == 2  # recovered above 3 days in between
