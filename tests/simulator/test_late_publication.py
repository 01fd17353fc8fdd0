"""WB publishes some statistics rows late: a row can appear with a lastChangeDate earlier than rows already
served, so a client that only reads forward from its cursor misses it, and one that re-reads an overlap
behind the cursor does not."""

from datetime import datetime, timedelta

from tests.simulator.helpers import stats_all, truth

PATHS = {"/api/v1/supplier/sales": ("saleID", "sale_ids"), "/api/v1/supplier/orders": ("srid", "order_srids")}


def _back(lcd: str, minutes: int) -> str:
    return (datetime.fromisoformat(lcd) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")


async def _follow(client, sid: str, key: str, overlap_minutes: int) -> dict[str, set[str]]:
    """Sync every 20 sim minutes for two days, each time from the last cursor minus the overlap."""
    seen: dict[str, set[str]] = {path: set() for path in PATHS}
    cursor = dict.fromkeys(PATHS, "2026-10-01T00:00:00")
    for _ in range(144):
        resp = await client.post(f"/__sim/sellers/{sid}/advance", json={"minutes": 20})
        assert resp.status == 200
        for path, (row_key, _) in PATHS.items():
            start = (
                cursor[path]
                if cursor[path].startswith("2026-10-01")
                else _back(cursor[path], overlap_minutes)
            )
            rows, _, _ = await stats_all(client, key, path, row_key, start)
            seen[path] |= set(rows)
            if rows:
                cursor[path] = max(cursor[path], max(r["lastChangeDate"] for r in rows.values()))
    return seen


async def test_late_rows_are_missed_without_an_overlap_and_found_with_one(client, make_seller) -> None:
    naive_sid, naive_key = await make_seller(preset="seed", seed=3, late_share=0.3, late_max_s=2400)
    careful_sid, careful_key = await make_seller(preset="seed", seed=3, late_share=0.3, late_max_s=2400)
    naive = await _follow(client, naive_sid, naive_key, overlap_minutes=0)
    careful = await _follow(client, careful_sid, careful_key, overlap_minutes=60)
    t = await truth(client, careful_sid, detail=True)
    for path, (_, ids) in PATHS.items():
        assert careful[path] == set(t["ids"][ids])
        assert naive[path] < careful[path]  # the late rows: published behind the cursor, never read


async def test_history_before_the_start_is_never_late(client, make_seller) -> None:
    sid, _key = await make_seller(preset="small", seed=3, late_share=1.0, late_max_s=3600, fbw_share=0)
    t = await truth(client, sid)
    assert (t["stats_orders"]["rows"], t["sales"]["rows"]) == (1200, 458)
