from collections import Counter
from decimal import Decimal

from tests.simulator.helpers import auth, stats_all, truth


def _sum(rows, field: str) -> str:
    return f"{sum(Decimal(str(r[field])) for r in rows):.2f}"


async def test_seed_preset_truth_matches_the_seed_exactly(client, make_seller) -> None:
    sid, _key = await make_seller(preset="seed", seed=7, fbw_share=0)
    t = await truth(client, sid)
    assert (t["fbs_orders"]["count"], t["fbs_orders"]["cancelled"]) == (11770, 7064)
    assert (t["stats_orders"]["rows"], t["stats_orders"]["cancelled"]) == (11770, 7064)
    assert (
        t["sales"]["rows"] == 4488
        and t["sales"]["returns"]["rows"] == 166
        and t["sales"]["sales"]["rows"] == 4322
    )


async def test_statistics_paging_with_small_cap_returns_every_row(client, make_seller) -> None:
    sid, key = await make_seller(preset="seed", page_cap=500)
    t = await truth(client, sid, detail=True)
    assert t["stats_orders"]["max_rows_per_lastChangeDate"] < 500
    orders, repeats, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    assert repeats > 0  # boundary rows come back on the next page
    assert len(orders) == t["stats_orders"]["rows"] == 11770
    assert set(orders) == set(t["ids"]["order_srids"])
    assert sum(r["isCancel"] for r in orders.values()) == t["stats_orders"]["cancelled"] == 7064
    for field in ("totalPrice", "priceWithDisc", "finishedPrice"):
        assert _sum(orders.values(), field) == t["stats_orders"][field]
    row = next(iter(orders.values()))
    assert "T" in row["date"] and not row["date"].endswith("Z") and "+" not in row["lastChangeDate"]
    cancelled = [r for r in orders.values() if r["isCancel"]]
    assert all(r["cancelDate"] != "0001-01-01T00:00:00" for r in cancelled)
    assert all(r["cancelDate"] == "0001-01-01T00:00:00" for r in orders.values() if not r["isCancel"])

    sales, repeats, _ = await stats_all(client, key, "/api/v1/supplier/sales", "saleID")
    assert len(sales) == t["sales"]["rows"] == 4488
    assert set(sales) == set(t["ids"]["sale_ids"])
    kinds = Counter(s[0] for s in sales)
    assert kinds == {"S": 4322, "R": 166}
    for kind, part in (("S", "sales"), ("R", "returns")):
        rows = [r for s, r in sales.items() if s[0] == kind]
        for field in ("forPay", "priceWithDisc", "finishedPrice"):
            assert _sum(rows, field) == t["sales"][part][field]
    # srid joins sales to orders (a return shares the srid of its sale)
    assert {r["srid"] for r in sales.values()} <= set(orders)
    returned = {r["srid"] for s, r in sales.items() if s[0] == "R"}
    assert returned <= {r["srid"] for s, r in sales.items() if s[0] == "S"}


async def test_flag_1_returns_one_calendar_day(client, make_seller) -> None:
    _sid, key = await make_seller(preset="small")
    resp = await client.get(
        "/api/v1/supplier/orders", params={"dateFrom": "2026-10-25", "flag": 1}, headers=auth(key)
    )
    rows = await resp.json()
    assert rows and all(r["date"].startswith("2026-10-25") for r in rows)
    resp = await client.get(
        "/api/v1/supplier/sales", params={"dateFrom": "2026-10-25T13:00", "flag": 1}, headers=auth(key)
    )
    rows = await resp.json()
    assert rows and all(r["date"].startswith("2026-10-25") for r in rows)


async def test_statistics_errors(client, make_seller) -> None:
    _sid, key = await make_seller()
    resp = await client.get("/api/v1/supplier/orders", headers=auth(key))
    assert resp.status == 400 and await resp.json() == {"errors": ["dateFrom: field required"]}
    resp = await client.get("/api/v1/supplier/sales", params={"dateFrom": "yesterday"}, headers=auth(key))
    assert resp.status == 400 and await resp.json() == {"errors": "dateFrom: Value not validated"}
    resp = await client.get("/api/v1/supplier/orders", params={"dateFrom": "2027-01-01"}, headers=auth(key))
    assert resp.status == 200 and await resp.json() == []
