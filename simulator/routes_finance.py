"""finance-api: POST /api/finance/v1/sales-reports/detailed (realization report lines by period).

Lines: a sale ("Продажа") and its delivery logistics, a return ("Возврат") and its return logistics, and
return logistics of buyer cancellations at the pickup point. A line appears once its report exists: a
weekly report (Mon-Sun, Moscow time) on the following Monday, a daily one the next day. Paging: `rrdId` of
the last line; 204 when nothing is left. Money fields are strings, as in the spec.
"""

import json
from bisect import bisect_left, bisect_right

from aiohttp import web

from simulator import errors
from simulator.model import CANCEL_CLIENT, RETURNED, SOLD_FATES
from simulator.rows import Rows
from simulator.timeutil import DAY, MSK_OFFSET, msk_date, parse_msk, utc_iso

MAX_LIMIT = 100_000
LOGISTICS = {1: 6300, 2: 9900, 3: 24900}  # kopecks per delivery by cargoType


def _s(kop: int) -> str:
    return str(kop // 100) if kop % 100 == 0 else f"{kop / 100:.2f}"


def _period(day: int, weekly: bool) -> tuple[int, int]:
    """(first, last) Moscow day numbers of the report containing `day`."""
    if not weekly:
        return day, day
    first = day - (day + 3) % 7  # day 0 (1970-01-01) was a Thursday
    return first, first + 6


def _events(seller, i: int):
    """(kind, unix time) of the order's report lines: 0 sale, 1 delivery, 2 return, 3 return logistics."""
    st = seller.store
    f, t = st.fate[i], st.created[i] + st.fin[i]
    if f in SOLD_FATES:
        yield 0, t
        yield 1, t
        if f == RETURNED:
            yield 2, t + st.ret[i]
            yield 3, t + st.ret[i]
    elif f == CANCEL_CLIENT:
        yield 3, t


def _line(seller, rows: Rows, i: int, kind: int, at: int, weekly: bool) -> dict:
    cat, st = seller.catalog, seller.store
    size = cat.sizes[st.size[i]]
    p = cat.products[size.product]
    total, pwd, finished, for_pay = rows.money(i)
    first, last = _period((at + MSK_OFFSET) // DAY, weekly)
    goods = kind in (0, 2)
    logistics = LOGISTICS[p.cargo_type] if not goods else 0
    return {
        "reportId": (100_000_000 if weekly else 200_000_000) + first,
        "dateFrom": msk_date(first * DAY), "dateTo": msk_date(last * DAY),
        "createDate": msk_date((last + 1) * DAY),
        "currency": "RUB", "reportType": 1, "rrdId": seller.rrd_base + i * 4 + kind, "giId": 0, "dlvPrc": 1.8,
        "fixTariffDateFrom": "", "fixTariffDateTo": "", "subjectName": p.subject, "nmId": p.nm_id,
        "brandName": p.brand, "vendorCode": p.article, "title": p.name, "techSize": size.tech_size,
        "sku": size.barcode, "docTypeName": ("Продажа" if kind == 0 else "Возврат") if goods else "",
        "quantity": 1 if goods else 0, "retailPrice": _s(total) if goods else "0",
        "retailAmount": _s(finished) if goods else "0", "salePercent": st.disc[i],
        "commissionPercent": p.commission, "officeName": cat.regions[st.region[i]][3],
        "sellerOperName": ("Продажа", "Логистика", "Возврат", "Логистика")[kind],
        "orderDt": utc_iso(st.created[i]), "saleDt": utc_iso(at), "rrDate": msk_date(at), "shkId": 0,
        "retailPriceWithDisc": _s(pwd) if goods else "0", "deliveryAmount": int(kind == 1),
        "returnAmount": int(kind == 3), "deliveryService": _s(logistics), "giBoxTypeName": "",
        "productDiscountForReport": 0, "sellerPromo": "0", "spp": st.spp[i], "kvwBase": 0, "kvw": 0,
        "supRatingUp": 0, "isKgvpV2": 0, "ppvzSalesCommission": _s(pwd - for_pay) if goods else "0",
        "forPay": _s(for_pay) if goods else "0", "ppvzReward": "0", "acquiringFee": "0",
        "acquiringPercent": 0,
        "paymentProcessing": "", "acquiringBank": "", "vw": "0", "vwNds": "0", "ppvzOfficeName": "",
        "ppvzOfficeId": 0, "ppvzSupplierName": seller.spec.name, "ppvzSupplierInn": seller.tin,
        "declarationNumber": "", "bonusTypeName": "" if goods else "К клиенту при продаже",
        "stickerId": str(i), "country": "Россия", "srvDbs": False, "penalty": "0", "additionalPayment": "0",
        "rebillLogisticCost": "0", "paidStorage": "0", "deduction": "0", "paidAcceptance": "0",
        "orderId": seller.id_base + i, "isB2b": False, "trbxId": "", "installmentCofinancingAmount": "0",
        "wibesDiscountPercent": 0, "cashbackAmount": "0", "cashbackDiscount": "0",
        "cashbackCommissionChange": "0", "paymentSchedule": "0", "deliveryMethod": "FBS, (МГТ)",
        "sellerPromoId": 0, "sellerPromoDiscount": 0, "loyaltyId": 0, "loyaltyDiscount": 0,
        "uuidPromocode": "",
        "salePricePromocodeDiscountPrc": 0, "articleSubstitution": "", "salePriceAffiliatedDiscountPrc": 0,
        "salePriceWholesaleDiscountPrc": 0, "orderUid": rows.rid(i)[::-1], "srid": rows.rid(i),
    }  # fmt: skip


async def sales_reports_detailed(request: web.Request, seller, clock: float) -> web.StreamResponse:
    try:
        body = json.loads(await request.read() or b"{}")
        if not isinstance(body, dict):
            raise ValueError("body must be an object")
        if not body.get("dateFrom") or not body.get("dateTo"):
            raise ValueError("missing dateFrom or dateTo params")
        day_from = (int(parse_msk(str(body["dateFrom"]))) + MSK_OFFSET) // DAY
        day_to = (int(parse_msk(str(body["dateTo"]))) + MSK_OFFSET) // DAY
        limit, rrd = int(body.get("limit", MAX_LIMIT)), int(body.get("rrdId", 0))
        weekly = body.get("period", "weekly") == "weekly"
        if not 1 <= limit <= MAX_LIMIT or rrd < 0 or body.get("period", "weekly") not in ("weekly", "daily"):
            raise ValueError("limit must be 1..100000, rrdId >= 0, period weekly|daily")
    except (ValueError, TypeError) as exc:
        return errors.finance_error(f"GetReportDetailByPeriodNB decode error: {exc}")
    st, rows = seller.store, Rows(seller)
    today = (int(clock) + MSK_OFFSET) // DAY
    lo_t, hi_t = day_from * DAY - MSK_OFFSET, (day_to + 1) * DAY - MSK_OFFSET
    lo = max(bisect_left(st.created, lo_t - 30 * DAY), (rrd - seller.rrd_base) // 4 if rrd else 0)
    out: list[dict] = []
    for i in range(lo, bisect_right(st.created, int(min(hi_t, clock)))):
        for kind, at in _events(seller, i):
            if seller.rrd_base + i * 4 + kind <= rrd or not lo_t <= at < hi_t:
                continue
            if _period((at + MSK_OFFSET) // DAY, weekly)[1] >= today:  # report not formed yet
                continue
            out.append(_line(seller, rows, i, kind, at, weekly))
        if len(out) >= limit:
            break
    if not out:
        return web.Response(status=204)
    return errors.ok(out[:limit])
