"""The finance sources for real: the simulator over loopback HTTP (weekly realization reports with storno,
corrections, penalties and SKU-less costs; the paid storage task flow), the real Redis limiter, Postgres.

What is stored equals the simulator's ground truth row for row, a second sync writes nothing and asks WB
nothing, the report is paged by rrdId until 204 with a small page, no rate limit is violated, and a paid
storage task that is not done yet is resumed by the next sync rather than created again."""

import asyncio
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs
import sqlalchemy as sa
from aiohttp.test_utils import TestClient

from tests.integration.sync_harness import (
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    errors,
    new_seller,
    scalar,
    sim_fixture,  # noqa: F401 - fixture sim
)

PAGE = 150  # rows per finance page: the simulated weeks hold several pages


async def finance_truth(seller: Seller) -> dict[str, Any]:
    resp = await seller.control.get(f"/__sim/sellers/{seller.sid}/truth?detail=finance")
    assert resp.status == 200
    return await resp.json()


async def rows(container: Any, sql: str, cabinet_id: UUID) -> list[Any]:
    engine = await container.gateways.engine()
    async with engine.connect() as conn:
        return list(await conn.execute(sa.text(sql), {"c": cabinet_id}))


async def stored_finance(container: Any, cabinet_id: UUID) -> dict[str, Any]:
    sign = "CASE doc_type_name WHEN 'Продажа' THEN 1 WHEN 'Возврат' THEN -1 ELSE 0 END"
    fields = ("retail_amount", "for_pay", "retail_price_with_disc", "delivery_service", "penalty",
              "paid_storage", "paid_acceptance", "deduction")  # fmt: skip
    sums = ", ".join(f"sum({f})" for f in fields)
    q = f"SELECT count(*), count(*) FILTER (WHERE nm_id IS NULL), {sums}, sum({sign} * retail_amount), "
    q += f"sum({sign} * for_pay), sum({sign} * retail_price_with_disc), sum({sign} * quantity) "
    q += "FROM finance_report_rows WHERE cabinet_id = :c"
    (row,) = await rows(container, q, cabinet_id)
    opers = await rows(
        container,
        "SELECT seller_oper_name, count(*) FROM finance_report_rows WHERE cabinet_id = :c GROUP BY 1",
        cabinet_id,
    )
    ids = await rows(
        container, "SELECT rrd_id FROM finance_report_rows WHERE cabinet_id = :c ORDER BY 1", cabinet_id
    )
    return {
        "rows": row[0], "without_nm_id": row[1], "sums": dict(zip(fields, row[2:10], strict=True)),
        "net": {"retail_amount": row[10], "for_pay": row[11], "retail_price_with_disc": row[12],
                "quantity": row[13]},
        "by_oper": dict(opers), "rrd_ids": [r[0] for r in ids],
    }  # fmt: skip


def expected_finance(truth: dict[str, Any]) -> dict[str, Any]:
    f = truth["finance"]
    theirs = ("retailAmount", "forPay", "retailPriceWithDisc", "deliveryService", "penalty", "paidStorage",
              "paidAcceptance", "deduction")  # fmt: skip
    ours = ("retail_amount", "for_pay", "retail_price_with_disc", "delivery_service", "penalty",
            "paid_storage", "paid_acceptance", "deduction")  # fmt: skip
    net = f["net"]
    return {
        "rows": f["rows"], "without_nm_id": f["without_nm_id"],
        "sums": {o: Decimal(f["sums"][t]) for o, t in zip(ours, theirs, strict=True)},
        "net": {"retail_amount": Decimal(net["retailAmount"]), "for_pay": Decimal(net["forPay"]),
                "retail_price_with_disc": Decimal(net["retailPriceWithDisc"]), "quantity": net["quantity"]},
        "by_oper": f["by_oper"], "rrd_ids": f["rrd_ids"],
    }  # fmt: skip


async def stored_storage(container: Any, cabinet_id: UUID) -> tuple[int, Decimal]:
    sql = "SELECT count(*), coalesce(sum(warehouse_price), 0) FROM paid_storage WHERE cabinet_id = :c"
    (row,) = await rows(container, sql, cabinet_id)
    return row[0], row[1]


async def small_page_sync(container: Any) -> Any:
    sync = await container.use_cases.sync_cabinet()
    return attrs.evolve(sync, settings=attrs.evolve(sync.settings, finance_page_limit=PAGE))


async def test_finance_rows_and_paid_storage_equal_the_truth_and_a_second_sync_writes_nothing(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, days=21)
    cabinet = await connect(container, seller.key)
    sync = await small_page_sync(container)

    first = await sync(cabinet.id)
    assert errors(first) == []
    assert first.source("finance_report").continues_at is None
    assert first.source("paid_storage").continues_at is None
    truth = await finance_truth(seller)
    stored = await stored_finance(container, cabinet.id)
    assert stored == expected_finance(truth)
    assert {
        "Сторно продаж",
        "Корректная продажа",
        "Штраф",
        "Хранение",
        "Платная приемка",
        "Удержание",
    } <= set(stored["by_oper"])
    assert await stored_storage(container, cabinet.id) == (
        truth["paid_storage"]["rows"],
        Decimal(truth["paid_storage"]["warehousePrice"]),
    )
    stats = await seller.stats()
    # every page of PAGE rows, then the 204 that ends the read
    assert stats["requests"]["finance"] == -(-truth["finance"]["rows"] // PAGE) + 1
    assert stats["by_status"]["finance"]["204"] == 1

    second = await sync(cabinet.id)
    assert errors(second) == []
    assert (second.source("finance_report").written, second.source("paid_storage").written) == (0, 0)
    after = await seller.stats()
    assert after["requests"]["finance"] == stats["requests"]["finance"]  # no week closed since: no call
    assert after["requests"].get("paid_storage_create") == stats["requests"]["paid_storage_create"]
    assert after["violations_total"] == 0, after["violations"]
    assert (
        await scalar(container, "SELECT count(*) FROM finance_report_rows WHERE cabinet_id = :c", cabinet.id)
        == (truth["finance"]["rows"])
    )


async def test_a_paid_storage_task_not_done_yet_is_resumed_by_the_next_sync(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, paid_storage_delay_s=100_000)  # x rate_scale: about 17 minutes
    cabinet = await connect(container, seller.key)
    sync = await container.use_cases.sync_cabinet()

    first = await sync(cabinet.id)
    assert errors(first) == []
    assert first.source("paid_storage").continues_at is not None
    assert await stored_storage(container, cabinet.id) == (0, 0)
    stats = await seller.stats()
    assert stats["requests"]["paid_storage_create"] == 1
    assert "paid_storage_download" not in stats["requests"]  # never asked for a task that is not done

    resp = await sim.post(f"/__sim/sellers/{seller.sid}/config", json={"paid_storage_delay_s": 0})
    assert resp.status == 200
    await asyncio.sleep(0.2)  # past continues_at (one status interval at this rate scale)
    second = await sync(cabinet.id)
    assert errors(second) == [] and second.source("paid_storage").continues_at is None
    truth = await finance_truth(seller)
    assert await stored_storage(container, cabinet.id) == (
        truth["paid_storage"]["rows"],
        Decimal(truth["paid_storage"]["warehousePrice"]),
    )
    after = await seller.stats()
    assert after["requests"]["paid_storage_create"] == 4  # the 30 days in 8-day windows, the first one reused
    assert after["violations_total"] == 0, after["violations"]
