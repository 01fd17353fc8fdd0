import asyncio
from collections import Counter
from decimal import Decimal

from tests.simulator.helpers import auth, truth

PATH = "/api/finance/v1/sales-reports/detailed"


async def test_detailed_report_pages_by_rrd_id_until_204(client, make_seller) -> None:
    sid, key = await make_seller(preset="small")
    body = {"dateFrom": "2026-10-19", "dateTo": "2026-10-25", "limit": 100, "rrdId": 0}
    lines, calls = [], 0
    while True:
        resp = await client.post(PATH, json=body, headers=auth(key))
        calls += 1
        if resp.status == 204:
            break
        assert resp.status == 200
        page = await resp.json()
        assert 0 < len(page) <= 100
        lines.extend(page)
        body["rrdId"] = page[-1]["rrdId"]
    ids = [x["rrdId"] for x in lines]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) and calls > 2
    assert {x["dateFrom"] for x in lines} == {"2026-10-19"}
    assert {x["createDate"] for x in lines} == {"2026-10-26"}
    sales = [x for x in lines if x["sellerOperName"] == "Продажа"]
    assert sales and all(isinstance(x["forPay"], str) for x in sales)
    assert sum(Decimal(x["forPay"]) for x in sales) > 0
    assert {x["sellerOperName"] for x in lines} >= {"Продажа", "Логистика"}
    srids = {x["srid"] for x in lines if x["srid"]}  # the report-level lines (storage…) have none
    assert srids <= set((await truth(client, sid, detail=True))["ids"]["order_srids"])
    # the current week's report is not formed yet
    resp = await client.post(PATH, json={"dateFrom": "2026-10-27", "dateTo": "2026-10-31"}, headers=auth(key))
    assert resp.status == 204
    resp = await client.post(PATH, json={"dateFrom": "2026-10-27"}, headers=auth(key))
    assert resp.status == 400 and resp.content_type == "application/problem+json"


async def _all_lines(client, key: str, body: dict) -> list[dict]:
    lines: list[dict] = []
    while True:
        resp = await client.post(PATH, json=body, headers=auth(key))
        if resp.status == 204:
            return lines
        assert resp.status == 200, await resp.text()
        page = await resp.json()
        lines.extend(page)
        body = {**body, "rrdId": page[-1]["rrdId"]}


async def test_weekly_lines_include_storno_corrections_penalties_and_costs_without_a_sku(
    client, make_seller
) -> None:
    sid, key = await make_seller(preset="small", days=21)
    lines = await _all_lines(client, key, {"dateFrom": "2026-09-01", "dateTo": "2026-11-01", "limit": 150})
    opers = Counter(x["sellerOperName"] for x in lines)
    assert set(opers) >= {"Продажа", "Логистика", "Сторно продаж", "Корректная продажа", "Штраф",
                          "Хранение", "Платная приемка", "Удержание"}  # fmt: skip
    storno = [x for x in lines if x["sellerOperName"] == "Сторно продаж"]
    assert all(x["docTypeName"] == "Возврат" and Decimal(x["forPay"]) > 0 for x in storno)
    # each storno reverses an earlier sale of the same order, with the sale's own amounts
    sales = {x["srid"]: x for x in lines if x["sellerOperName"] == "Продажа"}
    assert all(sales[x["srid"]]["forPay"] == x["forPay"] and sales[x["srid"]]["rrdId"] < x["rrdId"]
               for x in storno)  # fmt: skip
    no_sku = [x for x in lines if x["sellerOperName"] in ("Хранение", "Платная приемка", "Удержание")]
    assert no_sku and all(not x.get("nmId") for x in no_sku)
    assert any("nmId" not in x for x in no_sku) and any(x.get("nmId") == 0 for x in no_sku)
    fin = (await (await client.get(f"/__sim/sellers/{sid}/truth?detail=finance")).json())["finance"]
    assert [x["rrdId"] for x in lines] == fin["rrd_ids"] and fin["without_nm_id"] == len(no_sku)
    storage = sum(Decimal(x["paidStorage"]) for x in lines)
    assert storage == Decimal(fin["sums"]["paidStorage"]) > 0


async def test_paid_storage_task_goes_from_new_to_done_and_download_before_that_is_refused(
    client, make_seller
) -> None:
    sid, key = await make_seller(preset="small", rate_scale=0.01, paid_storage_delay_s=30)
    h = auth(key)
    bad = await client.get(
        "/api/v1/paid_storage", params={"dateFrom": "2026-10-01", "dateTo": "2026-10-20"}, headers=h
    )
    assert bad.status == 400 and "8 days" in (await bad.json())["detail"]
    resp = await client.get(
        "/api/v1/paid_storage", params={"dateFrom": "2026-10-20", "dateTo": "2026-10-27"}, headers=h
    )
    task = (await resp.json())["data"]["taskId"]
    status = await client.get(f"/api/v1/paid_storage/tasks/{task}/status", headers=h)
    assert (await status.json())["data"]["status"] in ("new", "processing")
    early = await client.get(f"/api/v1/paid_storage/tasks/{task}/download", headers=h)
    assert early.status == 400 and "not ready" in (await early.json())["detail"]
    assert (await client.get("/api/v1/paid_storage/tasks/nope/status", headers=h)).status == 400
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await client.get(f"/api/v1/paid_storage/tasks/{unknown}/status", headers=h)).status == 404
    assert (await client.post(f"/__sim/sellers/{sid}/config", json={"paid_storage_delay_s": 0})).status == 200
    await asyncio.sleep(1.2)  # the download bucket (1/min, burst 1) refills at rate_scale 0.01
    done = await client.get(f"/api/v1/paid_storage/tasks/{task}/status", headers=h)
    assert (await done.json())["data"]["status"] == "done"
    rows = await (await client.get(f"/api/v1/paid_storage/tasks/{task}/download", headers=h)).json()
    assert {r["date"] for r in rows} == {f"2026-10-{d}" for d in range(20, 28)}
    assert all(r["warehousePrice"] > 0 and r["nmId"] for r in rows)
    keys = {(r["date"], r["officeId"], r["nmId"], r["chrtId"], r["barcode"]) for r in rows}
    assert len(keys) == len(rows)
