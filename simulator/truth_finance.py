"""Ground truth of the finance data at the sim clock (`GET /__sim/sellers/{sid}/truth?detail=finance`):
every line of every weekly realization report formed by then, and every paid storage row of the days that
have ended, computed by a full scan of the orders and days (not through the endpoints' paging).

Money is in strings with 2 decimals. `net` sums the goods fields signed by document type ("Продажа" +1,
"Возврат" -1: a storno of a sale is a return document), the cost fields as they come (docs/metrics.md,
"Finance report rows")."""

from collections import Counter
from datetime import date

from simulator.paid_storage import day_rows, history_first_day
from simulator.routes_finance import events, line, report_lines
from simulator.rows import Rows
from simulator.timeutil import DAY, MSK_OFFSET
from simulator.truth import money

GOODS = ("retailAmount", "forPay", "retailPriceWithDisc")
COSTS = ("deliveryService", "penalty", "paidStorage", "paidAcceptance", "deduction")
SIGN = {"Продажа": 1, "Возврат": -1}


def _kop(value: str) -> int:
    sign = -1 if value.startswith("-") else 1
    whole, _, frac = value.lstrip("-").partition(".")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))


def _weekly_lines(seller, clock: float) -> list[dict]:
    rows = Rows(seller)
    today = (int(clock) + MSK_OFFSET) // DAY
    week0 = today - (today + 3) % 7  # this week's Monday: its report is not formed yet
    out = []
    for i in range(seller.visible_orders(clock)):
        for kind, at in events(seller, i):
            day = (at + MSK_OFFSET) // DAY
            if day < week0 and at <= clock:
                out.append(line(seller, rows, i, kind, at, True))
    first = history_first_day(seller)
    monday = first - (first + 3) % 7
    while monday < week0:
        out += report_lines(seller, (monday, monday + 6), True)
        monday += 7
    return sorted(out, key=lambda r: r["rrdId"])


def finance_truth(seller, clock: float) -> dict:
    key = ("finance_truth", clock)
    if key in seller.cache:
        return seller.cache[key]
    lines = _weekly_lines(seller, clock)
    sums: Counter[str] = Counter()
    net: Counter[str] = Counter()
    for r in lines:
        sign = SIGN.get(r["docTypeName"], 0)
        for f in GOODS + COSTS:
            sums[f] += _kop(r[f])
        for f in GOODS:
            net[f] += sign * _kop(r[f])
        net["quantity"] += sign * r["quantity"]
    today = (int(clock) + MSK_OFFSET) // DAY
    storage = [r for d in range(history_first_day(seller), today) for r in day_rows(seller, d)]
    out = {
        "finance": {
            "rows": len(lines),
            "rrd_ids": [r["rrdId"] for r in lines],
            "without_nm_id": sum(1 for r in lines if not r.get("nmId")),
            "by_oper": dict(Counter(r["sellerOperName"] for r in lines)),
            "reports": sorted({r["reportId"] for r in lines}),
            "sums": {f: money(sums[f]) for f in GOODS + COSTS},
            "net": {**{f: money(net[f]) for f in GOODS}, "quantity": net["quantity"]},
        },
        "paid_storage": {
            "rows": len(storage),
            "warehousePrice": money(sum(r[3] for r in storage)),
            "days": today - history_first_day(seller),
        },
    }
    seller.cache[key] = out
    return out


def week_truth(seller, clock: float, monday: str) -> dict:
    """`GET /__sim/sellers/{sid}/truth?detail=week&monday=YYYY-MM-DD`: the weekly report of that week summed
    per nmId by the rules of docs/metrics.md ("Weekly unit economics"), straight from the report's lines as
    the simulator makes them, and the paid storage of the week's days per nmId. Kopecks as integers:
    units, gross (Σ signed retailPriceWithDisc), net (Σ signed forPay, unsigned for other documents, +
    additionalPayment), logistics, penalties, other (acceptance + deduction), report_storage, goods_lines
    (sale and return lines with a quantity: their units need a cost); the lines
    without an nmId under "pool"; `paid_storage` per nmId (the simulator's storage rows all name one)."""
    first = _day_number(monday)
    lines = [r for r in _weekly_lines(seller, clock) if r["dateFrom"] == monday]
    skus: dict[str, Counter[str]] = {}
    for r in lines:
        key = str(r["nmId"]) if r.get("nmId") else "pool"
        c = skus.setdefault(key, Counter())
        sign = SIGN.get(r["docTypeName"]) if key != "pool" else None
        if sign is None:
            c["net"] += _kop(r["forPay"])
        else:
            c["units"] += sign * r["quantity"]
            c["goods_lines"] += 1 if r["quantity"] else 0  # units to cost, even if they net to 0
            c["gross"] += sign * _kop(r["retailPriceWithDisc"])
            c["net"] += sign * _kop(r["forPay"])
        c["net"] += _kop(r["additionalPayment"])
        c["logistics"] += _kop(r["deliveryService"])
        c["penalties"] += _kop(r["penalty"])
        c["other"] += _kop(r["paidAcceptance"]) + _kop(r["deduction"])
        c["report_storage"] += _kop(r["paidStorage"])
    cat = seller.catalog
    storage: Counter[str] = Counter()
    today = (int(clock) + MSK_OFFSET) // DAY
    for d in range(first, min(first + 7, today)):
        for size, _wh, _qty, kop in day_rows(seller, d):
            storage[str(cat.products[cat.sizes[size].product].nm_id)] += kop
    return {
        "lines": len(lines),
        "skus": {k: dict(v) for k, v in skus.items()},
        "paid_storage": dict(storage),
    }


def _day_number(iso: str) -> int:
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days
