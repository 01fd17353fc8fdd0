"""Token types and 403s, as hard as WB (reference §1.2, §1.4, §3.2): a Base key (acc 1) is refused the
methods closed to Base with WB's problem+json 403 and paced on its own, much lower limits; a method refused
to a key answers 403 in its service's shape; a Service key (acc 4) works like a Personal one."""

import jwt

from tests.simulator.helpers import auth, stats

STOCKS = "/api/analytics/v1/stocks-report/wb-warehouses"
SALES = "/api/v1/supplier/sales"


async def new_key(client, sid: str, **options) -> str:
    resp = await client.post(f"/__sim/sellers/{sid}/keys", json=options)
    assert resp.status == 201, await resp.text()
    return (await resp.json())["api_key"]


async def test_a_base_key_is_refused_the_stocks_report_with_wbs_403_body(client, make_seller) -> None:
    sid, _ = await make_seller()
    base = await new_key(client, sid, token_type="base")
    assert jwt.decode(base, options={"verify_signature": False})["acc"] == 1
    resp = await client.post(STOCKS, json={"limit": 10, "offset": 0}, headers=auth(base))
    assert resp.status == 403 and resp.content_type == "application/problem+json"
    body = await resp.json()
    assert (body["title"], body["detail"], body["status"]) == ("forbidden", "base token is not allowed", 403)
    assert body["code"] == "base token is not allowed for this path"
    assert {"requestId", "origin", "statusText", "timestamp"} <= body.keys()
    ok = await client.get(SALES, params={"dateFrom": "2026-10-01"}, headers=auth(base))
    assert ok.status == 200  # statistics are open to Base
    assert (await stats(client, sid))["forbidden"] == {"stocks": 1}


async def test_a_base_key_draws_on_base_limits_apart_from_the_sellers_personal_keys(
    client, make_seller
) -> None:
    sid, personal = await make_seller(rate_scale=0.001)
    base = await new_key(client, sid, token_type=1)
    first = await client.get(SALES, params={"dateFrom": "2026-10-31"}, headers=auth(base))
    assert first.status == 200
    second = await client.get(SALES, params={"dateFrom": "2026-10-31"}, headers=auth(base))
    assert second.status == 429
    # sales: 1 per 2 h for Base (7.2 s at this scale), not Personal's 1 per minute (0.06 s)
    assert float(second.headers["X-Ratelimit-Retry"]) > 7.0
    theirs = await client.get(SALES, params={"dateFrom": "2026-10-31"}, headers=auth(personal))
    assert theirs.status == 200  # WB counts per seller and token type: the Personal bucket is untouched
    reviews = [
        (
            await client.get("/api/v1/feedbacks/archive", params={"take": 1, "skip": 0}, headers=auth(base))
        ).status
        for _ in range(2)
    ]
    assert reviews == [200, 429]  # 5 an hour, no burst


async def test_a_method_forbidden_to_a_key_answers_403_in_its_services_shape(client, make_seller) -> None:
    sid, _ = await make_seller()
    key = await new_key(client, sid, forbidden=["fbs", "feedbacks", "claims"])
    fbs = await client.get("/api/v3/orders/new", headers=auth(key))
    assert fbs.status == 403 and await fbs.json() == {"code": "AccessDenied", "message": "Доступ запрещён"}
    reviews = await client.get("/api/v1/feedbacks", params={"isAnswered": "false", "take": 1, "skip": 0},
                               headers=auth(key))  # fmt: skip
    body = await reviews.json()
    assert reviews.status == 403 and body["error"] is True and body["data"] is None and body["errorText"]
    claims = await client.get("/api/v1/claims", params={"is_archive": "false"}, headers=auth(key))
    assert claims.status == 403 and (await claims.json())["title"] == "forbidden"
    info = await client.get("/api/v1/seller-info", headers=auth(key))
    assert info.status == 200 and (await info.json())["sid"] == sid  # the key itself is good
    ok = await client.get(SALES, params={"dateFrom": "2026-10-31"}, headers=auth(key))
    assert ok.status == 200


async def test_a_marketplace_403_costs_ten_requests(client, make_seller) -> None:
    sid, _ = await make_seller(rate_scale=1.0)
    key = await new_key(client, sid, forbidden=["fbs"])
    resp = await client.get("/api/v3/orders/new", headers=auth(key))
    assert resp.status == 403 and resp.headers["X-Ratelimit-Remaining"] == "10"  # burst 20 - 1 - 9


async def test_a_service_key_works_and_unknown_options_are_refused(client, make_seller) -> None:
    sid, _ = await make_seller()
    service = await new_key(client, sid, token_type="service")
    payload = jwt.decode(service, options={"verify_signature": False})
    assert payload["acc"] == 4 and payload["for"].startswith("asid:")
    assert (await client.get("/api/v3/orders/new", headers=auth(service))).status == 200
    for bad in ({"token_type": 7}, {"forbidden": ["nope"]}, {"forbidden": "fbs"}):
        resp = await client.post(f"/__sim/sellers/{sid}/keys", json=bad)
        assert resp.status == 400, bad
