"""COGS rules against an independent per-day model, over random histories of adds and deletes.

The model knows nothing of windows: it maps each day (an offset from BASE) to the version that costs it,
and replays the rules day by day. Dates are drawn from a few weeks so starts collide and windows nest.
"""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cogs import CogsChange, CogsHistory, CogsVersion, MissingCogs
from domain.errors import InvalidValue, NotFound
from domain.moscow_time import iso_week
from tests.unit.domain.factories import CABINET

NM = 42
BASE = date(2025, 12, 24)
HORIZON = 80  # days checked; every drawn date is well inside, so "open" behaves as "to the horizon"
AT = datetime(2026, 1, 1, tzinfo=UTC)


class DayModel:
    """owner[day] = id of the version costing that day; start[id] = first day of each live version."""

    def __init__(self) -> None:
        self.owner: dict[int, int] = {}
        self.start: dict[int, int] = {}

    def add(self, vid: int, first: int, last: int | None) -> bool:
        """Apply an add; False if the rules refuse it (then nothing changes)."""
        occupant = self.owner.get(first)
        replaced = {occupant} if occupant is not None else set()
        later = [s for s in self.start.values() if s > first]
        if last is not None and later and last >= min(later):
            return False
        end = last if last is not None else (min(later) - 1 if later else HORIZON - 1)
        if any(self.owner.get(day) in replaced for day in range(end + 1, HORIZON)):
            return False  # some day would lose its cost
        for day in range(first, HORIZON):
            if self.owner.get(day) in replaced:
                del self.owner[day]
        for day in range(first, end + 1):
            self.owner[day] = vid
        if occupant is not None and self.start[occupant] == first:
            del self.start[occupant]  # superseded
        self.start[vid] = first
        return True

    def delete(self, vid: int) -> bool:
        if vid not in self.start:
            return False
        heir = self.owner.get(self.start.pop(vid) - 1)  # whoever costs the day before, if anyone
        for day in [day for day, owner in self.owner.items() if owner == vid]:
            if heir is None:
                del self.owner[day]
            else:
                self.owner[day] = heir
        return True


def answers(history: CogsHistory) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for day in range(HORIZON):
        found = history.valid_at(BASE + timedelta(days=day))
        out[day] = None if isinstance(found, MissingCogs) else found.id.int
    return out


def snapshot(history: CogsHistory) -> dict[int, tuple[date | None, datetime | None]]:
    return {v.id.int: (v.valid_to, v.deleted_at) for v in history.versions(include_deleted=True)}


adds = st.tuples(st.just("add"), st.integers(0, 35), st.one_of(st.none(), st.integers(0, 12)))
deletes = st.tuples(st.just("delete"), st.integers(1, 25), st.none())
operations = st.lists(st.one_of(adds, adds, deletes), min_size=1, max_size=25)


def _run(history: CogsHistory, model: DayModel, op: tuple, vid: int, through: date) -> CogsChange | None:
    kind, a, b = op
    if kind == "delete":
        expected = model.delete(a)
        if not expected:
            with pytest.raises(NotFound):
                history.delete(UUID(int=a), at=AT, through=through)
            return None
        return history.delete(UUID(int=a), at=AT, through=through)
    last = None if b is None else a + b
    new = CogsVersion(
        id=UUID(int=vid),
        cabinet_id=CABINET,
        nm_id=NM,
        unit_cost=Decimal(vid),
        valid_from=BASE + timedelta(days=a),
        valid_to=None if last is None else BASE + timedelta(days=last),
        created_at=AT + timedelta(seconds=vid),
    )
    if not model.add(vid, a, last):
        with pytest.raises(InvalidValue) as err:
            history.add(new, through=through)
        assert err.value.field == "valid_to"
        return None
    return history.add(new, through=through)


def _assert_no_overlap(history: CogsHistory) -> None:
    live = [v for v in history.versions(include_deleted=True) if v.deleted_at is None]
    for a, b in itertools.combinations(live, 2):
        a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
        assert a_end < b.valid_from or b_end < a.valid_from, (a, b)


@settings(max_examples=400, deadline=None)
@given(operations, st.integers(0, 60))
def test_random_histories_match_the_day_model_and_report_every_changed_week(
    ops: list[tuple], through_offset: int
) -> None:
    through = BASE + timedelta(days=through_offset)
    history, model = CogsHistory(CABINET, NM, []), DayModel()
    for vid, op in enumerate(ops, start=1):
        before, stored_before = answers(history), snapshot(history)
        change = _run(history, model, op, vid, through)
        after = answers(history)
        _assert_no_overlap(history)
        assert after == {day: model.owner.get(day) for day in range(HORIZON)}
        if change is None:
            assert after == before and snapshot(history) == stored_before  # refused: nothing moved
            continue
        changed_days = [day for day in range(through_offset + 1) if before[day] != after[day]]
        for day in changed_days:
            assert iso_week(BASE + timedelta(days=day)) in change.affected_weeks
        stored_after = snapshot(history)
        moved = {vid for vid, state in stored_after.items() if stored_before.get(vid) != state}
        assert moved <= {v.id.int for v in change.changed}  # everything to save again is listed


@settings(max_examples=200, deadline=None)
@given(operations)
def test_adding_never_takes_a_cost_away_from_a_day(ops: list[tuple]) -> None:
    history, model = CogsHistory(CABINET, NM, []), DayModel()
    for vid, op in enumerate(ops, start=1):
        before = answers(history)
        change = _run(history, model, op, vid, BASE)
        if change is not None and op[0] == "add":
            after = answers(history)
            assert all(after[day] is not None for day, owner in before.items() if owner is not None)
