"""What the WB endpoints see at a sim clock: index scans over the compact store (rows built by `Rows`)."""

from bisect import bisect_left, bisect_right

from simulator.catalog import mix64
from simulator.model import (
    CANCEL_CLIENT,
    CANCEL_FATES,
    DECLINED,
    RETURNED,
    SOLD,
    SOLD_FATES,
    fbs_status,
    stages,
)
from simulator.timeutil import DAY, MSK_OFFSET

NEW_WINDOW = 3 * DAY  # no order stays "new" longer (see model.CONFIRM_CAP and the cancel delays)
ARCHIVE_AFTER_ANSWER = 3 * DAY
ARCHIVE_UNANSWERED = 30 * DAY
CLAIMS_WINDOW = 14 * DAY
RESTOCK_PERIOD = 7 * DAY


# --- Marketplace -------------------------------------------------------------------------------------
def fbs_range(seller, clock: float, date_from: float, date_to: float) -> tuple[int, int]:
    """Index range of orders created in [date_from, date_to], not after the clock, at most 3 months old."""
    created = seller.store.created
    lo_t = max(date_from, clock - 90 * DAY)
    return bisect_left(created, lo_t), bisect_right(created, int(min(date_to, clock)))


def fbs_new(seller, clock: float) -> list[int]:
    st = seller.store
    lo, hi = bisect_left(st.created, clock - NEW_WINDOW), bisect_right(st.created, int(clock))
    fate, fin, created = st.fate, st.fin, st.created
    return [i for i in range(lo, hi) if fbs_status(fate[i], fin[i], clock - created[i]) == ("new", "waiting")]


# --- Statistics --------------------------------------------------------------------------------------
def order_batch_at(seller, i: int, clock: float) -> int | None:
    """Batch of the order row's current lastChangeDate (None: not published yet)."""
    st, b = seller.store, seller.batcher
    b1 = b.batch_of(st.created[i])
    cur = b1 if b.published(b1, i, clock) else None
    if st.fate[i] in CANCEL_FATES:
        b2 = b.batch_of(st.created[i] + st.fin[i])
        if b2 != b1 and b.published(b2, i, clock):
            cur = b2
    return cur


def stats_orders(seller, clock: float, date_from: float, cap: int) -> list[int]:
    """Order rows with lastChangeDate >= date_from, ordered by lastChangeDate, at most `cap`."""
    st, b = seller.store, seller.batcher
    out: list[int] = []
    for key in st.ord_idx.from_batch(b.first_batch_at_or_after(date_from)):
        if b.stamp(key) > clock:
            break
        for i in st.ord_idx.rows[key]:
            if order_batch_at(seller, i, clock) == key:
                out.append(i)
                if len(out) >= cap:
                    return out
    return out


def stats_orders_day(seller, clock: float, day_from: float) -> list[int]:
    """flag=1: every order whose `date` falls on the Moscow calendar day of day_from."""
    st = seller.store
    lo_t = (int(day_from) + MSK_OFFSET) // DAY * DAY - MSK_OFFSET
    lo, hi = bisect_left(st.created, lo_t), bisect_left(st.created, lo_t + DAY)
    return [i for i in range(lo, hi) if order_batch_at(seller, i, clock) is not None]


def sale_time(st, code: int) -> int:
    i = code >> 1
    return st.created[i] + st.fin[i] + (st.ret[i] if code & 1 else 0)


def stats_sales(seller, clock: float, date_from: float, cap: int, day: bool = False) -> list[int]:
    """Sale/return row codes (2*i + is_return) by lastChangeDate; with day=True, the flag=1 variant."""
    st, b = seller.store, seller.batcher
    lo_t = (int(date_from) + MSK_OFFSET) // DAY * DAY - MSK_OFFSET if day else date_from
    out: list[int] = []
    for key in st.sale_idx.from_batch(b.first_batch_at_or_after(lo_t)):
        stamp = b.stamp(key)
        if stamp > clock or (day and stamp > lo_t + DAY + b.period):
            break
        for code in st.sale_idx.rows[key]:
            if day and not lo_t <= sale_time(st, code) < lo_t + DAY:
                continue
            if not b.published(key, ~code, clock):
                continue
            out.append(code)
            if not day and len(out) >= cap:
                return out
    return out


