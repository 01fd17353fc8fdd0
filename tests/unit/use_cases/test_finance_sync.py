"""The finance sources against a scripted WB: weekly reports read from a cursor and paged by rrdId, a week
whose report is late asked again, and paid storage tasks resumed across runs instead of waited for."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import attrs
import pytest

from domain.finance import FinanceReportRow, PaidStorageRow
from domain.wb_token import WbCategory
from tests.unit.use_cases.support import ALL, World

# T0 is Sunday 2026-03-01 (Moscow): the last closed week is 16-22 February; the first sync starts with
# the week of T0 - 30 days (Monday 26 January).
FIRST_MONDAY = date(2026, 1, 26)
LAST_SUNDAY = date(2026, 2, 22)


def week_rows(cab: UUID, monday: date, first_rrd: int, n: int = 3) -> list[FinanceReportRow]:
    rows = []
    for k in range(n):
        storno = k == n - 1
        rows.append(
            FinanceReportRow(
                cabinet_id=cab, rrd_id=first_rrd + k, report_id=monday.toordinal(), date_from=monday,
                date_to=monday + timedelta(days=6), doc_type_name="Возврат" if storno else "Продажа",
                seller_oper_name="Сторно продаж" if storno else "Продажа", quantity=1, nm_id=7,
                for_pay=Decimal("100.50"), srid=f"s{first_rrd}",
            )
        )  # fmt: skip
    return rows


def storage_row(cab: UUID, day: date) -> PaidStorageRow:
    return PaidStorageRow(cab, day, 507, 7, 70, "b7", Decimal("1.25"), warehouse_name="Коледино")


@pytest.fixture
async def world() -> tuple[World, UUID]:
    w = World(settings=attrs.evolve(World().settings, finance_page_limit=2, paid_storage_poll_s=0.0))
    return w, await w.cabinet()


async def finance_rows(w: World, cab: UUID) -> list[FinanceReportRow]:
    async with w.uow() as uow:
        return list(await uow.finance_rows.rows_between(cab, date.min, date.max))


async def test_first_sync_reads_every_closed_week_page_by_page_and_a_second_sync_asks_nothing(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    weeks = [FIRST_MONDAY + timedelta(days=7 * k) for k in range(4)]
    closed = [r for k, m in enumerate(weeks) for r in week_rows(cab, m, 1000 * (k + 1))]
    w.wb.finance_rows = closed + week_rows(cab, LAST_SUNDAY + timedelta(days=1), 9000)  # this week's: open
    report = await w.sync(cab)
    assert report.source("finance_report").written == 12
    calls = [args for m, args in w.wb.calls if m == "finance_report"]
    assert calls[0] == (FIRST_MONDAY, LAST_SUNDAY, 0, 2)
    assert [c[2] for c in calls] == [0, 1001, 2000, 2002, 3001, 4000, 4002]  # until an empty page
    stored = await finance_rows(w, cab)
    assert stored == closed  # storno rows kept as rows of their own
    assert sum(r.goods_sign * r.for_pay for r in stored) == 4 * Decimal("100.50")

    w.wb.calls.clear()
    w.clock.advance(minutes=3)
    again = await w.sync(cab)
    assert again.source("finance_report").written == 0 and again.source("finance_report").error is None
    assert w.wb.count("finance_report") == 0  # no week closed since: nothing to ask WB


async def test_a_week_whose_report_is_late_is_asked_again_and_stored_once_it_lands(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    last_week = LAST_SUNDAY - timedelta(days=6)
    w.wb.finance_rows = week_rows(cab, last_week - timedelta(days=7), 10)
    await w.sync(cab)
    assert len(await finance_rows(w, cab)) == 3

    w.wb.calls.clear()
    w.clock.advance(hours=1)
    await w.sync(cab)
    assert w.wb.count("finance_report") == 0  # asked again only after finance_recheck

    w.wb.finance_rows += week_rows(cab, last_week, 20)  # WB formed the report a day late
    w.clock.advance(hours=6)
    report = await w.sync(cab)
    calls = [args for m, args in w.wb.calls if m == "finance_report"]
    assert calls[0][:3] == (last_week, LAST_SUNDAY, 0)  # from the unsettled week, not from the start
    assert report.source("finance_report").written == 3
    assert len(await finance_rows(w, cab)) == 6


async def test_a_paid_storage_task_not_done_yet_is_resumed_by_the_next_run_not_created_again(
    world: tuple[World, UUID],
) -> None:
    w, cab = world
    yesterday = date(2026, 2, 28)
    w.wb.paid_storage_rows = [storage_row(cab, yesterday - timedelta(days=d)) for d in range(10)]
    w.wb.paid_storage_polls = 5  # WB says "processing" five times
    first = await w.sync(cab)
    ps = first.source("paid_storage")
    assert ps.error is None and ps.continues_at is not None and ps.written == 0
    assert w.wb.count("create_paid_storage_task") == 1 and w.wb.count("paid_storage_task_status") == 4

    w.wb.paid_storage_polls = 0  # WB has it ready now (and is quick with the next ones)
    w.clock.advance(minutes=1)
    second = await w.sync(cab)
    assert w.wb.count("create_paid_storage_task") == 4  # the same first task, then the three other windows
    polled = [args[0] for m, args in w.wb.calls if m == "paid_storage_task_status"]
    assert polled[4] == "task-1"  # the second run polled the task the first one created
    creates = [args for m, args in w.wb.calls if m == "create_paid_storage_task"]
    assert creates[0] == (date(2026, 1, 30), date(2026, 2, 6))
    assert creates[-1] == (date(2026, 2, 23), yesterday)  # 8-day windows up to yesterday
    assert second.source("paid_storage").written == 10 and second.source("paid_storage").continues_at is None
    async with w.uow() as uow:
        assert len(await uow.paid_storage.rows_between(cab, date.min, date.max)) == 10

    w.wb.calls.clear()
    w.clock.advance(minutes=3)
    third = await w.sync(cab)
    assert third.source("paid_storage").written == 0 and w.wb.count("create_paid_storage_task") == 0


async def test_a_key_without_the_finance_category_skips_the_report_but_reads_paid_storage() -> None:
    w = World()
    cab = await w.cabinet(categories=ALL - {WbCategory.FINANCE})
    report = await w.sync(cab)
    assert "FINANCE" in (report.source("finance_report").skipped or "")
    assert w.wb.count("finance_report") == 0 and w.wb.count("create_paid_storage_task") > 0
