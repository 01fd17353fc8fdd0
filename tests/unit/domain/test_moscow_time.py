from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.moscow_time import (
    day_range_utc,
    ensure_utc,
    format_wb_moscow,
    iso_week,
    moscow_day,
    moscow_hour,
    parse_iso_week,
    parse_wb_moscow,
    weeks_between,
)


def test_wb_moscow_wall_time_is_three_hours_ahead_of_utc() -> None:
    assert parse_wb_moscow("2022-03-04T18:08:31") == datetime(2022, 3, 4, 15, 8, 31, tzinfo=UTC)


def test_fractional_seconds_and_bare_dates_parse() -> None:
    assert parse_wb_moscow("2019-06-20T00:00:00.12345") == datetime(2019, 6, 19, 21, 0, 0, 123450, tzinfo=UTC)
    assert parse_wb_moscow("2019-06-20") == datetime(2019, 6, 19, 21, 0, tzinfo=UTC)


def test_sub_microsecond_digits_are_truncated_so_a_cursor_never_skips_ahead() -> None:
    parsed = parse_wb_moscow("2022-03-06T10:11:07.1234567")
    assert parsed is not None
    assert parsed.microsecond == 123456
    assert format_wb_moscow(parsed) <= "2022-03-06T10:11:07.1234567"


def test_wb_empty_date_means_none() -> None:
    assert parse_wb_moscow("0001-01-01T00:00:00") is None


def test_an_explicit_offset_is_honoured() -> None:
    assert parse_wb_moscow("2024-09-26T10:20:48+03:00") == datetime(2024, 9, 26, 7, 20, 48, tzinfo=UTC)
    assert parse_wb_moscow("2024-08-20T16:39:49Z") == datetime(2024, 8, 20, 16, 39, 49, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["", "yesterday", "2022-13-01T00:00:00", 20220304])
def test_garbage_dates_raise_invalid_value_naming_the_field(bad: object) -> None:
    with pytest.raises(InvalidValue) as err:
        parse_wb_moscow(bad, field="lastChangeDate")  # type: ignore[arg-type]
    assert err.value.field == "lastChangeDate"


def test_cursor_format_is_moscow_wall_time_with_full_precision() -> None:
    instant = datetime(2022, 3, 6, 7, 11, 7, 123450, tzinfo=UTC)
    assert format_wb_moscow(instant) == "2022-03-06T10:11:07.123450"
    assert format_wb_moscow(datetime(2022, 3, 6, 7, 11, 7, tzinfo=UTC)) == "2022-03-06T10:11:07"


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_format_then_parse_is_the_identity(instant: datetime) -> None:
    assert parse_wb_moscow(format_wb_moscow(instant)) == instant


def test_naive_instants_are_refused_everywhere() -> None:
    naive = datetime(2026, 1, 1, 12, 0)
    for fn in (format_wb_moscow, moscow_day, moscow_hour, iso_week, ensure_utc):
        with pytest.raises(InvalidValue):
            fn(naive)


def test_ensure_utc_converts_other_zones() -> None:
    plus5 = datetime(2026, 1, 1, 5, 0, tzinfo=timezone(timedelta(hours=5)))
    converted = ensure_utc(plus5)
    assert converted == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert converted.tzinfo is UTC


def test_moscow_day_and_hour_move_late_utc_evenings_to_the_next_day() -> None:
    late = datetime(2026, 1, 31, 21, 30, tzinfo=UTC)
    assert moscow_day(late) == date(2026, 2, 1)
    assert moscow_hour(late) == 0


def test_iso_week_labels_use_the_iso_year() -> None:
    assert iso_week(date(2026, 1, 22)) == "2026-W04"
    assert iso_week(date(2024, 12, 30)) == "2025-W01"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    # Sunday 21:30 UTC is already Monday in Moscow.
    assert iso_week(datetime(2026, 1, 25, 21, 30, tzinfo=UTC)) == "2026-W05"


def test_parse_iso_week_gives_monday_and_sunday() -> None:
    assert parse_iso_week("2026-W04") == (date(2026, 1, 19), date(2026, 1, 25))
    assert parse_iso_week("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize("bad", ["2026-W4", "2026W04", "2026-W00", "2025-W53", "2026-w04", " 2026-W04", None])
def test_bad_week_labels_raise_invalid_value(bad: object) -> None:
    with pytest.raises(InvalidValue) as err:
        parse_iso_week(bad)  # type: ignore[arg-type]
    assert err.value.field == "week"


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_every_day_lies_in_the_week_its_label_parses_to(day: date) -> None:
    monday, sunday = parse_iso_week(iso_week(day))
    assert monday <= day <= sunday
    assert monday.weekday() == 0 and sunday - monday == timedelta(days=6)


def test_day_range_covers_whole_moscow_days_inclusive() -> None:
    start, end = day_range_utc(date(2026, 1, 24), date(2026, 1, 31))
    assert start == datetime(2026, 1, 23, 21, 0, tzinfo=UTC)
    assert end == datetime(2026, 1, 31, 21, 0, tzinfo=UTC)
    assert moscow_day(end - timedelta(microseconds=1)) == date(2026, 1, 31)
    assert moscow_day(end) == date(2026, 2, 1)


def test_reversed_ranges_are_refused() -> None:
    with pytest.raises(InvalidValue):
        day_range_utc(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(InvalidValue):
        weeks_between(date(2026, 2, 1), date(2026, 1, 31))


def test_weeks_between_lists_each_touched_week_once_in_order() -> None:
    assert weeks_between(date(2026, 1, 1), date(2026, 1, 1)) == ["2026-W01"]
    expected = ["2025-W52", "2026-W01", "2026-W02", "2026-W03"]
    assert weeks_between(date(2025, 12, 28), date(2026, 1, 12)) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 60))
def test_weeks_between_matches_the_set_of_day_labels(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    expected = sorted({iso_week(start + timedelta(days=i)) for i in range(length + 1)})
    assert weeks_between(start, end) == expected
