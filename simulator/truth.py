"""Ground truth at the sim clock, computed by a full scan of the columns (independently of the endpoint
indexes, so tests can check that the endpoints' rows add up to it). Money sums are strings, 2 decimals."""

from collections import Counter

from simulator.catalog import RUB
from simulator.model import CANCEL_FATES, ORPHAN, RETURNED, SOLD_FATES, fbs_status
from simulator.queries import claim_archived, claims_visible, feedback_sets, order_batch_at, stocks
from simulator.rows import Rows
from simulator.rows_feedback import claim_id, feedback_id, review_facts
from simulator.timeutil import utc_iso


def money(kop: int) -> str:
    sign = "-" if kop < 0 else ""
    kop = abs(kop)
    return f"{sign}{kop // 100}.{kop % 100:02d}"


def _count_fbs(
    fbs: dict, wb_status: Counter, sup_status: Counter, i: int, finished: int, clock: float, rows, seller, ids
) -> None:
    """An FBS (Marketplace) order's share of the truth (`finished`: its finishedPrice, kopecks); FBW orders
    have none."""
    st = seller.store
    created, fate, fin = st.created[i], st.fate[i], st.fin[i]
    sup, wb = fbs_status(fate, fin, clock - created)
    fbs["orders"] += 1
    fbs["price_sum"] += finished
    wb_status[wb] += 1
    sup_status[sup] += 1
    if sup == "new" and wb == "waiting":
        fbs["new"] += 1
    if fate in CANCEL_FATES and clock - created >= fin:
        fbs["cancelled"] += 1
        fbs["cancelled_price_sum"] += finished
    if ids is not None:
        ids["fbs_ids"].append(seller.id_base + i)
    _count_currency(fbs, i, rows, ids)


def _count_currency(fbs: dict, i: int, rows, ids) -> None:
    """Orders priced in a foreign currency: their converted roubles (`convertedPrice`, what we must store)."""
    code = rows.currency(i)[0]
    fbs.setdefault("by_currency", Counter())[str(code)] += 1
    if code == RUB:
        return
    _total, pwd, finished, _ = rows.money(i)
    fbs["foreign"] = fbs.get("foreign", 0) + 1
    fbs["foreign_price_sum"] = fbs.get("foreign_price_sum", 0) + finished
    if ids is not None:
        ids.setdefault("foreign_orders", {})[str(rows.order_id(i))] = {
            "currencyCode": code,
            "price": rows.in_buyer_currency(i, finished),
            "salePrice": rows.in_buyer_currency(i, pwd),
            "convertedPrice": money(finished),
            "salePriceRub": money(pwd),
        }


def _currencies(fbs: dict) -> dict:
    return dict(fbs.get("by_currency", {}))


def _stock_key(cat, row) -> list[int]:
    """[nmId, chrtId, warehouseId] of a stock row."""
    size = cat.sizes[row[0]]
    return [cat.products[size.product].nm_id, size.chrt_id, cat.wb_warehouses[row[1]][0]]


