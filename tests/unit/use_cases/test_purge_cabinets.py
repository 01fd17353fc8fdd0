"""PurgeCabinets: a cabinet its last member left, or whose key died, keeps its data for the retention
period; then it goes with everything it owns, and a cabinet in use is never touched."""

from datetime import timedelta

from application.use_cases.purge_cabinets import PurgeCabinets, PurgeSummary
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import World, wb_key

RETENTION = timedelta(days=30)


async def _leave(w: World, telegram_id: int, cabinet_id: object) -> None:
    async with w.uow() as uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        assert user is not None and user.id is not None
        await uow.memberships.remove(user.id, cabinet_id)  # type: ignore[arg-type]
        await uow.commit()


async def test_memberless_cabinet_is_marked_then_removed_after_the_retention_period() -> None:
    w = World()
    gone, kept = await w.cabinet(111, sid="s1"), await w.cabinet(222, sid="s2")
    w.wb.orders = [b.order(gone, 1, w.clock.now() - timedelta(hours=1))]
    await w.sync(gone)
    await _leave(w, 111, gone)
    purge = PurgeCabinets(w.uow, w.clock, RETENTION)
    first = await purge()
    assert (first.marked, first.removed) == (1, ())
    async with w.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(gone) == w.clock.now() + RETENTION
        assert await uow.cabinets.deletion_scheduled_at(kept) is None
        assert await uow.orders.count(gone) > 0
    w.clock.advance(days=10)
    assert (await purge()).removed == ()  # a second run never postpones nor advances the mark
    w.clock.advance(days=20)
    second = await purge()
    assert [r.cabinet_id for r in second.removed] == [gone] and second.marked == 0
    async with w.uow() as uow:
        assert await uow.cabinets.get(gone) is None and await uow.orders.count(gone) == 0
        assert await uow.cabinets.get(kept) is not None
    assert (await purge()).removed == ()


async def test_a_member_joining_again_before_the_end_saves_the_cabinet() -> None:
    w = World()
    cab = await w.cabinet(111, sid="s1")
    await _leave(w, 111, cab)
    purge = PurgeCabinets(w.uow, w.clock, RETENTION)
    await purge()
    w.clock.advance(days=29)
    await w.user(333)
    assert (await w.connect(333, wb_key("s1"), "again")).cabinet.id == cab
    w.clock.advance(days=2)
    assert (await purge()) == PurgeSummary(marked=0, removed=())
    assert await w.get_cabinet(cab) is not None


async def test_a_mark_left_on_a_cabinet_in_use_is_cleared_not_acted_on() -> None:
    w = World()
    cab = await w.cabinet(111, sid="s1")
    async with w.uow() as uow:
        await uow.cabinets.schedule_deletion(cab, w.clock.now())
        await uow.commit()
    summary = await PurgeCabinets(w.uow, w.clock, RETENTION)()
    assert (summary.marked, summary.removed) == (0, ())
    async with w.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(cab) is None
