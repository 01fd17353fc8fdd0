import time

import jwt

from simulator.keys import CATEGORIES, KeyRegistry, bit, mask_of, positions
from tests.simulator.helpers import auth


def test_key_round_trip_carries_exp_sid_and_category_bits() -> None:
    reg = KeyRegistry("s3cret-" * 8)
    sid = "6f2b9c3e-1d4a-4c1b-9f7e-2a3b4c5d6e7f"
    exp = int(time.time()) + 3600
    key = reg.issue(sid, exp, categories=[4, "statistics", 7], read_only=True)
    payload = jwt.decode(key, options={"verify_signature": False})
    assert payload["sid"] == sid and payload["exp"] == exp and payload["acc"] == 3
    assert payload["s"] == (1 << 3) | (1 << 4) | (1 << 6) | (1 << 29)
    assert positions(payload["s"]) == [4, 5, 7, 30]
    assert bit(CATEGORIES["finance"]) == 1 << 12
    assert reg.authenticate(f"Bearer {key}").sid == sid
    assert reg.authenticate(key).key_id == payload["id"]
    assert mask_of(["content"]) == 1


async def _401(client, path: str, headers: dict) -> dict:
    resp = await client.get(path, headers=headers)
    assert resp.status == 401
    assert resp.content_type == "application/problem+json"
    body = await resp.json()
    assert {
        "title",
        "detail",
        "code",
        "requestId",
        "origin",
        "status",
        "statusText",
        "timestamp",
    } <= body.keys()
    assert body["title"] == "unauthorized" and body["status"] == 401 and body["statusText"] == "Unauthorized"
    return body


async def test_bearer_and_raw_keys_are_both_accepted(client, make_seller) -> None:
    _sid, key = await make_seller()
    for headers in (auth(key), auth(key, bearer=False)):
        resp = await client.get("/ping", headers=headers)
        assert resp.status == 200
        body = await resp.json()
        assert body["Status"] == "OK" and body["TS"].endswith("+03:00")


async def test_unknown_malformed_and_missing_keys_get_wbs_401(client, make_seller) -> None:
    body = await _401(client, "/api/v3/orders/new", auth("not-a-jwt"))
    assert body["detail"].startswith("token problem; token is malformed")
    forged = jwt.encode({"id": "x", "sid": "y", "exp": 2**40}, "other-secret-" * 4, algorithm="HS256")
    body = await _401(client, "/api/v1/supplier/orders?dateFrom=2026-10-01", auth(forged))
    assert body["detail"].startswith("token problem")
    body = await _401(client, "/ping", {})
    assert "empty Authorization" in body["detail"]


async def test_expired_key(client, make_seller) -> None:
    _sid, key = await make_seller(key_ttl_days=-1)
    body = await _401(client, "/api/v1/seller-info", auth(key))
    assert body["detail"].startswith("token expired;")


async def test_key_expires_on_the_sim_clock(client, make_seller) -> None:
    start = (int(time.time()) // 86400 + 10) * 86400
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
    sid, key = await make_seller(start=iso(start), key_exp=iso(start + 86400))
    assert (await client.get("/api/v1/seller-info", headers=auth(key))).status == 200
    await client.post(f"/__sim/sellers/{sid}/advance", json={"days": 2})
    body = await _401(client, "/api/v1/seller-info", auth(key))
    assert body["detail"].startswith("token expired;")


async def test_revoked_key(client, make_seller) -> None:
    sid, key = await make_seller()
    assert (await client.get("/api/v1/seller-info", headers=auth(key))).status == 200
    resp = await client.post(f"/__sim/sellers/{sid}/revoke", json={})
    assert (await resp.json())["revoked"] == 1
    body = await _401(client, "/api/v1/seller-info", auth(key))
    assert body["detail"].startswith("token withdrawn")


async def test_scope_not_allowed(client, make_seller) -> None:
    sid, key = await make_seller(categories=["statistics"])
    body = await _401(client, "/api/v3/orders/new", auth(key))
    assert body["detail"] == "token scope not allowed"
    assert body["origin"] == "s2s-api-auth-marketplace"
    assert (await client.get("/api/v1/supplier/sales?dateFrom=2026-10-01", headers=auth(key))).status == 200
    # a second key of the same seller with other categories
    resp = await client.post(f"/__sim/sellers/{sid}/keys", json={"categories": [4]})
    key2 = (await resp.json())["api_key"]
    assert (await client.get("/api/v3/orders/new", headers=auth(key2))).status == 200
    await _401(client, "/api/v1/feedbacks/archive?take=1&skip=0", auth(key2))
    stats = await (await client.get(f"/__sim/sellers/{sid}/stats")).json()
    assert stats["auth_failures"]["token scope not allowed"] == 2
