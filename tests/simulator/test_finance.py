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
    srids = {x["srid"] for x in lines}
    assert srids <= set((await truth(client, sid, detail=True))["ids"]["order_srids"])
    # the current week's report is not formed yet
    resp = await client.post(PATH, json={"dateFrom": "2026-10-27", "dateTo": "2026-10-31"}, headers=auth(key))
    assert resp.status == 204
    resp = await client.post(PATH, json={"dateFrom": "2026-10-27"}, headers=auth(key))
    assert resp.status == 400 and resp.content_type == "application/problem+json"
