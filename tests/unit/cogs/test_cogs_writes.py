"""COGS writes over the in-memory store: create closes the window it starts in, update corrects a version
in place, delete reopens the one before; every write bumps the cabinet's data version; refusals name the
field."""

from decimal import Decimal

import pytest

from application.cogs.writes import WindowConflict
from domain.errors import InvalidValue, NotFound
from tests.integration.builders import stored_cabinet
from tests.unit.cogs.support import Cogs, cost, day, memory_cogs

NM = 147205694


async def windows(c: Cogs, nm_id: int = NM) -> list[tuple[str, object, object]]:
    page = await c.history(c.cabinet, nm_id, limit=500)
    return [(str(v.unit_cost), v.valid_from, v.valid_to) for v in reversed(page.items)]


async def test_a_new_version_closes_the_one_it_starts_in_and_bumps_the_data_version() -> None:
    c = await memory_cogs()
    first = await c.create(c.cabinet, cost(NM, "1500", day(1)))
    assert first.changed == () and first.version.valid_to is None
    before = await c.version_number()
    second = await c.create(c.cabinet, cost(NM, "1600.50", day(15)))
    assert await c.version_number() == before + 1
    assert [v.id for v in second.changed] == [first.version.id]
    assert second.changed[0].valid_to == day(14)
    assert second.affected_weeks == ("2026-W03", "2026-W04", "2026-W05", "2026-W06")  # 15 Jan .. today
    assert await windows(c) == [("1500", day(1), day(14)), ("1600.50", day(15), None)]
    assert (await c.get(c.cabinet, NM, day(14))).version.unit_cost == Decimal(1500)  # type: ignore[union-attr]
    assert (await c.get(c.cabinet, NM, day(15))).version.unit_cost == Decimal("1600.50")  # type: ignore[union-attr]


async def test_a_day_without_a_cost_is_missing_not_zero() -> None:
    c = await memory_cogs()
    await c.create(c.cabinet, cost(NM, "10", day(10), day(20)))
    assert (await c.get(c.cabinet, NM, day(9))).version is None
    assert (await c.get(c.cabinet, NM, day(21))).version is None
    assert (await c.get(c.cabinet, 1, day(15))).version is None


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (cost(NM, "-1", day(1)), "unit_cost"),
        (cost(NM, "1.001", day(1)), "unit_cost"),
        (cost(NM, "abc", day(1)), "unit_cost"),
        (cost(NM, "1", day(1), currency="USD"), "currency"),
        (cost(NM, "1", day(1), currency="rub"), "currency"),
        (cost(NM, "1", day(5), day(4)), "valid_to"),
        (cost(0, "1", day(1)), "nm_id"),
        (cost(NM, "1", "2026-02-30"), "valid_from"),
        ({"nm_id": NM, "unit_cost": "1"}, "valid_from"),
        (cost(NM, "1", day(1), colour="red"), "colour"),
    ],
)
async def test_bad_values_are_refused_naming_the_field(raw: dict[str, object], field: str) -> None:
    c = await memory_cogs()
    with pytest.raises(InvalidValue) as refused:
        await c.create(c.cabinet, raw)
    assert refused.value.field == field
    assert await c.version_number() == 0


async def test_an_end_reaching_into_a_later_version_is_a_window_conflict() -> None:
    c = await memory_cogs()
    await c.create(c.cabinet, cost(NM, "100", day(10)))
    with pytest.raises(WindowConflict) as refused:
        await c.create(c.cabinet, cost(NM, "90", day(1), day(12)))
    assert refused.value.field == "valid_to" and "overlaps" in refused.value.reason
    with pytest.raises(WindowConflict):  # would leave 16.. without the cost of the version it replaces
        await c.create(c.cabinet, cost(NM, "90", day(12), day(15)))
    assert await windows(c) == [("100", day(10), None)]


async def test_update_keeps_the_id_and_moves_the_neighbours_windows() -> None:
    c = await memory_cogs()
    a = (await c.create(c.cabinet, cost(NM, "100", day(1)))).version
    b = (await c.create(c.cabinet, cost(NM, "200", day(15)))).version
    done = await c.update(c.cabinet, b.id, {"unit_cost": "250", "valid_from": day(20)})
    assert done.version.id == b.id and done.version.created_at == b.created_at
    assert await windows(c) == [("100", day(1), day(19)), ("250", day(20), None)]
    assert done.affected_weeks == ("2026-W03", "2026-W04", "2026-W05", "2026-W06")
    again = await c.update(c.cabinet, b.id, {"unit_cost": "250", "valid_from": day(20)})
    assert again.changed == () and await windows(c) == [("100", day(1), day(19)), ("250", day(20), None)]
    cheaper = await c.update(c.cabinet, a.id, {"nm_id": NM, "unit_cost": "90", "valid_from": day(1)})
    assert cheaper.version.valid_to == day(19)  # an open end stops before the later version
    with pytest.raises(InvalidValue, match="nm_id"):
        await c.update(c.cabinet, a.id, {"nm_id": 7, "unit_cost": "90", "valid_from": day(1)})
    with pytest.raises(WindowConflict):
        await c.update(c.cabinet, a.id, {"unit_cost": "90", "valid_from": day(1), "valid_to": day(25)})


async def test_delete_reopens_the_version_before_and_is_kept_in_the_history() -> None:
    c = await memory_cogs()
    a = (await c.create(c.cabinet, cost(NM, "100", day(1)))).version
    b = (await c.create(c.cabinet, cost(NM, "200", day(15)))).version
    gone = await c.delete(c.cabinet, b.id)
    assert gone.version.id == b.id and not gone.version.is_live
    assert [(v.id, v.valid_to) for v in gone.changed] == [(a.id, None)]
    assert await windows(c) == [("100", day(1), None)]
    page = await c.history(c.cabinet, NM, include_deleted=True)
    assert [(v.id, v.is_live) for v in page.items] == [(b.id, False), (a.id, True)]
    found, _ = await c.version(c.cabinet, b.id)
    assert found.deleted_at == c.clock.now()
    for again in (c.delete(c.cabinet, b.id), c.update(c.cabinet, b.id, cost(NM, "1", day(15)))):
        with pytest.raises(NotFound):
            await again


async def test_another_cabinets_version_is_not_found() -> None:
    c = await memory_cogs()
    theirs = (await c.create(c.cabinet, cost(NM, "100", day(1)))).version
    intruder = (await stored_cabinet(c.uow)).id
    for call in (
        c.delete(intruder, theirs.id),
        c.update(intruder, theirs.id, cost(NM, "1", day(1))),
        c.version(intruder, theirs.id),
    ):
        with pytest.raises(NotFound):
            await call
    assert await windows(c) == [("100", day(1), None)]
    assert (await c.history(intruder, NM)).items == ()


async def test_history_pages_newest_first_with_meta() -> None:
    c = await memory_cogs()
    for n, start in enumerate((1, 10, 20, 30), start=1):
        await c.create(c.cabinet, cost(NM, str(n * 100), day(start)))
    first = await c.history(c.cabinet, NM, limit=3)
    assert [v.valid_from for v in first.items] == [day(30), day(20), day(10)]
    assert (first.total, first.next_offset, first.current.unit_cost) == (4, 3, Decimal(400))  # type: ignore[union-attr]
    rest = await c.history(c.cabinet, NM, limit=3, offset=3)
    assert [v.valid_from for v in rest.items] == [day(1)] and rest.next_offset is None
    with pytest.raises(InvalidValue, match="limit"):
        await c.history(c.cabinet, NM, limit=0)