# --- Analytics: WB-warehouse stocks ------------------------------------------------------------------
def stocks(seller, clock: float) -> list[tuple[int, int, int, int, int]]:
    """(size index, warehouse index, quantity, inWayToClient, inWayFromClient) for every size x WB warehouse.

    Each row starts a restock cycle every 7 days (own phase) at its base level and falls with every order
    of that size attributed to that warehouse (buyer cancellations in the first hour do not count)."""
    cached = seller.cache.get(("stocks", clock))
    if cached is not None:
        return cached
    st, cat, spec = seller.store, seller.catalog, seller.spec
    n_wh = len(cat.wb_warehouses)
    n_rows = len(cat.sizes) * n_wh
    daily = spec.orders / spec.days
    base, last_restock = [0] * n_rows, [0.0] * n_rows
    for k in range(n_rows):
        h = mix64(spec.seed * 131 + k)
        demand = daily * 0.86 * cat.size_weights[k // n_wh] * cat.wh_weights[k % n_wh]
        base[k] = max(2, int(7 * demand * (0.55 + (h % 1000) / 800))) + h % 4
        if cat.size_weights[k // n_wh] == 0:  # a retired product: sold out for good
            base[k] = 0
        phase = (h >> 20) % RESTOCK_PERIOD
        last_restock[k] = clock - (clock - phase) % RESTOCK_PERIOD
    consumed, to_client, from_client = [0] * n_rows, [0] * n_rows, [0] * n_rows
    created, fate, fin, ret, size, wh = st.created, st.fate, st.fin, st.ret, st.size, st.wh
    for i in range(bisect_left(created, clock - 25 * DAY), bisect_right(created, int(clock))):
        k = size[i] * n_wh + wh[i]
        f, c = fate[i], created[i]
        age = clock - c
        if c >= last_restock[k] and f != DECLINED:
            consumed[k] += 1
        if f in SOLD_FATES or f == CANCEL_CLIENT:
            if stages(f, fin[i])[1] <= age < fin[i]:
                to_client[k] += 1
            back = c + fin[i] + (ret[i] if f == RETURNED else 0)
            if (f != SOLD) and back <= clock < back + 3 * DAY:
                from_client[k] += 1
    rows = [
        (k // n_wh, k % n_wh, max(0, base[k] - consumed[k]), to_client[k], from_client[k])
        for k in range(n_rows)
    ]
    seller.cache[("stocks", clock)] = rows
    return rows


# --- Feedbacks ---------------------------------------------------------------------------------------
def archive_delay(seller, r: int) -> int:
    """How long an answered review stays in `isAnswered=true` before WB moves it to the archive: a third
    go at once, the rest within ARCHIVE_AFTER_ANSWER (deterministic per review)."""
    h = mix64((seller.spec.seed * 0x7FEB352D) ^ (r * 0x846CA68B))
    return 0 if h % 3 == 0 else (h >> 8) % ARCHIVE_AFTER_ANSWER


def feedback_sets(seller, clock: float) -> tuple[list[int], list[int], list[int]]:
    """(answered, unanswered, archive) review indexes visible at the clock, newest first.

    Archive: no text and no photos (straight away); answered (at once or within 3 days of the answer);
    unanswered for 30 days; an old version of an edited review once its new version is out."""
    cached = seller.cache.get(("feedbacks", clock))
    if cached is not None:
        return cached
    st = seller.store
    answered, unanswered, archive = [], [], []
    for r in sorted(range(len(st.rv_created)), key=st.rv_created.__getitem__, reverse=True):
        t = st.rv_created[r]
        if t > clock:
            continue
        ans, child = st.rv_answer[r], st.rv_child[r]
        done = ans and t + ans <= clock
        superseded = child >= 0 and st.rv_created[child] <= clock
        if superseded or not st.rv_flags[r] or (done and clock >= t + ans + archive_delay(seller, r)):
            archive.append(r)
        elif done:
            answered.append(r)
        elif clock >= t + ARCHIVE_UNANSWERED:
            archive.append(r)
        else:
            unanswered.append(r)
    out = (answered, unanswered, archive)
    seller.cache[("feedbacks", clock)] = out
    return out


# --- Claims ------------------------------------------------------------------------------------------
def claims_visible(seller, clock: float) -> list[int]:
    """Claims filed within the current 14 days, newest first."""
    st = seller.store
    idx = [c for c in range(len(st.cl_dt)) if clock - CLAIMS_WINDOW <= st.cl_dt[c] <= clock]
    idx.sort(key=st.cl_dt.__getitem__, reverse=True)
    return idx


def claim_archived(seller, c: int, clock: float) -> bool:
    st = seller.store
    return st.cl_dt[c] + st.cl_decide[c] <= clock
