"""ValidateAllCabinets: dead keys make cabinets invalid once, with exactly one event."""

from uuid import UUID, uuid4

from application.ports.wb import WbRateLimited, WbUnavailable
from application.use_cases.validate_cabinets import ValidateAllCabinets
from domain.events import EventType
from tests.unit.use_cases.support import World, wb_key


async def _setup(*sids: str) -> tuple[World, dict[str, UUID], ValidateAllCabinets]:
    w = World()
    ids = {sid: await w.cabinet(sid=sid) for sid in sids}
    return w, ids, ValidateAllCabinets(w.uow, w.wb, w.box, w.clock, uuid4)


async def test_rejected_key_marks_cabinet_invalid_with_exactly_one_event() -> None:
    w, ids, validate = await _setup("s1", "s2")
    w.wb.rejected[wb_key("s1")] = "token withdrawn"
    summary = await validate()
    assert (summary.checked, summary.invalid, summary.skipped) == (2, 1, 0)
    bad = await w.get_cabinet(ids["s1"])
    assert bad is not None and not bad.is_active and bad.invalid_reason == "token withdrawn"
    assert [e.event.type for e in await w.events(ids["s1"])] == [EventType.CABINET_INVALID]
    assert await w.events(ids["s2"]) == []
    again = await validate()
    assert (again.checked, again.invalid) == (1, 0)
    assert len(await w.events(ids["s1"])) == 1


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
    assert (summary.checked, summary.invalid, summary.skipped, summary.remaining) == (0, 0, 1, 2)
    assert len(await w.active_cabinets()) == 3
    assert all([await w.events(i) == [] for i in ids.values()])