def truth(seller, clock: float, detail: bool = False) -> dict:
    key = ("truth", clock, detail)
    if key in seller.cache:
        return seller.cache[key]
    st, b, rows, cat = seller.store, seller.batcher, Rows(seller), seller.catalog
    neg = seller.spec.returns_negative
    n_fbs = seller.visible_orders(clock)
    fbs = {"orders": 0, "cancelled": 0, "price_sum": 0, "cancelled_price_sum": 0, "new": 0}
    wb_status: Counter[str] = Counter()
    sup_status: Counter[str] = Counter()
    so = {"rows": 0, "cancelled": 0, "totalPrice": 0, "priceWithDisc": 0, "finishedPrice": 0}
    sales: dict[str, Counter[str]] = {"S": Counter(), "R": Counter()}
    per_stamp_orders: Counter[int] = Counter()  # rows per batch (one lastChangeDate stamp)
    per_stamp_sales: Counter[int] = Counter()
    ids: dict[str, list[int | str]] | None = (
        {"fbs_ids": [], "order_srids": [], "sale_ids": []} if detail else None
    )
    fbw_rows = 0
    for i in range(n_fbs):
        created, fate, fin = st.created[i], st.fate[i], st.fin[i]
        total, pwd, finished, for_pay = rows.money(i)
        fbw = seller.is_fbw(i)
        if not fbw:
            _count_fbs(fbs, wb_status, sup_status, i, finished, clock, rows, seller, ids)
        # Statistics orders: visible once a version of the row is published (some are published late)
        cur = order_batch_at(seller, i, clock)
        if cur is not None:
            so["rows"] += 1
            fbw_rows += fbw
            so["totalPrice"] += total
            so["priceWithDisc"] += pwd
            so["finishedPrice"] += finished
            if fate in CANCEL_FATES and b.published(b.batch_of(created + fin), i, clock):
                so["cancelled"] += 1
            per_stamp_orders[cur] += 1
            if ids is not None:
                ids["order_srids"].append(rows.rid(i))
        if fate in SOLD_FATES:
            for is_ret, at in ((False, created + fin), (True, created + fin + st.ret[i])):
                if is_ret and fate != RETURNED:
                    continue
                bb = b.batch_of(at)
                if not b.published(bb, ~(2 * i + is_ret), clock):
                    continue
                sign = -1 if is_ret and neg else 1
                c = sales["R" if is_ret else "S"]
                c["rows"] += 1
                c["forPay"] += sign * for_pay
                c["priceWithDisc"] += sign * pwd
                c["finishedPrice"] += sign * finished
                per_stamp_sales[bb] += 1
                if ids is not None:
                    ids["sale_ids"].append(rows.sale_id(i, is_ret))
    stock_rows = stocks(seller, clock)
    answered, unanswered, archive = feedback_sets(seller, clock)
    visible_reviews = answered + unanswered + archive
    claims = claims_visible(seller, clock)
    archived = sum(1 for c in claims if claim_archived(seller, c, clock))

    def sums(c: Counter) -> dict:
        return {"rows": c["rows"], **{k: money(c[k]) for k in ("forPay", "priceWithDisc", "finishedPrice")}}

    out = {
        "sim_clock": utc_iso(clock),
        "fbs_orders": {
            "count": fbs["orders"],
            "cancelled": fbs["cancelled"],
            "active": fbs["orders"] - fbs["cancelled"],
            "price_sum": money(fbs["price_sum"]),
            "cancelled_price_sum": money(fbs["cancelled_price_sum"]),
            "by_wb_status": dict(wb_status),
            "by_supplier_status": dict(sup_status),
            "new": fbs["new"],
            # Orders priced in the buyer's foreign currency, and their roubles (the converted price).
            "by_currency": _currencies(fbs),
            "foreign": fbs.get("foreign", 0),
            "foreign_price_sum": money(fbs.get("foreign_price_sum", 0)),
        },
        "stats_orders": {
            "rows": so["rows"],
            "cancelled": so["cancelled"],
            **{k: money(so[k]) for k in ("totalPrice", "priceWithDisc", "finishedPrice")},
            "fbw": fbw_rows,
            "max_rows_per_lastChangeDate": max(per_stamp_orders.values(), default=0),
        },
        "sales": {
            "rows": sales["S"]["rows"] + sales["R"]["rows"],
            "sales": sums(sales["S"]),
            "returns": sums(sales["R"]),
            "max_rows_per_lastChangeDate": max(per_stamp_sales.values(), default=0),
        },
        # `rows` are the rows the stocks report serves; a sold-out row (quantity 0) is left out, as WB does.
        "stocks": {
            "rows": sum(1 for r in stock_rows if r[2] > 0),
            "quantity": sum(r[2] for r in stock_rows),
            "in_way_to_client": sum(r[3] for r in stock_rows if r[2] > 0),
            "in_way_from_client": sum(r[4] for r in stock_rows if r[2] > 0),
            "zero_rows": sum(1 for r in stock_rows if r[2] == 0),
        },
        "reviews": {
            "count": len(visible_reviews),
            "by_rating": {
                str(k): v for k, v in sorted(Counter(st.rv_rating[r] for r in visible_reviews).items())
            },
            "answered": len(answered),
            "unanswered": len(unanswered),
            "archive": len(archive),
            "edited": sum(1 for r in visible_reviews if st.rv_parent[r] >= 0),
            "orphans": sum(1 for r in visible_reviews if st.rv_order[r] == ORPHAN),
        },
        "claims": {"count": len(claims), "archive": archived, "active": len(claims) - archived},
    }
    if ids is not None:
        out["ids"] = {
            **ids,
            "review_ids": sorted(feedback_id(rows, r) for r in visible_reviews),
            "claim_ids": sorted(claim_id(rows, c) for c in claims),
            "reviews": review_facts(rows, visible_reviews, set(archive), clock),
            "sold_out_stock": sorted(_stock_key(cat, r) for r in stock_rows if r[2] == 0),
        }
    seller.cache[key] = out
    return out
