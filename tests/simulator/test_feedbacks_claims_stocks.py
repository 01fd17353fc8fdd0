from collections import Counter

from tests.simulator.helpers import auth, truth

STOCKS = "/api/analytics/v1/stocks-report/wb-warehouses"


async def _feedbacks(client, key: str, path: str, **params) -> list[dict]:
    out, skip = [], 0
    while True:
        resp = await client.get(path, params={"take": 100, "skip": skip, **params}, headers=auth(key))
        assert resp.status == 200, await resp.text()
        body = await resp.json()
        assert body["error"] is False and body["errorText"] == ""
        page = body["data"]["feedbacks"]
        out.extend(page)
        if len(page) < 100:
            return out
        skip += 100


async def test_feedbacks_both_flags_plus_archive_give_the_full_set(client, make_seller) -> None:
    sid, key = await make_seller(preset="seed")
    t = await truth(client, sid, detail=True)
    answered = await _feedbacks(client, key, "/api/v1/feedbacks", isAnswered="true")
    unanswered = await _feedbacks(client, key, "/api/v1/feedbacks", isAnswered="false", order="dateAsc")
    archive = await _feedbacks(client, key, "/api/v1/feedbacks/archive")
    assert (len(answered), len(unanswered), len(archive)) == (
        t["reviews"]["answered"],
        t["reviews"]["unanswered"],
        t["reviews"]["archive"],
    )
    everything = answered + unanswered + archive
    assert sorted(f["id"] for f in everything) == t["ids"]["review_ids"]
    ratings = Counter(str(f["productValuation"]) for f in everything)
    assert dict(ratings) == t["reviews"]["by_rating"] and len(ratings) == 5
    assert all(f["state"] == "wbRu" and f["answer"] for f in answered)
    assert all(f["state"] == "none" and f["answer"] is None for f in unanswered)
    dates = [f["createdDate"] for f in unanswered]
    assert dates == sorted(dates) and dates[0].endswith("+03:00")
    f = everything[0]
    assert {"nmId", "imtId", "supplierArticle", "size"} <= f["productDetails"].keys()
    nm = f["productDetails"]["nmId"]
    only = await _feedbacks(client, key, "/api/v1/feedbacks/archive", nmId=nm)
    assert only and {x["productDetails"]["nmId"] for x in only} == {nm}


async def test_feedbacks_errors(client, make_seller) -> None:
    _sid, key = await make_seller()
    for params in (
        {"take": 1, "skip": 0},
        {"isAnswered": "x", "take": 1, "skip": 0},
        {"isAnswered": "true", "take": 5001, "skip": 0},
        {"isAnswered": "true", "take": 1, "skip": 199991},
        {"isAnswered": "true", "skip": 0},
    ):
        resp = await client.get("/api/v1/feedbacks", params=params, headers=auth(key))
        assert resp.status == 400
        body = await resp.json()
        assert body["data"] is None and body["error"] is True and body["errorText"] and "requestId" in body


async def test_claims_cover_14_days_by_archive_flag(client, make_seller) -> None:
    sid, key = await make_seller(preset="seed")
    t = (await truth(client, sid, detail=True))["claims"]
    seen = {}
    for flag in ("false", "true"):
        offset = 0
        while True:
            params = {"is_archive": flag, "limit": 50, "offset": offset}
            body = await (await client.get("/api/v1/claims", params=params, headers=auth(key))).json()
            assert body["total"] == (t["archive"] if flag == "true" else t["active"])
            for c in body["claims"]:
                seen[c["id"]] = c
                assert (c["status"] != 0) == (flag == "true")
            if len(body["claims"]) < 50:
                break
            offset += 50
    assert len(seen) == t["count"] > 0
    c = next(iter(seen.values()))
    assert len(c["srid"]) == 32 and c["dt"] >= "2026-10-18" and c["currency_code"] == "643"
    body = await (
        await client.get("/api/v1/claims", params={"is_archive": "true", "id": c["id"]}, headers=auth(key))
    ).json()
    assert [x["id"] for x in body["claims"]] in ([c["id"]], [])
    for bad in ({}, {"is_archive": "true", "limit": 201}, {"is_archive": "maybe"}):
        resp = await client.get("/api/v1/claims", params=bad, headers=auth(key))
        assert resp.status == 400 and resp.content_type == "application/problem+json"


async def test_stocks_report_rows_add_up_and_fall_with_orders(client, make_seller) -> None:
    sid, key = await make_seller(preset="seed")
    t = (await truth(client, sid))["stocks"]
    items = (await (await client.post(STOCKS, json={}, headers=auth(key))).json())["data"]["items"]
    assert len(items) == t["rows"] and sum(i["quantity"] for i in items) == t["quantity"]
    assert set(items[0]) == {
        "nmId",
        "chrtId",
        "warehouseId",
        "warehouseName",
        "regionName",
        "quantity",
        "inWayToClient",
        "inWayFromClient",
    }
    page = await (await client.post(STOCKS, json={"limit": 10, "offset": 5}, headers=auth(key))).json()
    assert page["data"]["items"] == items[5:15]
    nm = items[0]["nmId"]
    only = (await (await client.post(STOCKS, json={"nmIds": [nm]}, headers=auth(key))).json())["data"][
        "items"
    ]
    assert only and {i["nmId"] for i in only} == {nm}
    for bad in ({"nmIds": list(range(1001))}, {"limit": 250001}, {"nmIds": "x"}):
        resp = await client.post(STOCKS, json=bad, headers=auth(key))
        assert resp.status == 400 and (await resp.json())["origin"] == "analytic-open-api"
    # stock moves with the clock: orders consume it, restocks refill it
    totals = {t["quantity"]}
    for _ in range(4):
        await client.post(f"/__sim/sellers/{sid}/advance", json={"days": 1})
        totals.add((await truth(client, sid))["stocks"]["quantity"])
    assert len(totals) > 2
