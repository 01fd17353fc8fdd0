"""One contract for the COGS repository, on the in-memory store and on Postgres: versions round-trip exactly,
one save moves windows however they nest, overlaps are refused, reads are scoped by cabinet, and the
week's uncosted sales are counted on Moscow days."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from domain.cogs import CogsHistory, CogsVersion
from domain.errors import Conflict
from domain.money import Money
from tests.integration.builders import stored_cabinet
from tests.integration.conftest import Backend
from tests.unit.use_cases import builders as b

AT = datetime(2026, 1, 20, 9, 30, 15, 123000, tzinfo=UTC)
NM = 77


def jan(d: int) -> date:
    return date(2026, 1, 1) + timedelta(days=d - 1)


def version(
    cabinet: uuid.UUID, start: int, end: int | None = None, nm: int = NM, cost: str = "10.5"
) -> CogsVersion:
    return CogsVersion(
        uuid.uuid4(), cabinet, nm, Decimal(cost), jan(start), AT, None if end is None else jan(end)
    )


async def saved(backend: Backend, *versions: CogsVersion) -> None:
    async with backend.uow() as uow:
        await uow.cogs.save(list(versions))
        await uow.commit()


async def history(backend: Backend, cabinet: uuid.UUID, nm: int = NM) -> CogsHistory:
    async with backend.uow() as uow:
        return await uow.cogs.history(cabinet, nm)


def shape(h: CogsHistory) -> list[tuple[object, ...]]:
    return sorted((attrs.astuple(v) for v in h.versions(include_deleted=True)), key=str)


async def test_versions_round_trip_exactly_and_only_for_their_cabinet(backend: Backend) -> None:
    cab, other = (await stored_cabinet(backend.uow)).id, (await stored_cabinet(backend.uow)).id
    a = version(cab, 1, 9, cost="1500.05")
    gone = attrs.evolve(version(cab, 10), deleted_at=AT + timedelta(hours=1))
    await saved(backend, a, gone, version(other, 1))
    assert shape(await history(backend, cab)) == sorted([attrs.astuple(a), attrs.astuple(gone)], key=str)
    async with backend.uow() as uow:
        assert attrs.astuple(await uow.cogs.find(cab, gone.id)) == attrs.astuple(gone)  # type: ignore[arg-type]
        assert await uow.cogs.find(other, a.id) is None
        found = await uow.cogs.histories_for_update(cab, [NM, 5])
        assert found[5].versions(include_deleted=True) == [] and len(found[NM].versions()) == 1
        assert await uow.cogs.histories_for_update(cab, []) == {}


async def test_one_save_moves_nested_windows_in_any_order(backend: Backend) -> None:
    """Stored: A 1..9, B 10..19, C 20..; then B moves to 25.. (A takes 10..19, C ends at 24) and a new D
    from the 1st supersedes A (ending at 19), all in one save."""
    cab = (await stored_cabinet(backend.uow)).id
    a, bb, c = version(cab, 1, 9), version(cab, 10, 19), version(cab, 20)
    await saved(backend, a, bb, c)
    h = await history(backend, cab)
    moved = attrs.evolve(bb, valid_from=jan(25), valid_to=None)
    h.replace(moved, through=jan(31))
    h.add(version(cab, 1, cost="1"), through=jan(31))
    changed = h.versions(include_deleted=True)
    await saved(backend, *changed[::-1])  # the order of a save does not matter
    assert shape(await history(backend, cab)) == shape(h)
    live = [(v.valid_from, v.valid_to) for v in (await history(backend, cab)).live_versions()]
    assert live == [(jan(1), jan(19)), (jan(20), jan(24)), (jan(25), None)]


async def test_one_save_grows_a_window_into_one_that_moves_away(backend: Backend) -> None:
    """A 1..9, B 10..19, C 20..; B moves to 25..: A takes 10..19 (growing into B's old window), C ends at
    24. Saved A first, the order in which a row-by-row check would meet A before B has moved."""
    cab = (await stored_cabinet(backend.uow)).id
    a, bb, c = version(cab, 1, 9), version(cab, 10, 19), version(cab, 20)
    await saved(backend, a, bb, c)
    async with backend.uow() as uow:
        h = (await uow.cogs.histories_for_update(cab, [NM]))[NM]
        change = h.replace(attrs.evolve(bb, valid_from=jan(25), valid_to=None), through=jan(31))
        await uow.cogs.save(sorted(change.changed, key=lambda v: v.valid_from))
        await uow.commit()
    live = [(v.id, v.valid_from, v.valid_to) for v in (await history(backend, cab)).live_versions()]
    assert live == [(a.id, jan(1), jan(19)), (c.id, jan(20), jan(24)), (bb.id, jan(25), None)]


async def test_overlapping_live_windows_are_refused(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await saved(backend, version(cab, 1, 10))
    async with backend.uow() as uow:
        with pytest.raises(Conflict):
            await uow.cogs.save([version(cab, 10)])
    await saved(backend, version(cab, 10, nm=NM + 1), attrs.evolve(version(cab, 5), deleted_at=AT))
    assert len((await history(backend, cab)).versions(include_deleted=True)) == 2


async def test_versions_for_a_period_are_the_live_ones_touching_it(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    early, mid, late, other = version(cab, 1, 4), version(cab, 5, 11), version(cab, 12), version(cab, 1, nm=9)
    await saved(backend, early, mid, late, other, attrs.evolve(version(cab, 3, nm=8), deleted_at=AT))
    async with backend.uow() as uow:
        week = await uow.cogs.versions_for(cab, None, jan(5), jan(11))
        assert [v.id for v in week] == [other.id, mid.id]  # by nm_id
        assert [v.id for v in await uow.cogs.versions_for(cab, [NM], jan(4), jan(12))] == [
            early.id,
            mid.id,
            late.id,
        ]
        assert await uow.cogs.versions_for(cab, [8], jan(1), jan(31)) == []


def msk(d: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, d, hour, minute, tzinfo=UTC) - timedelta(hours=3)


async def test_uncosted_sales_count_moscow_days_and_latest_articles(backend: Backend) -> None:
    cab = (await stored_cabinet(backend.uow)).id
    await saved(backend, version(cab, 15, nm=1), version(cab, 1, 13, nm=2))
    p = {"price_with_disc": Money(Decimal("99.99"))}
    rows = [
        b.sale(cab, "S1", msk(14, 23, 59), nm_id=1, supplier_article="a1", **p),  # Wed 23:59: uncosted
        b.sale(cab, "S2", msk(15, 0, 0), nm_id=1, **p),  # Thu 00:00: costed
        b.sale(cab, "S3", msk(14, 0, 0), nm_id=2, supplier_article="b-old", **p),  # 2 is costed to the 13th
        b.sale(cab, "S4", msk(16, 10), nm_id=2, supplier_article="b-new", **p),
        b.sale(cab, "R5", msk(16, 10), nm_id=2, **p),
        b.sale(cab, "S6", msk(19, 0), nm_id=3, **p),  # the next week
    ]
    async with backend.uow() as uow:
        await uow.sales.upsert_many(rows)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.cogs.uncosted_sales(cab, jan(12), jan(18))
        names = await uow.cogs.sa_names(cab, [1, 2, 3, 4])
    assert [(u.nm_id, u.sa_name, u.units, u.revenue) for u in found] == [
        (2, "b-new", 2, Decimal("199.98")), (1, "a1", 1, Decimal("99.99")),
    ]  # fmt: skip
    assert names == {1: "A", 2: "b-new", 3: "A"}  # the latest row of each: S2, S4 (ties by id), S6
