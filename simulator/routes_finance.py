"""finance-api: POST /api/finance/v1/sales-reports/detailed (realization report lines by period).

Per order (rrdId = rrd_base + 8 * order index + kind, so ids ascend in the order they are served):
0 a sale ("Продажа") and 1 its delivery logistics; 2 a return ("Возврат") and 3 its return logistics (also
the logistics of a buyer cancellation at the pickup point); for some sales, 4 days later, 4 a storno of
the sale ("Сторно продаж": a return document repeating the sale's amounts, which reverses it) and 5 the
corrected sale ("Корректная продажа": a sale document with the corrected amounts), and three days later
7 a logistics correction ("Коррекция логистики": a negative deliveryService, part of the charge refunded);
6 a penalty ("Штраф") for some orders the seller cancelled. Per report (rrdId = rrd_base + 9,000,000 +
4 * first day + k, after every order line): storage ("Хранение", the paid storage of the report's days,
`nmId` 0), paid acceptance ("Платная приемка", no `nmId` key) and a deduction ("Удержание", `nmId` null)
— costs WB does not attribute to a SKU. A line appears once its report exists: a weekly report (Mon-Sun,
Moscow time) on the following Monday, a daily one the next day. Paging: `rrdId` of the last line; 204 when
nothing is left. Money fields are strings, as in the spec. See simulator/README.md for the sign rules.
"""

import json
from bisect import bisect_left, bisect_right

from aiohttp import web

from simulator import errors
from simulator.catalog import mix64
from simulator.model import CANCEL_CLIENT, CANCEL_SELLER, RETURNED, SOLD_FATES
from simulator.paid_storage import history_first_day, storage_total
from simulator.rows import Rows
from simulator.timeutil import DAY, MSK_OFFSET, msk_date, parse_msk, utc_iso

MAX_LIMIT = 100_000
LOGISTICS = {1: 6300, 2: 9900, 3: 24900}  # kopecks per delivery by cargoType
KINDS = 8
SALE, DELIVERY, RETURN, RETURN_LOGISTICS, STORNO, CORRECT_SALE, PENALTY, LOGISTICS_FIX = range(KINDS)
REPORT_LINES = 9_000_000  # rrdId offset of the per-report lines
STORAGE, ACCEPTANCE, DEDUCTION = range(3)
LOOKBACK = 45 * DAY  # an order's lines come at most this long after it was placed
OPER = ("Продажа", "Логистика", "Возврат", "Логистика", "Сторно продаж", "Корректная продажа", "Штраф",
        "Коррекция логистики")  # fmt: skip
DOC = ("Продажа", "", "Возврат", "", "Возврат", "Продажа", "", "")


