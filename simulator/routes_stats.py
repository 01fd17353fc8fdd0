"""statistics-api: supplier/orders and supplier/sales. Dates are Moscow time without a zone; money in roubles.

flag=0 (default): rows with lastChangeDate >= dateFrom ordered by lastChangeDate, at most the seller's
`page_cap` (80,000 like WB) - continue with the last row's lastChangeDate (boundary rows repeat; dedupe by
srid / saleID); `[]` means done. flag=1: every row whose `date` is on dateFrom's calendar day.
"""

from aiohttp import web

from simulator import errors
from simulator.queries import stats_orders, stats_orders_day, stats_sales
from simulator.rows import Rows
from simulator.timeutil import parse_msk


def _params(request: web.Request) -> tuple[float, int] | web.Response:
    raw = request.query.get("dateFrom")
    if not raw:
        return errors.stats_error(["dateFrom: field required"])
    try:
        date_from = parse_msk(raw)
    except ValueError:
        return errors.stats_error("dateFrom: Value not validated")
    flag = 1 if request.query.get("flag", "0").strip() == "1" else 0
    return date_from, flag


async def supplier_orders(request: web.Request, seller, clock: float) -> web.Response:
    p = _params(request)
    if isinstance(p, web.Response):
        return p
    date_from, flag = p
    rows = Rows(seller)
    if flag:
        idx = stats_orders_day(seller, clock, date_from)
    else:
        idx = stats_orders(seller, clock, date_from, seller.spec.page_cap)
    return errors.ok([rows.stats_order(i, clock) for i in idx])


async def supplier_sales(request: web.Request, seller, clock: float) -> web.Response:
    p = _params(request)
    if isinstance(p, web.Response):
        return p
    date_from, flag = p
    rows = Rows(seller)
    codes = stats_sales(seller, clock, date_from, seller.spec.page_cap, day=bool(flag))
    return errors.ok([rows.sale_row(code) for code in codes])
