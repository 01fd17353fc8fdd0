from collections import Counter

from tests.simulator.helpers import START, auth, fbs_all, truth


async def test_paging_visits_every_order_once(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", fbw_share=0)  # 1,200 orders over 14 days, all FBS
    orders, calls = await fbs_all(client, key, START - 30 * 86400, START, limit=97)
    ids = [o["id"] for o in orders]
    assert len(ids) == len(set(ids)) == (await truth(client, sid))["fbs_orders"]["count"] == 1200
    assert calls == -(-1200 // 97) + 1
    assert ids == sorted(ids)
    o = orders[0]
    assert o["createdAt"].endswith("Z") and o["deliveryType"] == "fbs" and o["currencyCode"] == 643
    assert isinstance(o["price"], int) and o["cargoType"] in (1, 2, 3) and "isB2B" in o["options"]
    assert len(o["rid"]) == 32 and o["skus"] and "status" not in o and "wbStatus" not in o


async def test_paging_by_windows_splits_without_overlap(client, make_seller) -> None:
    _sid, key = await make_seller(preset="small", fbw_share=0)
    mid = START - 5 * 86400
    first, _ = await fbs_all(client, key, START - 20 * 86400, mid, limit=1000)
    second, _ = await fbs_all(client, key, mid + 1, START, limit=1000)
    assert len(first) + len(second) == 1200
    assert not {o["id"] for o in first} & {o["id"] for o in second}


async def test_orders_parameter_errors_cost_ten(client, make_seller) -> None:
    _sid, key = await make_seller(rate_scale=1.0)
    bad = [
        {"next": 0},  # no limit
        {"limit": 10},  # no next
        {"limit": 0, "next": 0},
        {"limit": 1001, "next": 0},
        {"limit": "x", "next": 0},
        {"limit": 10, "next": 0, "dateFrom": START - 31 * 86400, "dateTo": START},
        {"limit": 10, "next": 0, "dateFrom": START, "dateTo": START - 10},
    ]
    for params in bad[:1]:
        resp = await client.get("/api/v3/orders", params=params, headers=auth(key))
        assert resp.status == 400
        assert await resp.json() == {"code": "IncorrectParameter", "message": "Передан некорректный параметр"}
        assert resp.headers["X-Ratelimit-Remaining"] == "10"  # burst 20 - 10
    _sid, key = await make_seller()
    for params in bad:
        resp = await client.get("/api/v3/orders", params=params, headers=auth(key))
        assert resp.status == 400, params
    ok = {"limit": 10, "next": 0, "dateFrom": START - 30 * 86400, "dateTo": START}
    assert (await client.get("/api/v3/orders", params=ok, headers=auth(key))).status == 200


async def test_status_batch_limits_and_statuses(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", fbw_share=0)
    orders, _ = await fbs_all(client, key, START - 30 * 86400, START, limit=1000)
    ids = [o["id"] for o in orders]
    bad_bodies: list[dict[str, object]] = [
        {"orders": []},
        {"orders": list(range(1, 1002))},
        {"orders": "x"},
        {},
        {"orders": ["1"]},
    ]
    for body in bad_bodies:
        resp = await client.post("/api/v3/orders/status", json=body, headers=auth(key))
        assert resp.status == 400
        assert (await resp.json())["code"] == "IncorrectRequestBody"
    resp = await client.post("/api/v3/orders/status", data=b"{not json", headers=auth(key))
    assert resp.status == 400
    wb: Counter[str] = Counter()
    sup: Counter[str] = Counter()
    for k in range(0, len(ids), 1000):
        resp = await client.post(
            "/api/v3/orders/status", json={"orders": ids[k : k + 1000]}, headers=auth(key)
        )
        assert resp.status == 200
        for row in (await resp.json())["orders"]:
            assert row.keys() == {"id", "isCancellable", "supplierStatus", "wbStatus"}
            wb[row["wbStatus"]] += 1
            sup[row["supplierStatus"]] += 1
    t = (await truth(client, sid))["fbs_orders"]
    assert dict(wb) == t["by_wb_status"] and dict(sup) == t["by_supplier_status"]
    cancelled = sum(
        n for s, n in wb.items() if s in ("canceled", "canceled_by_client", "declined_by_client", "defect")
    )
    assert cancelled == t["cancelled"]


async def test_new_orders(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", fbw_share=0)
    resp = await client.get("/api/v3/orders/new", headers=auth(key))
    new = (await resp.json())["orders"]
    assert len(new) == (await truth(client, sid))["fbs_orders"]["new"] > 0
    assert {"salePrice", "finalPrice", "ddate", "requiredMeta", "isPickupPointShipmentAllowed"} <= new[
        0
    ].keys()
    resp = await client.post(
        "/api/v3/orders/status", json={"orders": [o["id"] for o in new]}, headers=auth(key)
    )
    rows = (await resp.json())["orders"]
    assert {(r["supplierStatus"], r["wbStatus"], r["isCancellable"]) for r in rows} == {
        ("new", "waiting", True)
    }
