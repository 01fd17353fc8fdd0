"""FBW orders exist only in the statistics API, and a cart's items share one orderUid / gNumber."""

from collections import defaultdict

from tests.simulator.helpers import START, auth, fbs_all, stats_all, truth


async def test_fbw_orders_are_statistics_only_and_fbs_orders_are_in_both(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", fbw_share=0.5)
    fbs, _ = await fbs_all(client, key, START - 14 * 86400, START, limit=1000)
    stats, _, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    t = await truth(client, sid)
    by_type = defaultdict(set)
    for srid, row in stats.items():
        by_type[row["warehouseType"]].add(srid)
    fbs_rids = {o["rid"] for o in fbs}
    assert by_type["Склад WB"] and by_type["Склад продавца"]
    assert (
        fbs_rids == by_type["Склад продавца"]
    )  # every FBS order, and only those, from the seller's warehouse
    assert not fbs_rids & by_type["Склад WB"]
    assert len(fbs) == t["fbs_orders"]["count"] and len(by_type["Склад WB"]) == t["stats_orders"]["fbw"]
    assert 0.4 < len(by_type["Склад WB"]) / len(stats) < 0.6
    new = (await (await client.get("/api/v3/orders/new", headers=auth(key))).json())["orders"]
    assert {o["rid"] for o in new} <= fbs_rids


async def test_an_fbw_order_id_is_unknown_to_the_status_method(client, make_seller) -> None:
    sid, key = await make_seller(preset="small", fbw_share=0.5)
    facts = await (await client.get(f"/__sim/sellers/{sid}/truth", params={"detail": "facts"})).json()
    fbs_ids = [o["order_id"] for o in facts["orders"] if not o["fbw"]][:50]
    assert all(o["order_id"] is None for o in facts["orders"] if o["fbw"])
    resp = await client.post("/api/v3/orders/status", json={"orders": fbs_ids}, headers=auth(key))
    assert sorted(r["id"] for r in (await resp.json())["orders"]) == sorted(fbs_ids)


async def test_cart_items_share_order_uid_and_g_number_but_not_srid(client, make_seller) -> None:
    _sid, key = await make_seller(preset="small", fbw_share=0, cart_share=0.3)
    fbs, _ = await fbs_all(client, key, START - 14 * 86400, START, limit=1000)
    stats, _, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    carts = defaultdict(set)
    for o in fbs:
        carts[o["orderUid"]].add(o["rid"])
    multi = [rids for rids in carts.values() if len(rids) > 1]
    assert multi and max(len(r) for r in multi) <= 4
    for rids in multi:  # the statistics rows of one cart share their gNumber
        assert len({stats[r]["gNumber"] for r in rids}) == 1
    assert len(stats) == len(fbs)  # one row per item, however the items are grouped
