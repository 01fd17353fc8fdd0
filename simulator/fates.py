"""Order fates: what happens to each order and when (seconds after creation), and the exact-count mode.

Natural mode draws each order's fate independently with the preset's shares. Exact mode (history only) picks
fates so that exactly the target counts are visible at the start; see `fates_exact`.
"""

import random
from dataclasses import dataclass

from simulator.model import CANCEL_CLIENT, CANCEL_SELLER, DECLINED, DEFECT, RETURNED, SOLD, SOLD_FATES
from simulator.timeutil import DAY

CANCEL_KINDS = (CANCEL_SELLER, DECLINED, CANCEL_CLIENT, DEFECT)
CANCEL_CUM = (0.30, 0.70, 0.95, 1.0)


@dataclass(frozen=True, slots=True)
class Targets:
    """Exact counts visible at the start: orders, cancelled orders, sale rows (incl. returns), returns."""

    orders: int
    cancelled: int
    sales: int
    returns: int


@dataclass(frozen=True, slots=True)
class GenParams:
    seed: int
    start: int  # unix seconds; history ends here
    days: int
    orders: int  # orders in the history window
    targets: Targets | None
    p_cancel: float = 7064 / 11770
    p_return: float = 166 / (4488 - 166)
    p_review: float = 0.18
    p_claim_rejected: float = 0.012


def final_delay(rng: random.Random, fate: int) -> int:
    if fate in SOLD_FATES or fate == CANCEL_CLIENT:
        return int(DAY * (0.75 + min(rng.expovariate(1 / 1.6), 9.0)))
    if fate == CANCEL_SELLER:
        return int(600 + min(rng.expovariate(1 / (8 * 3600)), 46 * 3600))
    if fate == DECLINED:
        return int(120 + rng.random() * 3400)
    return int(DAY * (0.5 + rng.random() * 1.5))  # DEFECT


def cancel_kind(rng: random.Random) -> int:
    u = rng.random()
    for kind, edge in zip(CANCEL_KINDS, CANCEL_CUM, strict=True):
        if u < edge:
            return kind
    return CANCEL_SELLER


def return_delay(rng: random.Random) -> int:
    return int(DAY * (1 + rng.random() * 11))


def fates_natural(rng: random.Random, gp: GenParams, n: int) -> tuple[list[int], list[int], list[int]]:
    fates, fins, rets = [], [], []
    rand = rng.random
    for _ in range(n):
        if rand() < gp.p_cancel:
            fate = cancel_kind(rng)
            ret = 0
        else:
            fate = RETURNED if rand() < gp.p_return else SOLD
            ret = return_delay(rng) if fate == RETURNED else 0
        fates.append(fate)
        fins.append(final_delay(rng, fate))
        rets.append(ret)
    return fates, fins, rets


def fates_exact(rng: random.Random, gp: GenParams, created: list[int], last: int):
    """Fates such that exactly the target counts are visible at `gp.start` (see module doc).

    `last` is the last Statistics stamp <= start: an event is visible at the start iff it happens <= last;
    events that must stay invisible are pushed past the start so Marketplace and Statistics agree.
    """
    t = gp.targets
    assert t is not None
    n, start = len(created), gp.start
    buyouts = t.sales - t.returns
    pending_n = n - t.cancelled - buyouts
    if pending_n < 0 or buyouts < t.returns or t.returns < 0:
        raise ValueError(
            "inconsistent targets: need orders >= cancelled + (sales - returns), returns <= sales/2"
        )
    d_sale = [final_delay(rng, SOLD) for _ in range(n)]
    elig = [created[i] + d_sale[i] <= last for i in range(n)]
    inelig = [i for i in range(n) if not elig[i]]
    if len(inelig) < pending_n:  # not enough recent orders: keep the most recent eligible ones in flight too
        extra = [i for i in range(n - 1, -1, -1) if elig[i]][: pending_n - len(inelig)]
        for i in extra:
            elig[i] = False
        inelig.extend(extra)
    pending = set(rng.sample(inelig, pending_n))
    eligible = [i for i in range(n) if elig[i]]
    if len(eligible) < buyouts:
        raise ValueError("too many sales for the history window; raise `days` or lower `sales`")
    sold = set(rng.sample(eligible, buyouts))
    fates, fins, rets = [SOLD] * n, [0] * n, [0] * n
    for i in range(n):
        c = created[i]
        if i in pending:
            fates[i] = CANCEL_CLIENT if rng.random() < 0.15 else SOLD
            fins[i] = d_sale[i] if c + d_sale[i] > start else start - c + 1 + rng.randrange(12 * 3600)
        elif i in sold:
            fins[i] = d_sale[i]
        else:
            kind = cancel_kind(rng)
            fates[i] = kind
            f = final_delay(rng, kind)
            fins[i] = f if c + f <= last else int((last - c) * rng.random())
    sold_list = sorted(sold)
    d_ret = {i: return_delay(rng) for i in sold_list}
    ret_elig = [i for i in sold_list if created[i] + fins[i] + d_ret[i] <= last]
    if len(ret_elig) < t.returns:  # shorten some return delays
        have = set(ret_elig)
        more = [i for i in sold_list if created[i] + fins[i] < last and i not in have]
        for i in rng.sample(more, min(len(more), t.returns - len(ret_elig))):
            d_ret[i] = max(0, int((last - created[i] - fins[i]) * rng.random()))
            ret_elig.append(i)
    returned = set(rng.sample(ret_elig, t.returns))
    ret_elig_set = set(ret_elig)
    for i in sold_list:
        if i in returned:
            fates[i], rets[i] = RETURNED, max(1, d_ret[i])
        elif i not in ret_elig_set and rng.random() < gp.p_return:
            sale = created[i] + fins[i]
            r = d_ret[i] if sale + d_ret[i] > start else start - sale + 1 + rng.randrange(DAY)
            fates[i], rets[i] = RETURNED, r
    for i in pending:
        if fates[i] == SOLD and rng.random() < gp.p_return:
            fates[i], rets[i] = RETURNED, return_delay(rng)
    return fates, fins, rets
