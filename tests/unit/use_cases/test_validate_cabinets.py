"""ValidateAllCabinets: dead keys make cabinets invalid once, with exactly one event."""

from uuid import uuid4

from application.errors import WbRateLimited, WbUnavailable
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.validate_cabinets import ValidateAllCabinets
from domain.events import EventType
from tests.unit.use_cases.fakes import (
    FakeClock,
    FakeSecretBox,
    FakeUnitOfWorkFactory,
    FakeWbSellerApi,
    add_user,
    wb_key,
)


async def _setup(*sids: str) -> tuple[FakeUnitOfWorkFactory, FakeWbSellerApi, FakeClock, ValidateAllCabinets]:
    uow, wb, clock = FakeUnitOfWorkFactory(), FakeWbSellerApi(), FakeClock()
    add_user(uow.store, 111)
    connect = ConnectCabinet(uow, wb, FakeSecretBox(), clock, uuid4)
    for sid in sids:
        await connect(111, wb_key(sid), sid)
    wb.calls.clear()
    return uow, wb, clock, ValidateAllCabinets(uow, wb, FakeSecretBox(), clock, uuid4)


async def test_rejected_key_marks_cabinet_invalid_with_exactly_one_event() -> None:
    uow, wb, _, validate = await _setup("s1", "s2")
    wb.rejected[wb_key("s1")] = "token withdrawn"
    summary = await validate()
    assert (summary.checked, summary.invalid, summary.skipped) == (2, 1, 0)
    bad = next(c for c in uow.store.tables["cabinets"].values() if c.seller_id == "s1")
    assert not bad.is_active and bad.invalid_reason == "token withdrawn"
    events = list(uow.store.tables["events"].values())
    assert [(e.type, e.cabinet_id) for e in events] == [(EventType.CABINET_INVALID, bad.id)]
    again = await validate()
    assert (again.checked, again.invalid) == (1, 0)
    assert len(uow.store.tables["events"]) == 1


async def test_locally_expired_key_is_invalid_without_a_wb_call() -> None:
    uow, wb, clock, validate = await _setup("s1")
    clock.advance(days=181)
    summary = await validate()
    assert summary.invalid == 1 and wb.calls == []
    assert len(uow.store.tables["events"]) == 1


async def test_unavailable_wb_skips_without_judging_and_rate_limit_stops() -> None:
    uow, wb, _, validate = await _setup("s1", "s2", "s3")
    wb.fail["check_key"] = {1: WbUnavailable(503, "down"), 2: WbRateLimited(10)}
    summary = await validate()
    assert (summary.checked, summary.invalid, summary.skipped, summary.remaining) == (0, 0, 1, 2)
    assert all(c.is_active for c in uow.store.tables["cabinets"].values())
    assert uow.store.tables["events"] == {}
