"""Cost of goods (COGS) per SKU as versions with validity windows (002 §5).

Decisions, all seller-facing:
- `valid_to` is INCLUSIVE: the last day the cost applies, as a seller reads "from 1 to 31 January".
  None means open-ended. Days are calendar dates (Moscow days, as analytics are).
- Live (not soft-deleted) versions of one SKU never overlap.
- A new version closes the window it starts in: that version ends the day before the new one starts.
- A new open-ended version that starts before a later version is capped to end the day before it; one
  with an explicit `valid_to` reaching into a later version is refused (InvalidValue "valid_to").
- Adding never takes a cost away from a day that had one: an explicit `valid_to` that would leave the
  tail of the version it starts in (or replaces) uncovered is refused, naming "valid_to". To change the
  cost for a while and then return to the old one, add two versions. Only deleting un-costs days.
- The same `valid_from` as a live version supersedes it (the old one is soft-deleted): re-entering a
  price for the same start date is how sellers correct a typo.
- Deleting a version hands its window to the version right before it, when that one ends the day
  before the deleted one starts (it was closed by it): its `valid_to` becomes the deleted one's
  (None if the deleted one was open). A previous version with a gap before the deleted one keeps its
  own end. Deleting an unknown or already deleted version raises NotFound.
- Correcting a version (`replace`) is deleting it and adding the corrected one by the rules above; it keeps
  its id, and fails as a whole if the add would.
- Asking for a day without a version gives MissingCogs, never a silent 0.
"""

import functools
import itertools
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

import attrs

from domain.errors import Conflict, InvalidValue, NotFound
from domain.moscow_time import aware, ensure_utc, optional_aware, optional_to_utc, to_utc, weeks_between

if TYPE_CHECKING:
    from domain.validators import Field

ONE_DAY = timedelta(days=1)
_CURRENCY = re.compile(r"[A-Z]{3}")


def _unit_cost(value: object) -> Decimal:
    # A float cost would carry binary noise into every margin; an int is exact and welcome.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvalidValue("unit_cost", f"must be a Decimal, got {type(value).__name__}")
    cost = Decimal(value)
    if not cost.is_finite() or cost < 0:
        raise InvalidValue("unit_cost", f"must be a finite amount >= 0, got {value}")
    return cost


def _currency(instance: object, attribute: "Field", value: str) -> None:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise InvalidValue("currency", f"must be three upper-case letters (ISO 4217), got {value!r}")


def _day(value: object, field: str) -> None:
    # datetime is a date subclass, but it cannot be ordered against a date: refuse it here, by name.
    if type(value) is not date:
        raise InvalidValue(field, f"must be a date, got {type(value).__name__}")


def _valid_from(instance: object, attribute: "Field", value: date) -> None:
    _day(value, "valid_from")


def _valid_to(instance: "CogsVersion", attribute: "Field", value: date | None) -> None:
    if value is None:
        return
    _day(value, "valid_to")
    if value < instance.valid_from:
        raise InvalidValue("valid_to", f"{value} is before valid_from {instance.valid_from}")


@attrs.define(eq=False)
class CogsVersion:
    """One cost of one SKU over [valid_from, valid_to] (inclusive; None = open-ended)."""

    id: UUID
    cabinet_id: UUID
    nm_id: int
    unit_cost: Decimal = attrs.field(converter=_unit_cost)
    valid_from: date = attrs.field(validator=_valid_from)
    created_at: datetime = attrs.field(converter=to_utc, validator=aware)
    valid_to: date | None = attrs.field(default=None, validator=_valid_to)
    currency: str = attrs.field(default="RUB", validator=_currency)
    deleted_at: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@attrs.frozen
class MissingCogs:
    """No cost is set for `nm_id` on `day`: analytics must flag it (missing_cogs_flag), not count 0."""

    nm_id: int
    day: date


@attrs.frozen
class CogsChange:
    """What a change touched: the versions to store again, and the ISO weeks whose figures changed."""

    changed: tuple[CogsVersion, ...]
    affected_weeks: tuple[str, ...]


def _affected_weeks(start: date, end: date | None, through: date) -> tuple[str, ...]:
    # An open end changes every day to come; the caller bounds it by today. A change that starts after
    # `through` still reports its first week, so a caller never gets "nothing changed" for a real change.
    return weeks_of(start, end if end is not None else max(through, start))


@functools.lru_cache(maxsize=4096)
def weeks_of(start: date, end: date) -> tuple[str, ...]:
    """ISO weeks touching start..end, remembered: a bulk upload asks for the same few windows thousands of
    times, and a window open since January spans fifty weeks."""
    return tuple(weeks_between(start, end))


def _own_list(versions: Iterable[CogsVersion]) -> list[CogsVersion]:
    # A copy: the aggregate appends to it, and must not grow the caller's list behind its back.
    return list(versions)


