"""seller-analytics-api: WB-warehouse stock report (one row per size per WB warehouse in stock; a sold-out
row is left out, as WB does)."""

import json

from aiohttp import web

from simulator import errors
from simulator.queries import stocks

MAX_LIMIT = 250_000


def _ints(value, name: str, max_len: int | None = None) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
        raise ValueError(f"{name} must be an array of integers")
    if max_len is not None and len(value) > max_len:
        raise ValueError(f"{name}: at most {max_len} items")
    return value


async def wb_warehouses(request: web.Request, seller, clock: float) -> web.Response:
    try:
        body = json.loads(await request.read() or b"{}")
        if not isinstance(body, dict):
            raise ValueError("body must be an object")
        nm_ids = set(_ints(body.get("nmIds"), "nmIds", 1000))
        chrt_ids = set(_ints(body.get("chrtIds"), "chrtIds"))
        limit, offset = body.get("limit", MAX_LIMIT), body.get("offset", 0)
        if (
            not isinstance(limit, int)
            or not isinstance(offset, int)
            or not 0 < limit <= MAX_LIMIT
            or offset < 0
        ):
            raise ValueError("limit must be in 1..250000, offset >= 0")
    except ValueError as exc:
        return errors.analytics_error(f"code=400, message=invalid: {exc}")
    cat = seller.catalog
    items = []
    for s, w, qty, to_client, from_client in stocks(seller, clock):
        if qty == 0:  # WB leaves a sold-out row out of the report: it vanishes, it is not listed at 0
            continue
        size = cat.sizes[s]
        nm_id = cat.products[size.product].nm_id
        if (nm_ids and nm_id not in nm_ids) or (chrt_ids and size.chrt_id not in chrt_ids):
            continue
        wh_id, wh_name, region = cat.wb_warehouses[w]
        items.append(
            {
                "nmId": nm_id,
                "chrtId": size.chrt_id,
                "warehouseId": wh_id,
                "warehouseName": wh_name,
                "regionName": region,
                "quantity": qty,
                "inWayToClient": to_client,
                "inWayFromClient": from_client,
            }
        )
    return errors.ok({"data": {"items": items[offset : offset + limit]}})
