"""Client-side helpers for the simulator tests (what a WB client would do)."""

from datetime import datetime, timedelta
from typing import Any

START = 1793491200  # 2026-11-01T00:00:00Z, the default sim start


def auth(key: str, bearer: bool = True) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}" if bearer else key}


async def truth(client, sid: str, detail: bool = False) -> dict:
    resp = await client.get(f"/__sim/sellers/{sid}/truth" + ("?detail=ids" if detail else ""))
    assert resp.status == 200
    return await resp.json()


async def stats(client, sid: str) -> dict:
    resp = await client.get(f"/__sim/sellers/{sid}/stats")
    return await resp.json()


async def fbs_all(client, key: str, date_from: int, date_to: int, limit: int) -> tuple[list[dict], int]:
    """Page /api/v3/orders with the `next` cursor until an empty page."""
    orders: list[dict[str, Any]] = []
    nxt, calls = 0, 0
    while True:
        params = {"limit": limit, "next": nxt, "dateFrom": date_from, "dateTo": date_to}
        resp = await client.get("/api/v3/orders", params=params, headers=auth(key))
        assert resp.status == 200, await resp.text()
        body = await resp.json()
        calls += 1
        if not body["orders"]:
            assert body["next"] == nxt  # the stop condition: an empty page echoing the cursor
            return orders, calls
        assert body["next"] == body["orders"][-1]["id"]
        orders.extend(body["orders"])
        nxt = body["next"]


def plus_one_second(lcd: str) -> str:
    return (datetime.fromisoformat(lcd) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")


async def stats_all(client, key: str, path: str, row_key: str, date_from: str = "2026-01-01"):
    """WB's documented paging: dateFrom = lastChangeDate of the last row; stop on [].

    dateFrom is inclusive, so the rows at the boundary come back. A page that brings nothing new (all its rows
    sit at lastChangeDate == dateFrom and were seen) means the boundary is exhausted: step one second on.
    Returns (rows by key, number of repeated rows, last dateFrom)."""
    rows: dict[str, dict] = {}
    calls, repeats = 0, 0
    while True:
        resp = await client.get(path, params={"dateFrom": date_from, "flag": 0}, headers=auth(key))
        assert resp.status == 200, await resp.text()
        page = await resp.json()
        calls += 1
        if not page:
            return rows, repeats, date_from
        assert calls < 500
        lcds = [r["lastChangeDate"] for r in page]
        assert lcds == sorted(lcds) and lcds[0] >= date_from[:19]
        fresh = 0
        for r in page:
            old = rows.get(r[row_key])
            repeats += old is not None
            fresh += old is None or old["lastChangeDate"] != r["lastChangeDate"]
            rows[r[row_key]] = r
        if fresh:
            date_from = page[-1]["lastChangeDate"]
        else:
            assert {r["lastChangeDate"] for r in page} == {date_from}
            date_from = plus_one_second(date_from)
