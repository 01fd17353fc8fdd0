"""Reviews as WB keeps them beyond the first version: edits (a new version under a new id with
`parentFeedbackId`; the old one gets `childFeedbackId` and goes to the archive) and reviews of retired
products, whose orders are older than any sync window. Each uses its own RNG stream, so adding them changes
nothing else a seller generates."""

import random

from simulator.catalog import Catalog
from simulator.model import ORPHAN, Store
from simulator.timeutil import DAY

P_EDIT = 0.08  # share of reviews with text that the buyer edits later
RATING_CUM = (0.06, 0.09, 0.15, 0.30, 1.0)


def complete(store: Store, first: int, rng: random.Random) -> None:
    """Give reviews [first, end) their size and version columns, then let some buyers edit theirs."""
    end = len(store.rv_created)
    for r in range(first, end):
        store.rv_size.append(store.size[store.rv_order[r]])
        store.rv_parent.append(-1)
        store.rv_child.append(-1)
    for r in range(first, end):
        if store.rv_flags[r] & 1 and rng.random() < P_EDIT:
            _edit(store, r, rng)


def _edit(store: Store, r: int, rng: random.Random) -> None:
    child = len(store.rv_created)
    rating = rng.choice([k for k in range(1, 6) if k != store.rv_rating[r]])  # lower or higher
    store.rv_order.append(store.rv_order[r])
    store.rv_size.append(store.rv_size[r])
    store.rv_created.append(store.rv_created[r] + int(3600 + min(rng.expovariate(1 / (2 * DAY)), 20 * DAY)))
    store.rv_rating.append(rating)
    store.rv_answer.append(int(600 + rng.expovariate(1 / DAY)) if rng.random() < 0.5 else 0)
    store.rv_flags.append(1 | (store.rv_flags[r] & 2))
    store.rv_parent.append(r)
    store.rv_child.append(-1)
    store.rv_child[r] = child


def orphans(store: Store, cat: Catalog, rng: random.Random, n: int, lo: int, hi: int) -> None:
    """`n` reviews of retired products written in [lo, hi]: their orders predate the history."""
    retired = [s for s, size in enumerate(cat.sizes) if size.product >= len(cat.products) - cat.retired]
    if not retired or hi <= lo:
        return
    for _ in range(n):
        has_text = rng.random() < 0.6
        store.rv_order.append(ORPHAN)
        store.rv_size.append(rng.choice(retired))
        store.rv_created.append(lo + int(rng.random() * (hi - lo)))
        store.rv_rating.append(1 + next(k for k, edge in enumerate(RATING_CUM) if rng.random() < edge))
        store.rv_answer.append(int(600 + rng.expovariate(1 / DAY)) if has_text and rng.random() < 0.5 else 0)
        store.rv_flags.append(1 if has_text else 0)
        store.rv_parent.append(-1)
        store.rv_child.append(-1)
