"""RegisterUser, ListActiveCabinets, CheckReadiness and RecordWorkerHeartbeat over the in-memory adapters."""

import asyncio

import pytest

from adapters.outbound.memory.system import InMemoryWorkerHeartbeat, SettableHealthCheck
from application.ports.wb import WbAuthError
from application.use_cases import check_readiness
from application.use_cases.access import UserRef
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.list_active_cabinets import ListActiveCabinets
from application.use_cases.register_user import RegisterUser
from application.use_cases.worker_heartbeat import HEARTBEAT_TTL_S, RecordWorkerHeartbeat
from domain.errors import InvalidValue
from tests.unit.use_cases.support import T0, World, wb_key


async def test_registering_twice_keeps_one_user_and_updates_the_names() -> None:
    w = World()
    register = RegisterUser(w.uow, w.clock)
    first = await register(555, "ann", "Ann", None)
    w.clock.advance(minutes=5)
    again = await register(555, "ann_new", "Ann", "Lee")
    same = await register(555, "ann_new", "Ann", "Lee")
    assert first.created and not again.created and not same.created
    assert first.user.id == again.user.id == same.user.id
    assert (again.user.username, again.user.last_name, again.user.created_at) == ("ann_new", "Lee", T0)
    async with w.uow() as uow:
        stored = await uow.users.get_by_telegram_id(555)
    assert stored is not None and stored.username == "ann_new"


async def test_a_bad_telegram_id_is_refused_before_anything_is_stored() -> None:
    w = World()
    with pytest.raises(InvalidValue) as err:
        await RegisterUser(w.uow, w.clock)(0)
    assert err.value.field == "telegram_id"


async def test_two_racing_first_registrations_end_with_one_user() -> None:
    w = World()
    register = RegisterUser(w.uow, w.clock)
    results = await asyncio.gather(register(777, "a"), register(777, "a"))
    assert results[0].user.id == results[1].user.id
    assert sorted(r.created for r in results) == [False, True]


async def test_active_cabinets_leave_out_invalid_ones() -> None:
    w = World()
    good, bad = await w.cabinet(sid="s1"), await w.cabinet(sid="s2")
    w.wb.fail["fbs_orders"] = {1: WbAuthError(401, "withdrawn")}
    w.wb.rejected[wb_key("s2")] = "withdrawn"  # and the key check confirms it
    assert (await w.sync(bad)).invalidated  # the rejected key invalidates its cabinet
    assert list(await ListActiveCabinets(w.uow)()) == [good]


async def test_readiness_names_what_is_down_and_shows_the_worker() -> None:
    w = World()
    heartbeat = InMemoryWorkerHeartbeat(w.clock)
    checks = [SettableHealthCheck("postgres"), SettableHealthCheck("redis", "unreachable (ConnectionError)")]
    readiness = CheckReadiness(checks, heartbeat, w.clock)
    report = await readiness()
    assert not report.ready and report.checks == {"postgres": None, "redis": "unreachable (ConnectionError)"}
    assert report.worker is not None and report.worker.heartbeat is None
    await RecordWorkerHeartbeat(heartbeat, w.clock)()
    w.clock.advance(seconds=30)
    checks[1].reason = None
    report = await readiness()
    assert report.ready and report.worker is not None
    assert (report.worker.heartbeat, report.worker.age_s) == (T0, 30.0)
    w.clock.advance(seconds=HEARTBEAT_TTL_S)
    assert (await readiness()).worker.heartbeat is None  # type: ignore[union-attr]


class _Hanging(SettableHealthCheck):
    async def __call__(self) -> str | None:
        await asyncio.sleep(60)
        return None


class _Raising(SettableHealthCheck):
    async def __call__(self) -> str | None:
        raise RuntimeError("password=hunter2 leaked?")


async def test_a_hanging_or_raising_check_is_not_ready_and_never_raises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check_readiness, "CHECK_TIMEOUT_S", 0.05)
    w = World()
    readiness = CheckReadiness(
        [_Hanging("postgres"), _Raising("redis")], InMemoryWorkerHeartbeat(w.clock), w.clock
    )
    report = await asyncio.wait_for(readiness(), timeout=5)
    assert report.checks == {"postgres": "no answer within 0.05 s", "redis": "check failed (RuntimeError)"}


@pytest.mark.parametrize("ids", [{"telegram_id": 0}, {"user_id": -1}, {"telegram_id": 2**63}, {}])
def test_a_user_reference_outside_the_ids_we_store_is_refused_naming_it(ids: dict[str, int]) -> None:
    with pytest.raises(InvalidValue):
        UserRef(**ids)
    assert UserRef(telegram_id=2**63 - 1).telegram_id == 2**63 - 1