@attrs.define(eq=False)
class CogsHistory:
    """All versions (live and soft-deleted) of one SKU of one cabinet; the aggregate that keeps the rules."""

    cabinet_id: UUID
    nm_id: int
    _versions: list[CogsVersion] = attrs.field(factory=list, converter=_own_list)

    def __attrs_post_init__(self) -> None:
        ids = [v.id for v in self._versions]
        if len(set(ids)) != len(ids):
            raise Conflict("COGS history holds the same version id twice")
        for version in self._versions:
            self._check_belongs(version)
        live = self.live_versions()
        for earlier, later in itertools.pairwise(live):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise Conflict(f"COGS versions {earlier.id} and {later.id} overlap")

    def versions(self, include_deleted: bool = False) -> list[CogsVersion]:
        """Versions by valid_from (then creation), soft-deleted ones only if asked."""
        chosen = [v for v in self._versions if include_deleted or v.is_live]
        return sorted(chosen, key=lambda v: (v.valid_from, v.created_at))

    def live_versions(self) -> list[CogsVersion]:
        return self.versions(include_deleted=False)

    def valid_at(self, day: date) -> CogsVersion | MissingCogs:
        """The live version covering `day`, or MissingCogs; InvalidValue("day") for a non-date."""
        _day(day, "day")
        for version in self._versions:
            if version.is_live and version.covers(day):
                return version
        return MissingCogs(self.nm_id, day)

    def add(self, new: CogsVersion, *, through: date) -> CogsChange:
        """Insert `new` by the module's rules; `through` (today) bounds the weeks of an open end.

        `new.valid_to` may be capped before a later version; a superseded same-day version is soft-deleted
        at `new.created_at`. Raises InvalidValue("valid_to") for an explicit end overlapping a later
        version or un-costing days, Conflict for a reused id; on any error nothing is changed.
        """
        _day(through, "through")
        self._check_new(new)
        live = self.live_versions()
        start = new.valid_from
        same = next((v for v in live if v.valid_from == start), None)
        containing = next((v for v in live if v.valid_from < start and v.covers(start)), None)
        later = next((v for v in live if v.valid_from > start), None)
        end = _end_before(new, later)
        for replaced in (same, containing):
            _check_keeps_coverage(replaced, end)
        changed = []
        if same is not None:
            same.deleted_at = new.created_at
            changed.append(same)
        if containing is not None:
            containing.valid_to = new.valid_from - ONE_DAY
            changed.append(containing)
        new.valid_to = end
        self._versions.append(new)
        return CogsChange((*changed, new), _affected_weeks(new.valid_from, end, through))

    def delete(self, version_id: UUID, *, at: datetime, through: date) -> CogsChange:
        """Soft-delete a live version and hand its window to the version it closed (see module doc).

        Raises NotFound("cogs_version") for an unknown or already deleted id.
        """
        at = ensure_utc(at, "at")
        _day(through, "through")
        target = next((v for v in self._versions if v.id == version_id and v.is_live), None)
        if target is None:
            raise NotFound("cogs_version", version_id)
        weeks = _affected_weeks(target.valid_from, target.valid_to, through)
        before = target.valid_from - ONE_DAY
        previous = next((v for v in self.live_versions() if v.valid_to == before), None)
        target.deleted_at = at
        if previous is None:
            return CogsChange((target,), weeks)
        previous.valid_to = target.valid_to
        return CogsChange((target, previous), weeks)

    def replace(self, new: CogsVersion, *, through: date) -> CogsChange:
        """Correct the live version with `new.id`: as if it were deleted (its window handed to the version
        it closed) and `new` then added by `add`'s rules, keeping its id and created_at. `new.created_at`
        is the moment of the change (a same-day version it supersedes is deleted then). The weeks of the
        old and the new window are affected. Raises NotFound("cogs_version") for an unknown or deleted
        id, InvalidValue as `add` does; on any error nothing is changed.
        """
        _day(through, "through")
        self._check_belongs(new)
        target = next((v for v in self._versions if v.id == new.id and v.is_live), None)
        if target is None:
            raise NotFound("cogs_version", new.id)
        before = {v.id: attrs.astuple(v) for v in self._versions}
        trial = CogsHistory(self.cabinet_id, self.nm_id, [attrs.evolve(v) for v in self._versions])
        removed = trial.delete(new.id, at=new.created_at, through=through)
        trial._versions = [v for v in trial._versions if v.id != new.id]  # its id lives on in `new`
        added = trial.add(new, through=through)
        new.created_at = target.created_at
        self._versions = trial._versions
        changed = tuple(v for v in self._versions if before.get(v.id) != attrs.astuple(v))
        return CogsChange(changed, tuple(sorted({*removed.affected_weeks, *added.affected_weeks})))

    def _check_new(self, new: CogsVersion) -> None:
        self._check_belongs(new)
        if new.deleted_at is not None:
            raise InvalidValue("deleted_at", "a new version cannot be already deleted")
        if any(v.id == new.id for v in self._versions):
            raise Conflict(f"COGS version {new.id} already exists")

    def _check_belongs(self, version: CogsVersion) -> None:
        if version.cabinet_id != self.cabinet_id or version.nm_id != self.nm_id:
            raise InvalidValue("nm_id", f"version {version.id} belongs to another SKU or cabinet")


def _end_before(new: CogsVersion, later: CogsVersion | None) -> date | None:
    """The end `new` gets: capped before `later` if open, refused if it reaches into it."""
    if later is None:
        return new.valid_to
    if new.valid_to is None:
        return later.valid_from - ONE_DAY
    if new.valid_to >= later.valid_from:
        raise InvalidValue(
            "valid_to",
            f"{new.valid_to} overlaps the version starting {later.valid_from}; "
            f"end on or before {later.valid_from - ONE_DAY} or leave it open",
        )
    return new.valid_to


def _check_keeps_coverage(replaced: CogsVersion | None, end: date | None) -> None:
    """Refuse an end that would leave days `replaced` covers after it without any cost."""
    if replaced is None or end is None:
        return
    if replaced.valid_to is None or replaced.valid_to > end:
        until = "its open end" if replaced.valid_to is None else str(replaced.valid_to)
        raise InvalidValue(
            "valid_to",
            f"ending on {end} would leave {end + ONE_DAY}..{until} without a cost "
            f"(version starting {replaced.valid_from} covers them); leave it open or add the later cost too",
        )
