import asyncio
import json
import time

import aiohttp
import pytest

from tests.simulator.helpers import auth, stats

ORDERS = "/api/v1/supplier/orders?dateFrom=2026-10-31"


async def _faults(client, sid: str, **cfg) -> None:
    resp = await client.post(f"/__sim/sellers/{sid}/faults", json=cfg)
    assert resp.status == 200, await resp.text()


async def test_error_rate_gives_varied_5xx_bodies(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, error_rate=1.0)
    kinds, statuses = set(), set()
    for _ in range(30):
        resp = await client.get("/api/v3/orders/new", headers=auth(key))
        statuses.add(resp.status)
        text = await resp.text()
        if resp.content_type == "application/json":
            kinds.add(type(json.loads(text)).__name__)
        else:
            kinds.add("text")
    assert statuses <= {500, 502, 503} and len(statuses) > 1
    assert kinds == {"dict", "list", "text"}
    assert (await stats(client, sid))["faults"]["error"] == 30
    await client.delete(f"/__sim/sellers/{sid}/faults")
    assert (await client.get("/api/v3/orders/new", headers=auth(key))).status == 200


async def test_error_rate_is_deterministic_for_a_seed(client, make_seller) -> None:
    seqs = []
    for _ in range(2):
        sid, key = await make_seller(seed=42)
        await _faults(client, sid, error_rate=0.5, groups=["fbs"])
        seq = [(await client.get("/api/v3/orders/new", headers=auth(key))).status for _ in range(20)]
        seqs.append(seq)
        assert (await client.get(ORDERS, headers=auth(key))).status == 200  # other groups untouched
    assert seqs[0] == seqs[1] and 200 in seqs[0] and set(seqs[0]) - {200}


async def test_latency(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, latency_ms=150)
    t0 = time.perf_counter()
    assert (await client.get("/api/v1/seller-info", headers=auth(key))).status == 200
    assert time.perf_counter() - t0 >= 0.15


async def test_malformed_body(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, malformed_rate=1.0)
    resp = await client.get(ORDERS, headers=auth(key))
    assert resp.status == 200
    with pytest.raises(ValueError):
        json.loads(await resp.text())


async def test_truncated_body(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, truncated_rate=1.0)
    with pytest.raises(aiohttp.ClientPayloadError):
        resp = await client.get(ORDERS, headers=auth(key))
        await resp.read()
    assert (await stats(client, sid))["faults"]["truncated"] == 1


async def test_host_down_503_and_connection_drop(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, host_down=["fbs", "/api/v1/feedbacks"])
    assert (await client.get("/api/v3/orders/new", headers=auth(key))).status == 503
    assert (await client.get("/api/v1/feedbacks/archive?take=1&skip=0", headers=auth(key))).status == 503
    assert (await client.get(ORDERS, headers=auth(key))).status == 200
    await _faults(client, sid, host_down_mode="close")
    with pytest.raises(aiohttp.ClientError):
        resp = await client.get("/api/v3/orders/new", headers=auth(key))
        await resp.read()
    await _faults(client, sid, host_down=[])
    assert (await client.get("/api/v3/orders/new", headers=auth(key))).status == 200


async def test_force_429_is_not_a_violation(client, make_seller) -> None:
    sid, key = await make_seller(rate_scale=1.0)
    await _faults(client, sid, force_429={"group": "fbs", "count": 2, "retry": 3})
    for _ in range(2):
        resp = await client.get("/api/v3/orders/new", headers=auth(key))
        assert resp.status == 429
        assert resp.headers["X-Ratelimit-Retry"] == "3" and "X-Ratelimit-Limit" in resp.headers
        assert (await resp.json())["title"] == "too many requests"
    assert (await client.get("/api/v3/orders/new", headers=auth(key))).status == 200
    s = await stats(client, sid)
    assert s["fault_429"] == {"fbs": 2} and s["violations_total"] == 0


async def test_fail_next(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(
        client,
        sid,
        fail_next=[
            {"group": "stats_orders", "count": 2, "status": 502},
            {"group": "claims", "count": 1, "status": 400},
        ],
    )
    assert [(await client.get(ORDERS, headers=auth(key))).status for _ in range(3)] == [502, 502, 200]
    resp = await client.get("/api/v1/claims?is_archive=false", headers=auth(key))
    assert resp.status == 400
    assert (await client.get("/api/v1/claims?is_archive=false", headers=auth(key))).status == 200


async def test_faults_validation_and_listing(client, make_seller) -> None:
    sid, _key = await make_seller()
    resp = await client.post(f"/__sim/sellers/{sid}/faults", json={"error_rate": 2})
    assert resp.status == 400
    await _faults(client, sid, latency_ms=5, error_rate=0.1)
    got = await (await client.get(f"/__sim/sellers/{sid}/faults")).json()
    assert got["latency_ms"] == 5 and got["error_rate"] == 0.1
    await asyncio.sleep(0)
