"""The key check (`GET /api/v1/seller-info`) fails the ways WB's does, and none of those failures says
anything about the key: a 503, a dropped connection, a slow answer or a 429 leave the key working, while a
revoked or expired key is a 401 (what validate-all relies on to tell "WB is down" from "the key is dead")."""

import aiohttp
import pytest

from tests.simulator.helpers import auth

SELLER_INFO = "/api/v1/seller-info"


async def _faults(client, sid: str, **config) -> None:
    assert (await client.post(f"/__sim/sellers/{sid}/faults", json=config)).status == 200


@pytest.mark.parametrize(
    ("config", "status"),
    [
        ({"fail_next": {"group": "seller_info", "count": 2, "status": 503}}, 503),
        ({"host_down": ["seller_info"]}, 503),
        ({"force_429": {"group": "seller_info", "count": 2, "retry": 600}}, 429),
    ],
)
async def test_a_failing_key_check_never_kills_the_key(
    client, make_seller, config: dict, status: int
) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, **config)
    resp = await client.get(SELLER_INFO, headers=auth(key))
    assert resp.status == status
    if status == 429:
        assert resp.headers["X-Ratelimit-Retry"] == "600"
    assert (await client.delete(f"/__sim/sellers/{sid}/faults")).status < 300
    assert (await client.get(SELLER_INFO, headers=auth(key))).status == 200


async def test_a_dropped_connection_on_the_key_check(client, make_seller) -> None:
    sid, key = await make_seller()
    await _faults(client, sid, host_down=["seller_info"], host_down_mode="close")
    with pytest.raises(aiohttp.ClientError):
        await client.get(SELLER_INFO, headers=auth(key))
    await client.delete(f"/__sim/sellers/{sid}/faults")
    assert (await client.get(SELLER_INFO, headers=auth(key))).status == 200


async def test_the_key_check_is_rate_limited_like_wbs(client, make_seller) -> None:
    _sid, key = await make_seller(rate_scale=1.0)
    statuses = [(await client.get(SELLER_INFO, headers=auth(key))).status for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429  # 1 a minute, a burst of 10


async def test_a_revoked_key_fails_the_check_with_401(client, make_seller) -> None:
    sid, key = await make_seller()
    assert (await client.post(f"/__sim/sellers/{sid}/revoke", json={})).status == 200
    resp = await client.get(SELLER_INFO, headers=auth(key))
    assert resp.status == 401
