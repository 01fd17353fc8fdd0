"""Deterministic data generator: order arrival profile, fates and timelines, reviews, claims.

History (the preset's `days` before the start) is one batch that can hit exact target counts at the start
(the seed preset's 11,770 / 7,064 / 4,488 / 166). Later days are generated one day at a time, each from its
own RNG stream `(seed, day)`, so the data does not depend on how the clock was advanced.
"""

import random
from itertools import accumulate

from simulator import review_versions
from simulator.catalog import Catalog
from simulator.fates import GenParams, fates_exact, fates_natural
from simulator.model import RETURNED, SOLD_FATES, Batcher, Store
from simulator.timeutil import DAY, MSK_OFFSET

# Orders per Moscow hour (night trough, lunch and evening peaks) and per weekday (Mon..Sun).
_HOURS = "0.9 0.5 0.3 0.2 0.2 0.3 0.6 1.2 2.0 2.8 3.3 3.5 3.6 3.5 3.3 3.2 3.2 3.4 3.8 4.3 4.6 4.3 3.2 1.8"
HOUR_W = [float(w) for w in _HOURS.split()]
WEEKDAY_W = [1.02, 1.0, 0.97, 0.95, 0.93, 1.03, 1.10]
RATING_CUM_SOLD = (0.06, 0.09, 0.15, 0.30, 1.0)  # P(rating <= k) for k = 1..5
RATING_CUM_RETURNED = (0.35, 0.50, 0.70, 0.85, 1.0)


