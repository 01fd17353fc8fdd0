"""COGS windows, by example. The property tests are in test_cogs_properties.py."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.cogs import CogsHistory, CogsVersion, MissingCogs
from domain.errors import Conflict, InvalidValue, NotFound
from tests.unit.domain.factories import CABINET

NM = 147205694
AT = datetime(2026, 1, 31, 9, tzinfo=UTC)
TODAY = date(2026, 1, 31)


def d(day: int, month: int = 1) -> date:
    return date(2026, month, day)


def version(n: int, valid_from: date, valid_to: date | None = None, cost: str = "100") -> CogsVersion:
    return CogsVersion(
        id=UUID(int=n),
        cabinet_id=CABINET,
        nm_id=NM,
        unit_cost=Decimal(cost),
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=AT + timedelta(minutes=n),
    )


def windows(history: CogsHistory) -> list[tuple[int, date, date | None]]:
    return [(v.id.int, v.valid_from, v.valid_to) for v in history.live_versions()]


def test_valid_to_is_the_last_day_the_cost_applies() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(10))])
    found = history.valid_at(d(10))
    assert isinstance(found, CogsVersion) and found.id == UUID(int=1)
    assert history.valid_at(d(11)) == MissingCogs(NM, d(11))
    assert history.valid_at(date(2025, 12, 31)) == MissingCogs(NM, date(2025, 12, 31))


def test_a_new_version_closes_the_window_it_starts_in() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    change = history.add(version(2, d(14), cost="120"), through=d(25))
    assert windows(history) == [(1, d(1), d(13)), (2, d(14), None)]
    assert {v.id.int for v in change.changed} == {1, 2}
    assert change.affected_weeks == ("2026-W03", "2026-W04")


def test_an_open_version_before_a_later_one_is_capped_the_day_before_it() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(20))])
    history.add(version(2, d(5)), through=TODAY)
    assert windows(history) == [(2, d(5), d(19)), (1, d(20), None)]


def test_an_explicit_end_reaching_into_a_later_version_is_refused_and_nothing_changes() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(9)), version(2, d(20))])
    with pytest.raises(InvalidValue) as err:
        history.add(version(3, d(5), d(20)), through=TODAY)
    assert err.value.field == "valid_to"
    assert windows(history) == [(1, d(1), d(9)), (2, d(20), None)]


def test_an_explicit_end_that_would_uncost_the_tail_of_the_old_version_is_refused() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    with pytest.raises(InvalidValue) as err:
        history.add(version(2, d(10), d(15)), through=TODAY)
    assert err.value.field == "valid_to"
    assert "2026-01-16" in err.value.reason
    assert windows(history) == [(1, d(1), None)]


def test_an_explicit_end_at_or_after_the_old_end_is_accepted() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(15))])
    change = history.add(version(2, d(10), d(20)), through=TODAY)
    assert windows(history) == [(1, d(1), d(9)), (2, d(10), d(20))]
    assert change.affected_weeks == ("2026-W02", "2026-W03", "2026-W04")


def test_an_explicit_window_in_a_gap_leaves_the_neighbours_alone() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(5)), version(2, d(20))])
    history.add(version(3, d(8), d(12)), through=TODAY)
    assert windows(history) == [(1, d(1), d(5)), (3, d(8), d(12)), (2, d(20), None)]


def test_the_same_start_date_supersedes_the_old_version() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(9)), version(2, d(10), cost="110")])
    change = history.add(version(3, d(10), cost="115"), through=TODAY)
    superseded = next(v for v in history.versions(include_deleted=True) if v.id.int == 2)
    assert superseded.deleted_at == AT + timedelta(minutes=3)
    live = history.valid_at(d(12))
    assert isinstance(live, CogsVersion) and live.unit_cost == Decimal("115")
    assert windows(history) == [(1, d(1), d(9)), (3, d(10), None)]
    assert superseded in change.changed
    assert len(history.versions(include_deleted=True)) == 3


def test_deleting_the_latest_version_reopens_the_one_before() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    history.add(version(2, d(14)), through=TODAY)
    change = history.delete(UUID(int=2), at=AT, through=TODAY)
    assert windows(history) == [(1, d(1), None)]
    assert {v.id.int for v in change.changed} == {1, 2}
    assert change.affected_weeks == ("2026-W03", "2026-W04", "2026-W05")


def test_deleting_a_middle_version_hands_its_window_to_the_previous_one() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(9)), version(2, d(10), d(19)), version(3, d(20))])
    history.delete(UUID(int=2), at=AT, through=TODAY)
    assert windows(history) == [(1, d(1), d(19)), (3, d(20), None)]


def test_deleting_after_a_gap_does_not_stretch_an_explicitly_ended_version() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1), d(5)), version(2, d(10))])
    history.delete(UUID(int=2), at=AT, through=TODAY)
    assert windows(history) == [(1, d(1), d(5))]
    assert isinstance(history.valid_at(d(10)), MissingCogs)


def test_deleting_twice_or_an_unknown_id_is_not_found() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    history.delete(UUID(int=1), at=AT, through=TODAY)
    with pytest.raises(NotFound):
        history.delete(UUID(int=1), at=AT, through=TODAY)
    with pytest.raises(NotFound):
        history.delete(UUID(int=99), at=AT, through=TODAY)


def test_an_open_change_starting_after_today_still_reports_its_first_week() -> None:
    history = CogsHistory(CABINET, NM, [])
    change = history.add(version(1, d(10, month=2)), through=TODAY)
    assert change.affected_weeks == ("2026-W07",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit_cost": Decimal("-0.01")}, "unit_cost"),
        ({"unit_cost": Decimal("NaN")}, "unit_cost"),
        ({"unit_cost": 12.5}, "unit_cost"),
        ({"currency": "rub"}, "currency"),
        ({"currency": "RUBL"}, "currency"),
        ({"valid_to": date(2025, 12, 31)}, "valid_to"),
        ({"valid_from": datetime(2026, 1, 1, tzinfo=UTC)}, "valid_from"),
        ({"created_at": datetime(2026, 1, 1)}, "created_at"),
    ],
)
def test_bad_versions_are_refused_naming_the_field(overrides: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "id": UUID(int=1),
        "cabinet_id": CABINET,
        "nm_id": NM,
        "unit_cost": Decimal(100),
        "valid_from": d(1),
        "created_at": AT,
    }
    with pytest.raises(InvalidValue) as err:
        CogsVersion(**{**fields, **overrides})  # type: ignore[arg-type]
    assert err.value.field == field


def test_zero_cost_and_integer_costs_are_accepted() -> None:
    assert version(1, d(1), cost="0").unit_cost == 0
    assert CogsVersion(UUID(int=1), CABINET, NM, 150, d(1), AT).unit_cost == Decimal(150)


def test_a_history_refuses_overlapping_stored_versions_foreign_versions_and_reused_ids() -> None:
    with pytest.raises(Conflict):
        CogsHistory(CABINET, NM, [version(1, d(1), d(10)), version(2, d(10))])
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    with pytest.raises(Conflict):
        history.add(version(1, d(5)), through=TODAY)
    foreign = version(2, d(5))
    foreign.nm_id = NM + 1
    with pytest.raises(InvalidValue):
        history.add(foreign, through=TODAY)
    assert windows(history) == [(1, d(1), None)]


def test_valid_at_wants_a_date() -> None:
    history = CogsHistory(CABINET, NM, [version(1, d(1))])
    with pytest.raises(InvalidValue):
        history.valid_at(datetime(2026, 1, 5, tzinfo=UTC))
