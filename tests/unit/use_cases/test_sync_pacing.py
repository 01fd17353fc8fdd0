"""Statistics at WB's pace: a page that would have to wait for WB's limit ends the source for now without
an error ("continues at"), and the next run after that moment goes on from the last committed page; every
run re-reads a small overlap behind its cursor, for rows WB published late."""

from datetime import timedelta
from uuid import UUID

import pytest

from application.ports.wb import WbPacingWait
from application.sync.run import SyncSettings
from application.use_cases.cabinet_data_health import CabinetDataHealth
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World

STATS_ONLY = {WbCategory.STATISTICS}


@pytest.fixture
async def world() -> tuple[World, UUID]:
    w = World()
    return w, await w.cabinet(categories=STATS_ONLY)


async def _sales(w: World, cab: UUID) -> int:
    async with w.uow() as uow:
        return await uow.sales.count(cab)


async def test_a_second_sales_page_that_must_wait_continues_at_the_next_run_without_an_error(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    w.wb.sale_rows = [b.sale(cab, f"S{i}", T0 - timedelta(days=2, hours=-i)) for i in range(5)]
    w.wb.stat_cap = 2
    w.wb.fail["stat_sales"] = {2: WbPacingWait(63.0, "statistics_sales: paced by our limiter")}

    first = await w.sync(cab)
    sales = first.source("stat_sales")
    assert sales.error is None and sales.continues_at == T0 + timedelta(seconds=63) and sales.taken == 2
    health = {h.source: h for h in (await CabinetDataHealth(w.uow)(cab)).sources}
    assert health["stat_sales"].waiting and health["stat_sales"].last_error is None
    assert await _sales(w, cab) == 2

    w.clock.advance(seconds=30)  # before the moment: the source waits, quietly
    early = await w.sync(cab)
    assert early.source("stat_sales").skipped and w.wb.count("stat_sales") == 2

    w.clock.advance(seconds=40)
    later = await w.sync(cab)
    assert later.source("stat_sales").error is None and later.source("stat_sales").continues_at is None
    assert await _sales(w, cab) == 5
    health = {h.source: h for h in (await CabinetDataHealth(w.uow)(cab)).sources}
    assert not health["stat_sales"].waiting and health["stat_sales"].last_success_at == w.clock.now()


async def test_a_row_published_late_behind_the_cursor_is_still_taken(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.wb.stat_rows = [b.stat_order(cab, "early", T0 - timedelta(hours=3))]
    await w.sync(cab)
    # WB now shows a row whose lastChangeDate is before the cursor (the previous run's last row's).
    w.wb.stat_rows.append(b.stat_order(cab, "late", T0 - timedelta(hours=3, minutes=40)))
    w.clock.advance(minutes=3)
    report = await w.sync(cab)
    assert report.source("stat_orders").written == 1  # the late row; the re-read one writes nothing
    async with w.uow() as uow:
        assert await uow.stat_orders.count(cab) == 2


async def test_a_steady_state_statistics_run_is_one_call_per_report(world: tuple[World, UUID]) -> None:
    w, cab = world
    w.settings = SyncSettings()  # WB's page cap: a page of a few rows is the last one
    w.wb.sale_rows = [b.sale(cab, f"S{i}", T0 - timedelta(hours=i)) for i in range(3)]
    await w.sync(cab)
    w.wb.sale_rows.append(b.sale(cab, "S9", T0 + timedelta(minutes=1)))
    w.clock.advance(minutes=3)
    calls = w.wb.count("stat_sales")
    report = await w.sync(cab)
    assert report.source("stat_sales").written == 1 and w.wb.count("stat_sales") == calls + 1