def _arrivals(rng: random.Random, n: int, lo: int, hi: int) -> list[int]:
    """`n` sorted arrival times in [lo, hi] following the hourly and weekday profile."""
    if n <= 0 or hi <= lo:
        return []
    slots: list[tuple[int, int]] = []
    weights: list[float] = []
    t = lo - (lo % 3600)
    while t <= hi:
        a, b = max(t, lo), min(t + 3600, hi + 1)
        if b > a:
            msk = t + MSK_OFFSET
            w = HOUR_W[(msk // 3600) % 24] * WEEKDAY_W[((msk // DAY) + 3) % 7]  # 1970-01-01 was a Thursday
            slots.append((a, b))
            weights.append(w * (b - a) / 3600)
        t += 3600
    cum = list(accumulate(weights))
    picks = rng.choices(range(len(slots)), cum_weights=cum, k=n)
    rand = rng.random
    out = [slots[s][0] + int(rand() * (slots[s][1] - slots[s][0])) for s in picks]
    out.sort()
    return out


def _pick(rng: random.Random, cum: tuple[float, ...]) -> int:
    u = rng.random()
    return next((k for k, edge in enumerate(cum) if u < edge), len(cum) - 1)


def _append_order_attrs(store: Store, rng: random.Random, cat: Catalog, created: list[int]) -> None:
    n = len(created)
    sizes = rng.choices(range(len(cat.sizes)), weights=cat.size_weights, k=n)
    whs = rng.choices(range(len(cat.wb_warehouses)), weights=cat.wh_weights, k=n)
    regions = rng.choices(range(len(cat.regions)), weights=cat.region_weights, k=n)
    rand = rng.random
    store.created.extend(created)
    store.size.extend(sizes)
    store.wh.extend(whs)
    store.region.extend(regions)
    products, size_list = cat.products, cat.sizes
    for s in sizes:
        p = products[size_list[s].product]
        store.price.append(p.price_kop)
        store.disc.append(p.discount)
        store.spp.append(int(rand() * 30))


def _reviews_and_claims(store: Store, rng: random.Random, gp: GenParams, lo: int, hi: int) -> None:
    rand = rng.random
    created, fate, fin, ret = store.created, store.fate, store.fin, store.ret
    for i in range(lo, hi):
        f = fate[i]
        if f not in SOLD_FATES:
            continue
        sale = created[i] + fin[i]
        if rand() < gp.p_review:
            rating = 1 + _pick(rng, RATING_CUM_RETURNED if f == RETURNED else RATING_CUM_SOLD)
            has_text = rand() < (0.95 if rating <= 3 else 0.7)
            store.rv_order.append(i)
            store.rv_created.append(sale + int(min(rng.expovariate(1 / (2 * DAY)), 25 * DAY)))
            store.rv_rating.append(rating)
            answered = has_text and rand() < 0.65
            store.rv_answer.append(int(600 + rng.expovariate(1 / DAY)) if answered else 0)
            store.rv_flags.append((1 if has_text else 0) | (2 if rand() < 0.2 else 0))
        if f == RETURNED:
            r = ret[i]
            store.cl_order.append(i)
            store.cl_dt.append(sale + int(r * 0.35))
            store.cl_decide.append(max(60, int(r * 0.3)))
            store.cl_kind.append(0)
        elif rand() < gp.p_claim_rejected:
            store.cl_order.append(i)
            store.cl_dt.append(sale + DAY + int(rand() * 9 * DAY))
            store.cl_decide.append(3600 + int(rand() * 47 * 3600))
            store.cl_kind.append(1)


def _append(store: Store, rng, gp: GenParams, cat: Catalog, created, fates, fins, rets, batcher) -> None:
    lo = len(store)
    _append_order_attrs(store, rng, cat, created)
    store.fate.extend(fates)
    store.fin.extend(fins)
    store.ret.extend(rets)
    store.index_rows(lo, len(store), batcher)
    first_review = len(store.rv_created)
    _reviews_and_claims(store, rng, gp, lo, len(store))
    review_versions.complete(store, first_review, random.Random(f"edits:{gp.seed}:{lo}"))


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` proportional to `weights`."""
    w_sum = sum(weights) or 1.0
    raw = [total * w / w_sum for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda k: raw[k] - counts[k], reverse=True)
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return counts


def generate_history(store: Store, cat: Catalog, gp: GenParams, batcher: Batcher) -> None:
    last = batcher.stamp(batcher.batch_of(gp.start + 1) - 1)  # last Statistics stamp <= start
    first = gp.start - gp.days * DAY
    orphan_rng = random.Random(f"orphans:{gp.seed}")
    review_versions.orphans(store, cat, orphan_rng, max(2, gp.orders // 300), first, gp.start)
    if gp.targets is not None:  # one batch, exact counts at the start
        rng = random.Random(f"history:{gp.seed}")
        created = _arrivals(rng, gp.orders, first, last)
        fates, fins, rets = fates_exact(rng, gp, created, last)
        _append(store, rng, gp, cat, created, fates, fins, rets, batcher)
        return
    # natural shares: day by day (bounded memory), exactly `orders` in total
    windows = [(first + k * DAY, min(first + (k + 1) * DAY - 1, last)) for k in range(gp.days)]
    weights = [WEEKDAY_W[((lo + MSK_OFFSET) // DAY + 3) % 7] * (hi - lo + 1) for lo, hi in windows]
    for k, ((lo, hi), n) in enumerate(zip(windows, _split(gp.orders, weights), strict=True)):
        rng = random.Random(f"history:{gp.seed}:{k}")
        created = _arrivals(rng, n, lo, hi)
        fates, fins, rets = fates_natural(rng, gp, len(created))
        _append(store, rng, gp, cat, created, fates, fins, rets, batcher)


def generate_day(store: Store, cat: Catalog, gp: GenParams, batcher: Batcher, day: int) -> None:
    """Orders created in (start + day*DAY, start + (day+1)*DAY]."""
    rng = random.Random(f"day:{gp.seed}:{day}")
    lo = gp.start + day * DAY + 1
    hi = lo + DAY - 1
    msk_day = (lo + MSK_OFFSET) // DAY
    mean = gp.orders / max(gp.days, 1) * WEEKDAY_W[(msk_day + 3) % 7] / (sum(WEEKDAY_W) / 7)
    n = max(0, round(rng.gauss(mean, max(1.0, mean * 0.06))))
    created = _arrivals(rng, n, lo, hi)
    fates, fins, rets = fates_natural(rng, gp, len(created))
    _append(store, rng, gp, cat, created, fates, fins, rets, batcher)
    orphan_rng = random.Random(f"orphans:{gp.seed}:{day}")
    review_versions.orphans(store, cat, orphan_rng, int(orphan_rng.random() < 0.5), lo, hi)
