"""The simulator as hard as WB on money, reviews and stock: FBS orders priced in the buyer's currency with
`convertedPrice` in roubles (matching the statistics row of the same srid); rating-only reviews straight in
the archive, answered ones moved there, edited reviews with parent/child ids, reviews of retired products;
sold-out stock rows that vanish from the report."""

from decimal import Decimal

from tests.simulator.helpers import auth, stats_all, truth
from tests.simulator.test_feedbacks_claims_stocks import STOCKS, _feedbacks

CURRENCIES = {933, 398, 51, 417, 860}


async def _advance(client, sid: str, **delta: int) -> None:
    resp = await client.post(f"/__sim/sellers/{sid}/advance", json=delta)
    assert resp.status == 200, await resp.text()


async def test_foreign_orders_are_priced_in_the_buyers_currency_and_converted_to_the_statistics_roubles(
    client, make_seller
) -> None:
    sid, key = await make_seller(preset="seed", fbw_share=0)
    t = await truth(client, sid, detail=True)
    orders = (await (await client.get("/api/v3/orders/new", headers=auth(key))).json())["orders"]
    resp = await client.get("/api/v3/orders", params={"limit": 1000, "next": 0}, headers=auth(key))
    orders += (await resp.json())["orders"]
    foreign = [o for o in orders if o["currencyCode"] != 643]
    assert {o["currencyCode"] for o in foreign} >= {933, 398} and {
        o["currencyCode"] for o in foreign
    } <= CURRENCIES
    assert all(o["convertedCurrencyCode"] == 643 for o in orders)
    assert all(o["price"] == o["convertedPrice"] for o in orders if o["currencyCode"] == 643)
    stats, _, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    expected = t["ids"]["foreign_orders"]
    for o in foreign:
        assert o["price"] != o["convertedPrice"]
        assert (
            Decimal(stats[o["rid"]]["finishedPrice"]).quantize(Decimal("0.01"))
            == Decimal(o["convertedPrice"]) / 100
        )
        fact = expected[str(o["id"])]
        assert (fact["currencyCode"], fact["price"], Decimal(fact["convertedPrice"])) == (
            o["currencyCode"], o["price"], Decimal(o["convertedPrice"]) / 100,
        )  # fmt: skip
    byn = [o for o in foreign if o["currencyCode"] == 933]
    assert all(25 < o["convertedPrice"] / o["price"] < 32 for o in byn)  # ~28 roubles a rouble of Belarus
    assert t["fbs_orders"]["foreign"] == len(expected) > 0
    assert sum(t["fbs_orders"]["by_currency"].values()) == t["fbs_orders"]["count"]


async def test_reviews_go_to_the_archive_as_wb_files_them_and_edits_link_their_versions(
    client, make_seller
) -> None:
    sid, key = await make_seller(preset="seed")
    await _advance(client, sid, days=5)
    t = await truth(client, sid, detail=True)
    facts = {f["id"]: f for f in t["ids"]["reviews"]}
    archive = {f["id"]: f for f in await _feedbacks(client, key, "/api/v1/feedbacks/archive")}
    live = await _feedbacks(client, key, "/api/v1/feedbacks", isAnswered="false")
    live += await _feedbacks(client, key, "/api/v1/feedbacks", isAnswered="true")
    # rating-only reviews are only ever in the archive
    silent = [f for f in [*archive.values(), *live] if not f["text"] and not f["photoLinks"]]
    assert silent and all(f["id"] in archive for f in silent)
    assert {f["productValuation"] for f in silent} >= {1, 5}
    # answered reviews move there (some at once)
    assert any(f["answer"] for f in archive.values())
    # edits: the new version names its parent; the old one, in the archive, names its child
    edits = [f for f in [*archive.values(), *live] if f["parentFeedbackId"]]
    assert edits and t["reviews"]["edited"] == len(edits)
    for new in edits:
        old = archive[new["parentFeedbackId"]]
        assert old["childFeedbackId"] == new["id"] and facts[new["id"]]["parent"] == old["id"]
    assert any(
        new["productValuation"] < archive[new["parentFeedbackId"]]["productValuation"] for new in edits
    )
    assert set(archive) == {i for i, f in facts.items() if f["archive"]}


async def test_retired_products_have_reviews_but_no_orders_and_no_stock(client, make_seller) -> None:
    sid, key = await make_seller(preset="small")
    t = await truth(client, sid, detail=True)
    assert t["reviews"]["orphans"] >= 2
    stats, _, _ = await stats_all(client, key, "/api/v1/supplier/orders", "srid")
    ordered = {r["nmId"] for r in stats.values()}
    reviewed = {f["nm_id"] for f in t["ids"]["reviews"]}
    assert reviewed - ordered  # reviews of products with no order at all
    body = await (await client.post(STOCKS, json={}, headers=auth(key))).json()
    assert not (reviewed - ordered) & {i["nmId"] for i in body["data"]["items"]}


async def test_sold_out_stock_rows_vanish_from_the_report(client, make_seller) -> None:
    sid, key = await make_seller(preset="small")
    for _ in range(4):
        body = await (await client.post(STOCKS, json={}, headers=auth(key))).json()
        items = body["data"]["items"]
        t = await truth(client, sid, detail=True)
        assert all(i["quantity"] > 0 for i in items) and len(items) == t["stocks"]["rows"]
        served = {(i["nmId"], i["chrtId"], i["warehouseId"]) for i in items}
        sold_out = {tuple(k) for k in t["ids"]["sold_out_stock"]}
        assert sold_out and not served & sold_out and t["stocks"]["zero_rows"] == len(sold_out)
        await _advance(client, sid, days=2)
