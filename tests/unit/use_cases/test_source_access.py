"""One WB error must not kill a cabinet: a 401/403 of one source is judged by the key check, once per sync.

A good key only has the refused source blocked (with WB's reason, in data health, retried a day later or
with a new key); a key the check rejects too invalidates the cabinet with exactly one event; a check that
cannot answer judges nothing.
"""

from datetime import timedelta
from uuid import UUID, uuid4

from application.ports.wb import WbAuthError, WbRateLimited, WbUnavailable
from application.use_cases.cabinet_data_health import CabinetDataHealth, SourceHealth
from application.use_cases.validate_cabinets import ValidateAllCabinets
from domain.events import EventType
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World, wb_key

BASE_403 = "base token is not allowed"


async def world() -> tuple[World, UUID]:
    w = World()
    cab = await w.cabinet()
    w.wb.stock_rows = [b.stock(cab, n) for n in (1, 2)]
    w.wb.claim_rows = {False: [b.claim(cab, "c1")]}
    return w, cab


async def health(w: World, cab: UUID) -> dict[str, SourceHealth]:
    return {h.source: h for h in (await CabinetDataHealth(w.uow)(cab)).sources}


async def test_a_403_on_one_source_blocks_only_that_source_and_the_others_sync() -> None:
    w, cab = await world()
    w.wb.fail["stocks"] = {1: WbAuthError(403, BASE_403)}
    report = await w.sync(cab)
    assert (
        not report.invalidated and report.source("stocks").skipped == f"WB refuses it to this key: {BASE_403}"
    )
    assert [s.source for s in report.sources if s.error] == []
    assert report.source("claims").written == 1 and w.wb.count("check_key") == 1
    cabinet = await w.get_cabinet(cab)
    assert cabinet is not None and cabinet.is_active
    assert [e.event.type for e in await w.events(cab)] == [EventType.SYNC_COMPLETED]  # the key is good
    shown = (await health(w, cab))["stocks"]
    assert shown.blocked_reason == f"WB refuses it to this key: {BASE_403}"
    assert shown.blocked_until == T0 + timedelta(days=1) and shown.last_error is None

    w.clock.advance(hours=3)
    again = await w.sync(cab)  # skipped without asking WB, and without an error
    assert again.source("stocks").skipped and again.source("stocks").error is None
    assert w.wb.count("stocks") == 1 and w.wb.count("check_key") == 1

    w.clock.advance(days=1)
    retried = await w.sync(cab)  # a day later it is asked again, and now WB serves it
    assert retried.source("stocks").skipped is None and retried.source("stocks").written == 2
    assert (await health(w, cab))["stocks"].blocked_reason is None


async def test_a_401_token_scope_not_allowed_is_judged_like_a_403() -> None:
    w, cab = await world()
    w.wb.fail["claims"] = {1: WbAuthError(401, "token scope not allowed")}
    report = await w.sync(cab)
    assert not report.invalidated and "token scope not allowed" in (report.source("claims").skipped or "")
    assert (await health(w, cab))[
        "claims"
    ].blocked_reason == "WB refuses it to this key: token scope not allowed"


async def test_a_key_rejected_by_the_key_check_invalidates_once_however_many_sources_were_refused() -> None:
    w, cab = await world()
    for method in ("fbs_orders", "stat_orders", "stocks", "feedbacks"):
        w.wb.fail[method] = {1: WbAuthError(401, "token withdrawn")}
    w.wb.rejected[wb_key()] = "token withdrawn; Manage tokens at …"
    report = await w.sync(cab)
    assert report.invalidated and w.wb.count("check_key") == 1
    cabinet = await w.get_cabinet(cab)
    assert cabinet is not None and not cabinet.is_active
    assert cabinet.invalid_reason == "token withdrawn; Manage tokens at …"  # the key check's words
    assert [e.event.type for e in await w.events(cab)] == [EventType.CABINET_INVALID]
    assert cabinet.blocked_sources == {}  # a dead key blocks nothing: it is replaced as a whole


async def test_a_key_check_that_cannot_answer_judges_nothing() -> None:
    for failure in (WbUnavailable(503, "down"), WbRateLimited(30)):
        w, cab = await world()
        w.wb.fail["stocks"] = {1: WbAuthError(403, BASE_403)}
        w.wb.fail["check_key"] = {1: failure}
        report = await w.sync(cab)
        assert not report.invalidated and report.source("stocks").error
        cabinet = await w.get_cabinet(cab)
        assert cabinet is not None and cabinet.is_active and cabinet.blocked_sources == {}
        shown = (await health(w, cab))["stocks"]
        assert shown.blocked_reason is None and shown.last_error
        assert [e.event.type for e in await w.events(cab)] == []  # nothing judged; stocks not read yet
        w.clock.advance(minutes=3)
        assert (await w.sync(cab)).source("stocks").written == 2  # asked again at the next run
        # Every source has now finished once: only now is the seller told the data is ready.
        assert [e.event.type for e in await w.events(cab)] == [EventType.SYNC_COMPLETED]


async def test_a_new_key_of_the_seller_unblocks_its_sources_at_once() -> None:
    w, cab = await world()
    w.wb.fail["stocks"] = {1: WbAuthError(403, BASE_403)}
    await w.sync(cab)
    w.clock.advance(minutes=3)
    assert (await w.connect(111, wb_key(exp=T0 + timedelta(days=200)), "A")).key_replaced
    report = await w.sync(cab)
    assert report.source("stocks").skipped is None and report.source("stocks").written == 2


async def test_sources_the_key_lacks_show_why_in_data_health() -> None:
    w = World()
    cab = await w.cabinet(categories={WbCategory.STATISTICS, WbCategory.FEEDBACKS})
    await w.sync(cab)
    shown = await health(w, cab)
    assert shown["stocks"].blocked_reason == "the key lacks the ANALYTICS category"
    assert shown["stat_orders"].blocked_reason is None and shown["stocks"].blocked_until is None


async def test_a_second_invalidation_after_a_reconnect_is_a_new_event_on_the_same_day() -> None:
    w, cab = await world()
    validate = ValidateAllCabinets(w.uow, w.wb, w.box, w.clock, uuid4)
    w.wb.rejected[wb_key()] = "token withdrawn"
    assert (await validate()).invalid == 1
    newer = wb_key(exp=T0 + timedelta(days=200))
    w.clock.advance(hours=1)
    assert (await w.connect(111, newer, "A")).cabinet.is_active
    w.wb.rejected[newer] = "token withdrawn"
    w.clock.advance(hours=1)
    assert (await validate()).invalid == 1
    assert (await validate()).invalid == 0  # an invalid cabinet is not checked again
    events = await w.events(cab)
    assert [e.event.type for e in events] == [EventType.CABINET_INVALID] * 2
    assert len({e.event.dedupe_key for e in events}) == 2
