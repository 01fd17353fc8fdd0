"""The same sync end to end over the in-memory adapters (`adapters.outbound.memory`), so the use cases
and the real fakes agree on the repository contracts (ours in fakes.py are only for these tests)."""

from uuid import uuid4

import pytest

from application.use_cases.cabinet_data_health import CabinetDataHealth
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.sync_cabinet import SyncCabinet
from domain.identity import User
from tests.unit.use_cases.fakes import FakeClock, FakeSecretBox, FakeWbSellerApi, wb_key
from tests.unit.use_cases.test_sync_cabinet import SMALL, World

memory = pytest.importorskip("adapters.outbound.memory")


async def test_first_sync_then_nothing_new_over_memory_adapter() -> None:
    clock, wb = FakeClock(), FakeWbSellerApi()
    uow = memory.InMemoryUnitOfWorkFactory(clock=clock)
    async with uow() as u:
        await u.users.add(User(telegram_id=111))
        await u.commit()
    cab = (await ConnectCabinet(uow, wb, FakeSecretBox(), clock, uuid4)(111, wb_key(), "Shop")).cabinet.id
    script = World()
    script.cab = cab
    script.script_history()
    script.wb.stat_cap = 4
    sync = SyncCabinet(uow, script.wb, FakeSecretBox(), clock, memory.InMemoryCabinetLock(), SMALL, uuid4)
    first = await sync(cab)
    assert all(s.error is None and s.skipped is None for s in first.sources), first
    async with uow() as u:
        repos = (u.orders, u.stat_orders, u.sales, u.reviews, u.claims)
        counts = [await r.count(cab) for r in repos] + [len(await u.stocks.list(cab))]
    assert counts == [6, 7, 5, 5, 4, 3]
    clock.advance(minutes=3)
    second = await sync(cab)
    assert [s.written for s in second.sources] == [0] * 7, second
    health = await CabinetDataHealth(uow)(cab)
    assert all(h.last_success_at == clock.now() for h in health)