def _s(kop: int) -> str:
    sign, kop = ("-" if kop < 0 else ""), abs(kop)
    return sign + (str(kop // 100) if kop % 100 == 0 else f"{kop // 100}.{kop % 100:02d}")


def _period(day: int, weekly: bool) -> tuple[int, int]:
    """(first, last) Moscow day numbers of the report containing `day`."""
    if not weekly:
        return day, day
    first = day - (day + 3) % 7  # day 0 (1970-01-01) was a Thursday
    return first, first + 6


def _h(seller, i: int, salt: int) -> int:
    return mix64((seller.spec.seed * 0x1F123BB5) ^ (i * 0x9E3779B1) ^ salt)


def events(seller, i: int) -> list[tuple[int, int]]:
    """(kind, unix time) of the order's report lines, by kind."""
    st = seller.store
    f, t = st.fate[i], st.created[i] + st.fin[i]
    out: list[tuple[int, int]] = []
    if f in SOLD_FATES:
        out += [(SALE, t), (DELIVERY, t)]
        if f == RETURNED:
            out += [(RETURN, t + st.ret[i]), (RETURN_LOGISTICS, t + st.ret[i])]
        elif _h(seller, i, 0xA5) % 12 == 0:  # ~8 % of kept sales are reversed and re-stated 4 days later
            out += [(STORNO, t + 4 * DAY), (CORRECT_SALE, t + 4 * DAY)]
        if _h(seller, i, 0x3C) % 20 == 1:
            out.append((LOGISTICS_FIX, t + 3 * DAY))
    elif f == CANCEL_CLIENT:
        out.append((RETURN_LOGISTICS, t))
    elif f == CANCEL_SELLER and _h(seller, i, 0x77) % 3 == 0:
        out.append((PENALTY, t))
    return sorted(out)


def _amounts(rows: Rows, i: int, kind: int, cargo: int) -> dict[str, str]:
    total, pwd, finished, for_pay = rows.money(i)
    if kind == CORRECT_SALE:  # re-stated 3 % lower
        commission = rows.cat.products[rows.cat.sizes[rows.st.size[i]].product].commission
        pwd, finished = pwd * 97 // 100, finished * 97 // 100
        for_pay = (pwd * (100 - commission) + 50) // 100
    zero = {"retailPrice": "0", "retailAmount": "0", "retailPriceWithDisc": "0", "forPay": "0",
            "ppvzSalesCommission": "0", "deliveryService": "0", "penalty": "0"}  # fmt: skip
    if kind in (SALE, RETURN, STORNO, CORRECT_SALE):
        return {**zero, "retailPrice": _s(total), "retailAmount": _s(finished),
                "retailPriceWithDisc": _s(pwd), "forPay": _s(for_pay),
                "ppvzSalesCommission": _s(pwd - for_pay)}  # fmt: skip
    if kind == PENALTY:
        return {**zero, "penalty": _s(max(10_000, pwd // 10))}
    fee = LOGISTICS[cargo]
    return {**zero, "deliveryService": _s(-(fee * 3 // 10) if kind == LOGISTICS_FIX else fee)}


def _base(seller, report: tuple[int, int], weekly: bool, rrd: int) -> dict:
    first, last = report
    return {
        "reportId": (100_000_000 if weekly else 200_000_000) + first,
        "dateFrom": msk_date(first * DAY), "dateTo": msk_date(last * DAY),
        "createDate": msk_date((last + 1) * DAY), "currency": "RUB", "reportType": 1, "rrdId": rrd,
        "giId": 0, "dlvPrc": 1.8, "fixTariffDateFrom": "", "fixTariffDateTo": "", "salePercent": 0,
        "commissionPercent": 0, "productDiscountForReport": 0, "sellerPromo": "0", "spp": 0, "kvwBase": 0,
        "kvw": 0, "supRatingUp": 0, "isKgvpV2": 0, "ppvzReward": "0", "acquiringFee": "0",
        "acquiringPercent": 0, "paymentProcessing": "", "acquiringBank": "", "vw": "0", "vwNds": "0",
        "ppvzOfficeName": "", "ppvzOfficeId": 0, "ppvzSupplierName": seller.spec.name,
        "ppvzSupplierInn": seller.tin, "declarationNumber": "", "country": "Россия", "srvDbs": False,
        "penalty": "0", "additionalPayment": "0", "rebillLogisticCost": "0", "paidStorage": "0",
        "deduction": "0", "paidAcceptance": "0", "isB2b": False, "trbxId": "",
        "installmentCofinancingAmount": "0", "wibesDiscountPercent": 0, "cashbackAmount": "0",
        "cashbackDiscount": "0", "cashbackCommissionChange": "0", "paymentSchedule": "0",
        "sellerPromoId": 0, "sellerPromoDiscount": 0, "loyaltyId": 0, "loyaltyDiscount": 0,
        "uuidPromocode": "", "salePricePromocodeDiscountPrc": 0, "articleSubstitution": "",
        "salePriceAffiliatedDiscountPrc": 0, "salePriceWholesaleDiscountPrc": 0,
    }  # fmt: skip


def line(seller, rows: Rows, i: int, kind: int, at: int, weekly: bool) -> dict:
    cat, st = seller.catalog, seller.store
    size = cat.sizes[st.size[i]]
    p = cat.products[size.product]
    goods = kind in (SALE, RETURN, STORNO, CORRECT_SALE)
    report = _period((at + MSK_OFFSET) // DAY, weekly)
    out = _base(seller, report, weekly, seller.rrd_base + i * KINDS + kind)
    bonus = {DELIVERY: "К клиенту при продаже", RETURN_LOGISTICS: "От клиента при возврате",
             PENALTY: "Штраф МП. Невыполненный заказ (отмена продавцом)",
             LOGISTICS_FIX: "Коррекция логистики"}.get(kind, "")  # fmt: skip
    out.update(_amounts(rows, i, kind, p.cargo_type))
    out.update({
        "subjectName": p.subject, "nmId": p.nm_id, "brandName": p.brand, "vendorCode": p.article,
        "title": p.name, "techSize": size.tech_size, "sku": size.barcode, "docTypeName": DOC[kind],
        "quantity": 1 if goods else 0, "salePercent": st.disc[i], "commissionPercent": p.commission,
        "officeName": cat.regions[st.region[i]][3], "sellerOperName": OPER[kind],
        "orderDt": utc_iso(st.created[i]), "saleDt": utc_iso(at), "rrDate": msk_date(at), "shkId": 0,
        "deliveryAmount": int(kind == DELIVERY), "returnAmount": int(kind == RETURN_LOGISTICS),
        "giBoxTypeName": "", "spp": st.spp[i], "bonusTypeName": bonus, "stickerId": str(i),
        "orderId": seller.id_base + i, "deliveryMethod": "FBS, (МГТ)", "orderUid": rows.rid(i)[::-1],
        "srid": rows.rid(i),
    })  # fmt: skip
    return out


def report_lines(seller, report: tuple[int, int], weekly: bool) -> list[dict]:
    """Storage, paid acceptance and a deduction of one report: costs with no SKU."""
    first, last = report
    if last < history_first_day(seller):
        return []
    storage = sum(storage_total(seller, d) for d in range(max(first, history_first_day(seller)), last + 1))
    h = mix64((seller.spec.seed * 0x632BE5AB) ^ first)
    amounts: list[tuple[int, str, str, int, dict]] = [
        (STORAGE, "Хранение", "paidStorage", storage, {"nmId": 0}),
        (ACCEPTANCE, "Платная приемка", "paidAcceptance", (h % 40 + 5) * 2_500, {}),
        (DEDUCTION, "Удержание", "deduction", (h >> 8) % 3_000 * 100 + 99 if (h >> 4) % 3 else 0,
         {"nmId": None}),
    ]  # fmt: skip
    out = []
    for k, oper, field, kop, nm in amounts:
        if kop <= 0:
            continue
        row = _base(seller, report, weekly, seller.rrd_base + REPORT_LINES + 4 * first + k)
        bonus = "Оказание услуг «WB Продвижение»" if k == DEDUCTION else oper
        row.update({"docTypeName": "", "sellerOperName": oper, "bonusTypeName": bonus, "quantity": 0,
                    field: _s(kop), "vendorCode": "", "title": "", "techSize": "", "sku": "", "srid": "",
                    "orderUid": "", "orderId": 0, "deliveryService": "0", "retailPrice": "0",
                    "retailAmount": "0", "retailPriceWithDisc": "0", "forPay": "0",
                    "ppvzSalesCommission": "0", "orderDt": "0001-01-01T00:00:00Z",
                    "saleDt": utc_iso(last * DAY - MSK_OFFSET), "rrDate": msk_date(last * DAY),
                    "deliveryAmount": 0, "returnAmount": 0, **nm})  # fmt: skip
        if k == ACCEPTANCE:
            row.pop("nmId", None)  # WB leaves the key out: a reader must not expect it
        out.append(row)
    return out


def _order_lines(seller, day_from: int, day_to: int, rrd: int, weekly: bool, clock: float, limit: int):
    st, rows = seller.store, Rows(seller)
    today = (int(clock) + MSK_OFFSET) // DAY
    lo_t, hi_t = day_from * DAY - MSK_OFFSET, (day_to + 1) * DAY - MSK_OFFSET
    lo = bisect_left(st.created, lo_t - LOOKBACK)
    if rrd >= seller.rrd_base:
        lo = max(lo, (rrd - seller.rrd_base) // KINDS)
    out: list[dict] = []
    for i in range(lo, bisect_right(st.created, int(min(hi_t, clock)))):
        for kind, at in events(seller, i):
            if seller.rrd_base + i * KINDS + kind <= rrd or not lo_t <= at < hi_t:
                continue
            if _period((at + MSK_OFFSET) // DAY, weekly)[1] >= today:  # report not formed yet
                continue
            out.append(line(seller, rows, i, kind, at, weekly))
        if len(out) >= limit:
            break
    return out


def _report_level(seller, day_from: int, day_to: int, rrd: int, weekly: bool, clock: float) -> list[dict]:
    today = (int(clock) + MSK_OFFSET) // DAY
    out: list[dict] = []
    first = _period(day_from, weekly)[0]
    while first <= day_to:
        report = _period(first, weekly)
        if report[1] >= today:
            break
        if day_from <= report[0]:
            out += [r for r in report_lines(seller, report, weekly) if r["rrdId"] > rrd]
        first = report[1] + 1
    return out


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
    out: list[dict] = []
    if rrd < seller.rrd_base + REPORT_LINES:
        out = _order_lines(seller, day_from, day_to, rrd, weekly, clock, limit)
    if len(out) < limit:
        out += _report_level(seller, day_from, day_to, rrd, weekly, clock)
    if not out:
        return web.Response(status=204)
    return errors.ok(out[:limit])
