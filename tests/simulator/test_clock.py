from tests.simulator.helpers import START, auth, fbs_all, stats_all, truth


async def _statuses(client, key: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    out = {}
    for k in range(0, len(ids), 1000):
        resp = await client.post(
            "/api/v3/orders/status", json={"orders": ids[k : k + 1000]}, headers=auth(key)
        )
        for r in (await resp.json())["orders"]:
            out[r["id"]] = (r["supplierStatus"], r["wbStatus"])
    return out


async def test_advancing_the_clock_brings_new_orders_and_status_changes(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", page_cap=300, fbw_share=0)
    before, _ = await fbs_all(client, key, START - 20 * 86400, START, 1000)
    st0 = await _statuses(client, key, [o["id"] for o in before])
    orders0, _, cursor_o = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    sales0, _, cursor_s = await stats_all(client, key, "/api/v1/supplier/sales", "saleID")

    resp = await client.post(f"/__sim/sellers/{sid}/advance", json={"hours": 30})
    body = await resp.json()
    assert body["new_orders"] > 0 and body["sim_clock"] == "2026-11-02T06:00:00Z"
    after, _ = await fbs_all(client, key, START - 20 * 86400, START + 30 * 3600, 1000)
    assert len(after) == len(before) + body["new_orders"]
    st1 = await _statuses(client, key, [o["id"] for o in before])
    changed = [i for i in st0 if st0[i] != st1[i]]
    assert changed
    assert any(st1[i][1] == "sold" for i in changed) and any(st0[i][1] == "waiting" for i in changed)

    # an incremental Statistics sync from the last cursor sees the new rows and the changed ones
    new_orders, _, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid", cursor_o)
    new_sales, _, _ = await stats_all(client, key, "/api/v1/supplier/sales", "saleID", cursor_s)
    assert set(new_orders) - set(orders0) and set(new_sales) - set(sales0)
    recancelled = [
        s for s, r in new_orders.items() if s in orders0 and r["isCancel"] and not orders0[s]["isCancel"]
    ]
    assert recancelled and all(
        new_orders[s]["lastChangeDate"] > orders0[s]["lastChangeDate"] for s in recancelled
    )
    merged = {**orders0, **new_orders}
    t = await truth(client, sid)
    assert len(merged) == t["stats_orders"]["rows"]
    assert sum(r["isCancel"] for r in merged.values()) == t["stats_orders"]["cancelled"]
    assert len({**sales0, **new_sales}) == t["sales"]["rows"]


async def test_advance_validation(client, make_seller) -> None:
    sid, _key = await make_seller()
    resp = await client.post(f"/__sim/sellers/{sid}/advance", json={"to": "2026-10-01T00:00:00Z"})
    assert resp.status == 400
    resp = await client.post(f"/__sim/sellers/{sid}/advance", json={"to": "2026-11-03T12:00:00+03:00"})
    assert (await resp.json())["sim_clock"] == "2026-11-03T09:00:00Z"
    assert (await client.post("/__sim/sellers/nope/advance", json={"minutes": 1})).status == 404


async def test_data_does_not_depend_on_how_the_clock_moved(client, make_seller) -> None:
    sid1, _ = await make_seller(seed=5)
    sid2, _ = await make_seller(seed=5)
    await client.post(f"/__sim/sellers/{sid1}/advance", json={"days": 2})
    for _ in range(8):
        await client.post(f"/__sim/sellers/{sid2}/advance", json={"hours": 6})
    t1, t2 = await truth(client, sid1, detail=True), await truth(client, sid2, detail=True)
    assert t1 == t2


async def test_generator_is_deterministic_for_a_seed(client, make_seller) -> None:
    sellers = [await make_seller(preset="seed", seed=s, fbw_share=0) for s in (3, 3, 4)]
    (sid1, k1), (sid2, k2), (sid3, _k3) = sellers
    t1, t2, t3 = [await truth(client, s, detail=True) for s in (sid1, sid2, sid3)]
    assert t1 == t2
    assert t1["ids"]["order_srids"] != t3["ids"]["order_srids"]
    assert t1["stats_orders"]["totalPrice"] != t3["stats_orders"]["totalPrice"]
    assert (t3["fbs_orders"]["count"], t3["fbs_orders"]["cancelled"]) == (11770, 7064)
    p = {"limit": 50, "next": 0}
    a = await (await client.get("/api/v3/orders", params=p, headers=auth(k1))).json()
    b = await (await client.get("/api/v3/orders", params=p, headers=auth(k2))).json()
    assert a == b
