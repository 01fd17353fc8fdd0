import asyncio
import socket
import sys

from simulator.app import WB_ROUTES
from simulator.ratelimit import LIMITS
from tests.simulator.helpers import auth


async def test_create_list_get_delete_and_reset(client, make_seller) -> None:
    resp = await client.post("/__sim/sellers", json={"preset": "small", "seed": 9, "sid": "seller-9"})
    body = await resp.json()
    assert resp.status == 201 and body["seller_id"] == "seller-9" and body["api_key"].count(".") == 2
    assert body["key"]["categories"] == [1, 2, 4, 5, 7, 11, 13]
    assert body["orders_visible"] == 1200 and body["sim_clock"] == "2026-11-01T00:00:00Z"
    assert (await client.post("/__sim/sellers", json={"sid": "seller-9", "preset": "small"})).status == 409
    assert (await client.post("/__sim/sellers", json={"preset": "nope"})).status == 400
    bad = {"preset": "custom", "orders": 100, "cancelled": 90, "sales": 50, "returns": 1}
    assert (await client.post("/__sim/sellers", json=bad)).status == 400
    listing = await (await client.get("/__sim/sellers")).json()
    assert [s["seller_id"] for s in listing["sellers"]] == ["seller-9"] and "seed" in listing["presets"]
    assert (await (await client.get("/__sim/sellers/seller-9")).json())["seed"] == 9
    key = body["api_key"]
    assert (await client.get("/api/v1/seller-info", headers=auth(key))).status == 200
    assert (await client.delete("/__sim/sellers/seller-9")).status == 200
    assert (await client.get("/api/v1/seller-info", headers=auth(key))).status == 401
    await make_seller()
    reset = await (await client.post("/__sim/reset")).json()
    assert reset == {"reset": True, "sellers_removed": 1}


async def test_custom_counts_and_natural_shares(client) -> None:
    body = {"preset": "custom", "orders": 3000, "cancelled": 1500, "sales": 1300, "returns": 40, "days": 20}
    sid = (await (await client.post("/__sim/sellers", json=body)).json())["seller_id"]
    t = await (await client.get(f"/__sim/sellers/{sid}/truth")).json()
    assert (t["stats_orders"]["rows"], t["stats_orders"]["cancelled"]) == (3000, 1500)
    assert (t["sales"]["sales"]["rows"], t["sales"]["returns"]["rows"]) == (1260, 40)
    sid = (await (await client.post("/__sim/sellers", json={"orders": 5000, "days": 10})).json())["seller_id"]
    t = await (await client.get(f"/__sim/sellers/{sid}/truth")).json()
    assert t["stats_orders"]["rows"] == 5000
    assert 0.5 < t["stats_orders"]["cancelled"] / 5000 < 0.65


async def test_config_changes_page_cap_and_rate_scale(client, make_seller) -> None:
    sid, key = await make_seller()
    resp = await client.post(f"/__sim/sellers/{sid}/config", json={"page_cap": 7, "rate_scale": 1.0})
    assert (await resp.json())["page_cap"] == 7
    rows = await (await client.get("/api/v1/supplier/orders?dateFrom=2026-10-01", headers=auth(key))).json()
    assert len(rows) == 7
    assert (await client.get("/api/v1/supplier/sales?dateFrom=2026-10-01", headers=auth(key))).status == 200
    assert (await client.get("/api/v1/supplier/sales?dateFrom=2026-10-01", headers=auth(key))).status == 429
    assert (await client.post(f"/__sim/sellers/{sid}/config", json={"rate_scale": 0})).status == 400


def test_every_wb_route_has_a_rate_limit_group() -> None:
    groups = {g for _m, _p, g, _c, _f in WB_ROUTES}
    assert groups == set(LIMITS)
    assert {c for *_x, c, _f in WB_ROUTES} == {None, 2, 4, 5, 7, 11, 13}


async def test_cli_demo_seller_prints_its_key() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--port",
        str(port),
        "--demo-seller",
        "--demo-preset",
        "small",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None  # stdout=PIPE
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        assert line.startswith("demo seller: ") and " key: " in line
        key = line.split(" key: ")[1].strip()
        await asyncio.wait_for(proc.stdout.readline(), 20)
        import aiohttp

        async with aiohttp.ClientSession() as session:
            for _ in range(50):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/ping", headers=auth(key)) as resp:
                        assert resp.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("server did not start")
    finally:
        proc.terminate()
        await proc.wait()


async def test_reset_clears_the_bot_sinks_messages_but_keeps_its_config(client) -> None:
    from simulator.bot_sink import BOT

    sink = client.app[BOT]
    await client.post("/__sim/bot/config", json={"print": True})
    sink.messages.append({"id": "x", "received_at": 0.0})
    assert (await (await client.get("/__sim/bot/messages")).json())["messages"]
    assert (await client.post("/__sim/reset")).status == 200
    assert (await (await client.get("/__sim/bot/messages")).json())["messages"] == []
    assert (await (await client.get("/__sim/bot/config")).json())["print"] is True
