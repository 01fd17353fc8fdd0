"""HttpWbSellerApi's finance calls against the simulator over real loopback HTTP, paced by a real Redis
limiter: the realization report paged by rrdId until 204 maps to rows equal to the simulator's truth (money
strings as exact Decimals, SKU-less costs with no nm_id), and the paid storage task flow with its three
limit groups, refusing a download before the task is done as WB does."""

from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from application.ports.wb import WbApiError
from domain.finance import FinanceReportRow, PaidStorageTaskStatus
from tests.integration.wb_sim import Harness, harness


@pytest.fixture
async def sim(aiohttp_server, redis_url: str) -> AsyncIterator[Harness]:
    async with harness(aiohttp_server, redis_url) as h:
        yield h


async def test_the_report_pages_by_rrd_id_until_204_and_equals_the_truth(sim: Harness) -> None:
    seller = await sim.seller(days=21)  # the simulator's clock: 2026-11-01; three weeks formed
    rows: list[FinanceReportRow] = []
    cursor, calls = 0, 0
    while True:
        page = await seller.api.finance_report(
            seller.creds, date(2026, 9, 28), date(2026, 10, 25), cursor, 200
        )
        calls += 1
        if not page:
            break
        assert len(page) <= 200 and page[0].rrd_id > cursor
        rows.extend(page)
        cursor = page[-1].rrd_id
    async with seller.control.get(f"/__sim/sellers/{seller.sid}/truth?detail=finance") as resp:
        truth = (await resp.json())["finance"]
    assert [r.rrd_id for r in rows] == truth["rrd_ids"] and calls == -(-len(rows) // 200) + 1
    assert sum(r.for_pay for r in rows) == Decimal(truth["sums"]["forPay"])
    assert sum(r.goods_sign * r.for_pay for r in rows) == Decimal(truth["net"]["forPay"])
    assert sum(r.paid_acceptance + r.deduction for r in rows) == Decimal(
        truth["sums"]["paidAcceptance"]
    ) + Decimal(truth["sums"]["deduction"])
    assert sum(1 for r in rows if r.nm_id is None) == truth["without_nm_id"] > 0
    storno = [r for r in rows if r.seller_oper_name == "Сторно продаж"]
    assert storno and all(r.goods_sign == -1 and r.for_pay > 0 and r.srid for r in storno)
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats


async def test_paid_storage_task_flow_and_a_download_before_done_is_refused(sim: Harness) -> None:
    seller = await sim.seller(rate_scale=0.01, paid_storage_delay_s=50)  # done after 0.5 s
    first, last = date(2026, 10, 20), date(2026, 10, 27)
    task = await seller.api.create_paid_storage_task(seller.creds, first, last)
    status = await seller.api.paid_storage_task_status(seller.creds, task)
    assert status in (PaidStorageTaskStatus.NEW, PaidStorageTaskStatus.PROCESSING)
    with pytest.raises(WbApiError) as refused:
        await seller.api.download_paid_storage(seller.creds, task)
    assert refused.value.status == 400
    for _ in range(40):  # one status poll per 5 s x 0.01, burst 5: the limiter paces them
        if await seller.api.paid_storage_task_status(seller.creds, task) is PaidStorageTaskStatus.DONE:
            break
    else:
        raise AssertionError("the task never got done")
    rows = await seller.api.download_paid_storage(seller.creds, task)
    assert {r.date for r in rows} == {first + timedelta(days=d) for d in range(8)}
    assert len({r.key for r in rows}) == len(rows) and all(r.warehouse_price > 0 and r.nm_id for r in rows)
    with pytest.raises(WbApiError) as too_long:
        await seller.api.create_paid_storage_task(seller.creds, first, last + timedelta(days=5))
    assert too_long.value.status == 400
    stats = await seller.stats()
    assert stats["violations_total"] == 0, stats
    assert stats["requests"]["paid_storage_download"] == 2
