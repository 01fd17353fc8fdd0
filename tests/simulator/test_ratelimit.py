import asyncio

from simulator.ratelimit import LIMITS, RateLimiter
from tests.simulator.helpers import auth, stats

SALES = "/api/v1/supplier/sales?dateFrom=2026-10-31T23:00:00"
ORDERS = "/api/v1/supplier/orders?dateFrom=2026-10-31T23:00:00"


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_token_bucket_burst_interval_and_headers() -> None:
    clock = FakeClock()
    rl = RateLimiter(1.0, clock)
    assert [rl.take("stats_orders").allowed for _ in range(10)] == [True] * 10  # burst 10
    d = rl.take("stats_orders")
    assert not d.allowed and d.retry == 60 and d.reset == 600
    assert rl.headers_429(d) == {
        "X-Ratelimit-Retry": "60",
        "X-Ratelimit-Limit": "10",
        "X-Ratelimit-Reset": "600",
    }
    clock.t += 59.9
    assert not rl.take("stats_orders").allowed
    clock.t += 0.1
    assert rl.take("stats_orders").allowed
    # Marketplace: 300/min, interval 200 ms, burst 20; a 4XX costs 10
    d = rl.take("fbs")
    assert d.remaining == 19
    assert rl.after_response("fbs", "", 400) == 10  # 20 - 10 in all
    assert LIMITS["feedbacks"].interval == 1 / 3


def test_scaled_headers_are_decimal_strings() -> None:
    clock = FakeClock()
    rl = RateLimiter(0.001, clock)
    rl.take("stats_sales")
    d = rl.take("stats_sales")
    assert rl.headers_429(d) == {
        "X-Ratelimit-Retry": "0.060",
        "X-Ratelimit-Limit": "1",
        "X-Ratelimit-Reset": "0.060",
    }
    assert RateLimiter(None, clock).take("stats_sales").allowed


async def test_burst_beyond_the_limit_gets_429_and_is_counted(client, make_seller) -> None:
    sid, key = await make_seller(rate_scale=0.05)  # stats_orders: interval 3 s, burst 10
    statuses = []
    for _ in range(12):
        resp = await client.get(ORDERS, headers=auth(key))
        statuses.append(resp.status)
        if resp.status == 200:
            assert "X-Ratelimit-Remaining" in resp.headers
        last = resp
    assert statuses == [200] * 10 + [429, 429]
    h = last.headers
    assert {"X-Ratelimit-Retry", "X-Ratelimit-Limit", "X-Ratelimit-Reset"} <= h.keys()
    assert "X-Ratelimit-Remaining" not in h
    assert h["X-Ratelimit-Limit"] == "10" and 0 < float(h["X-Ratelimit-Retry"]) <= 3
    body = await last.json()
    assert body["status"] == 429 and body["title"] == "too many requests"
    s = await stats(client, sid)
    assert s["violations"] == {"stats_orders": 2} and s["fault_429"] == {}
    # other groups have their own buckets
    assert (await client.get(SALES, headers=auth(key))).status == 200


async def test_paced_client_sees_no_429(client, make_seller) -> None:
    sid, key = await make_seller(rate_scale=0.002)  # stats_sales: 1/min burst 1 -> 120 ms
    for _ in range(5):
        resp = await client.get(SALES, headers=auth(key))
        assert resp.status == 200
        await asyncio.sleep(0.125)
    # a client that ignores the limit gets 429; honouring X-Ratelimit-Retry then succeeds
    await client.get(SALES, headers=auth(key))
    resp = await client.get(SALES, headers=auth(key))
    assert resp.status == 429
    await asyncio.sleep(float(resp.headers["X-Ratelimit-Retry"]))
    assert (await client.get(SALES, headers=auth(key))).status == 200
    assert (await stats(client, sid))["violations"] == {"stats_sales": 1}


async def test_marketplace_methods_share_one_bucket_and_4xx_costs_ten(client, make_seller) -> None:
    sid, key = await make_seller(rate_scale=1.0)
    resp = await client.get("/api/v3/orders/new", headers=auth(key))
    assert resp.headers["X-Ratelimit-Remaining"] == "19"
    resp = await client.post("/api/v3/orders/status", json={"orders": []}, headers=auth(key))
    assert resp.status == 400 and resp.headers["X-Ratelimit-Remaining"] == "9"
    resp = await client.get("/api/v3/orders?limit=1&next=0", headers=auth(key))
    assert resp.status == 200 and resp.headers["X-Ratelimit-Remaining"] == "8"
    statuses = [(await client.get("/api/v3/orders/new", headers=auth(key))).status for _ in range(10)]
    assert statuses.count(429) >= 1
    assert (await stats(client, sid))["violations"]["fbs"] == statuses.count(429)


async def test_ping_bucket_per_host_and_limits_off(client, make_seller) -> None:
    _sid, key = await make_seller(rate_scale=1.0)
    statuses = [(await client.get("/ping", headers=auth(key))).status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other_host = {**auth(key), "Host": "statistics-api.wildberries.ru"}
    assert (await client.get("/ping", headers=other_host)).status == 200
    _sid, key = await make_seller(rate_scale=None)
    assert {(await client.get(ORDERS, headers=auth(key))).status for _ in range(30)} == {200}
