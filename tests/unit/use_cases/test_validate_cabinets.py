"""ValidateAllCabinets: dead keys make cabinets invalid once, with exactly one event; WB failing to answer
never changes a cabinet; the summary says what happened to each cabinet."""

from datetime import timedelta
from uuid import UUID, uuid4

from application.ports.wb import WbRateLimited, WbUnavailable
from application.use_cases.purge_cabinets import PurgeCabinets
from application.use_cases.validate_cabinets import Outcome, ValidateAllCabinets
from domain.events import EventType
from domain.identity import CabinetStatus
from tests.unit.use_cases.support import World, wb_key


async def _setup(*sids: str) -> tuple[World, dict[str, UUID], ValidateAllCabinets]:
    w = World()
    ids = {sid: await w.cabinet(sid=sid) for sid in sids}
    purge = PurgeCabinets(w.uow, w.clock, timedelta(days=30))
    return w, ids, ValidateAllCabinets(w.uow, w.wb, w.box, w.clock, uuid4, purge)


async def test_rejected_key_marks_cabinet_invalid_with_exactly_one_event() -> None:
    w, ids, validate = await _setup("s1", "s2")
    w.wb.rejected[wb_key("s1")] = "token withdrawn"
    summary = await validate()
    assert (summary.total, summary.valid, summary.invalid, summary.removed, summary.errors) == (
        2,
        1,
        1,
        0,
        (),
    )
    bad = await w.get_cabinet(ids["s1"])
    assert bad is not None and not bad.is_active and bad.invalid_reason == "token withdrawn"
    assert [e.event.type for e in await w.events(ids["s1"])] == [EventType.CABINET_INVALID]
    assert await w.events(ids["s2"]) == []
    line = next(c for c in summary.checks if c.cabinet_id == ids["s1"])
    assert (line.status_before, line.status_after, line.reason) == (
        CabinetStatus.ACTIVE,
        "invalid",
        "token withdrawn",
    )
    again = await validate()
    assert (again.valid, again.invalid, again.count(Outcome.ALREADY_INVALID)) == (1, 0, 1)
    assert (
        len(await w.events(ids["s1"])) == 1 and w.wb.count("check_key") == 3
    )  # the dead key is not asked again


async def test_locally_expired_key_is_invalid_without_a_wb_call() -> None:
    w, ids, validate = await _setup("s1")
    w.clock.advance(days=181)
    summary = await validate()
    assert summary.invalid == 1 and w.wb.calls == []
    assert len(await w.events(ids["s1"])) == 1


async def test_unavailable_wb_skips_without_judging_and_rate_limit_stops() -> None:
    w, ids, validate = await _setup("s1", "s2", "s3")
    w.wb.fail["check_key"] = {1: WbUnavailable(503, "down"), 2: WbRateLimited(10)}
    summary = await validate()
    assert [c.outcome for c in summary.checks] == [
        Outcome.UNCHECKED,
        Outcome.NOT_REACHED,
        Outcome.NOT_REACHED,
    ]
    assert (summary.valid, summary.invalid, summary.removed, len(summary.errors)) == (0, 0, 0, 3)
    assert all(c.status_after == "active" for c in summary.checks)
    assert len(await w.active_cabinets()) == 3
    assert all([await w.events(i) == [] for i in ids.values()])
    async with w.uow() as uow:
        assert all([await uow.cabinets.deletion_scheduled_at(i) is None for i in ids.values()])


async def test_invalid_cabinet_keeps_its_data_for_the_retention_period_then_is_removed() -> None:
    w, ids, validate = await _setup("s1", "s2")
    w.wb.rejected[wb_key("s1")] = "token withdrawn"
    await validate()
    async with w.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(ids["s1"]) == w.clock.now() + timedelta(days=30)
    w.clock.advance(days=29, hours=23)
    assert (await validate()).removed == 0 and await w.get_cabinet(ids["s1"]) is not None
    w.clock.advance(hours=1)
    summary = await validate()
    assert (summary.total, summary.removed, summary.valid) == (2, 1, 1)
    line = next(c for c in summary.checks if c.cabinet_id == ids["s1"])
    assert line.status_after == "removed" and "token withdrawn" in (line.reason or "")
    assert await w.get_cabinet(ids["s1"]) is None and await w.events(ids["s1"]) == []
    assert await w.get_cabinet(ids["s2"]) is not None
    assert (await validate()).total == 1  # idempotent: nothing more to remove


async def test_reconnecting_within_the_period_keeps_the_cabinet_and_its_history() -> None:
    w, ids, validate = await _setup("s1")
    w.wb.rejected[wb_key("s1")] = "token withdrawn"
    await validate()
    w.clock.advance(days=20)
    newer = wb_key("s1", exp=w.clock.now() + timedelta(days=180))
    assert (await w.connect(111, newer, "s1")).cabinet.id == ids["s1"]
    async with w.uow() as uow:
        assert await uow.cabinets.deletion_scheduled_at(ids["s1"]) is None
    w.clock.advance(days=20)
    summary = await validate()
    assert (summary.valid, summary.removed) == (1, 0)
    assert [e.event.type for e in await w.events(ids["s1"])] == [EventType.CABINET_INVALID]  # history kept
