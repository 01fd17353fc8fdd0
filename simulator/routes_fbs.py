"""marketplace-api: FBS assembly orders. Prices are kopecks (x100); createdAt is UTC RFC3339.

Orders shipped from WB's warehouses (FBW, `Seller.is_fbw`) exist only in the statistics API: they are in no
Marketplace answer. `GET /api/v3/orders` pages by id with the `next` cursor: each page returns `next` = the
id of its last order; when nothing is left the answer is `{"next": <the cursor sent>, "orders": []}`:
stop on an empty list.
"""

import json

from aiohttp import web

from simulator import errors
from simulator.queries import fbs_new, fbs_range
from simulator.rows import Rows
from simulator.timeutil import DAY

MAX_WINDOW = 30 * DAY


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(value) from None


async def orders_new(request: web.Request, seller, clock: float) -> web.Response:
    rows = Rows(seller)
    new = [rows.fbs_order(i, clock, new=True) for i in fbs_new(seller, clock) if not seller.is_fbw(i)]
    return errors.ok({"orders": new})


async def orders(request: web.Request, seller, clock: float) -> web.Response:
    q = request.query
    try:
        limit, nxt = _int(q.get("limit")), _int(q.get("next"))
        date_from, date_to = _int(q.get("dateFrom")), _int(q.get("dateTo"))
    except ValueError:
        return errors.fbs_bad_param()
    if limit is None or nxt is None or not 1 <= limit <= 1000 or nxt < 0:
        return errors.fbs_bad_param()
    date_to = int(clock) if date_to is None else date_to
    date_from = date_to - MAX_WINDOW if date_from is None else date_from
    if date_from > date_to or date_to - date_from > MAX_WINDOW or date_from < 0:
        return errors.fbs_bad_param()
    lo, hi = fbs_range(seller, clock, date_from, date_to)
    start = max(lo, nxt - seller.id_base + 1) if nxt else lo
    rows = Rows(seller)
    fbs = (i for i in range(start, hi) if not seller.is_fbw(i))  # FBW orders are not Marketplace orders
    page = [rows.fbs_order(i, clock) for _, i in zip(range(limit), fbs, strict=False)]
    return errors.ok({"next": page[-1]["id"] if page else nxt, "orders": page})


async def orders_status(request: web.Request, seller, clock: float) -> web.Response:
    try:
        body = json.loads(await request.read())
        ids = body["orders"]
        if not isinstance(ids, list) or not 1 <= len(ids) <= 1000:
            raise ValueError
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in ids):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return errors.fbs_bad_body()
    rows, n = Rows(seller), seller.visible_orders(clock)
    out = []
    for oid in ids:
        i = oid - seller.id_base
        if 0 <= i < n and not seller.is_fbw(i):  # an FBW order is unknown to the Marketplace API
            out.append(rows.fbs_status(i, clock))
    return errors.ok({"orders": out})
