"""Compact per-seller storage: parallel `array` columns, one entry per order / review / claim.

An order is ~30 bytes. Everything visible through the WB endpoints is a pure function of these columns and the
seller's sim clock: an order's status, its Statistics row and lastChangeDate, its sale/return rows.
"""

from array import array
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from simulator.catalog import mix64

# Order fates (what will eventually happen to the order).
SOLD, RETURNED, CANCEL_SELLER, DECLINED, CANCEL_CLIENT, DEFECT = range(6)
CANCEL_FATES = frozenset({CANCEL_SELLER, DECLINED, CANCEL_CLIENT, DEFECT})
SOLD_FATES = frozenset({SOLD, RETURNED})
CANCEL_WB_STATUS = {
    CANCEL_SELLER: "canceled",
    DECLINED: "declined_by_client",
    CANCEL_CLIENT: "canceled_by_client",
    DEFECT: "defect",
}
ORPHAN = 0xFFFFFFFF  # rv_order of a review whose order is older than the history (a retired product's)
CONFIRM_CAP = 20 * 3600  # an order never stays "new" for more than this (+ the cancel windows below)


@dataclass(slots=True)
class Batcher:
    """Statistics data is loaded in batches ("updated every 30 minutes"): an event at time `e` gets the
    lastChangeDate of the first batch at or after it. Batch `b` is stamped `b*period + off(b)` where
    `off(b)` is a deterministic per-batch jitter < period/2, so timestamps look organic but every row of a
    batch shares one lastChangeDate (realistic duplicates at page boundaries).

    Late publication (as WB): after `late_after` (the seller's start, so the history stays exact), a
    deterministic `late_share` of rows appear up to `late_max_s` after their batch's stamp, so a row can
    show up with a lastChangeDate earlier than rows already served. `published` is the one test of
    whether a row (`row`: an order index, or `~code` for a sale row) is visible in batch `b` at `clock`."""

    seed: int
    period: int = 1800
    late_share: float = 0.0
    late_max_s: int = 0
    late_after: int = 0
    _stamps: dict[int, int] = field(default_factory=dict)

    def lag(self, b: int, row: int) -> int:
        stamp = self.stamp(b)
        if self.late_share <= 0 or self.late_max_s <= 0 or stamp <= self.late_after:
            return 0
        h = mix64((self.seed * 0x2545F491) ^ (b * 0x9E3779B1) ^ (row * 0x85EBCA6B))
        if h % 10_000 >= self.late_share * 10_000:
            return 0
        return 1 + (h >> 20) % self.late_max_s

    def published(self, b: int, row: int, clock: float) -> bool:
        return self.stamp(b) + self.lag(b, row) <= clock

    def stamp(self, b: int) -> int:
        s = self._stamps.get(b)
        if s is None:
            jitter = self.period // 2
            s = self._stamps[b] = b * self.period + (
                mix64(self.seed ^ (b * 0x9E37)) % jitter if jitter else 0
            )
        return s

    def batch_of(self, event: int) -> int:
        b = event // self.period
        return b if self.stamp(b) >= event else b + 1

    def first_batch_at_or_after(self, t: float) -> int:
        b = int(t // self.period)
        return b if self.stamp(b) >= t else b + 1


@dataclass(slots=True)
class Buckets:
    """batch number -> row codes, kept in ascending code order; keys kept sorted."""

    rows: dict[int, array] = field(default_factory=dict)
    keys: list[int] = field(default_factory=list)

    def add(self, b: int, code: int) -> None:
        col = self.rows.get(b)
        if col is None:
            col = self.rows[b] = array("I")
            insort(self.keys, b)
        col.append(code)

    def from_batch(self, b: int) -> list[int]:
        return self.keys[bisect_left(self.keys, b) :]


@dataclass(slots=True)
class Store:
    created: array = field(default_factory=lambda: array("q"))  # unix seconds, ascending
    size: array = field(default_factory=lambda: array("I"))  # index into Catalog.sizes
    price: array = field(default_factory=lambda: array("I"))  # totalPrice, kopecks
    disc: array = field(default_factory=lambda: array("B"))  # seller discount %
    spp: array = field(default_factory=lambda: array("B"))  # WB discount %
    fate: array = field(default_factory=lambda: array("B"))
    fin: array = field(default_factory=lambda: array("I"))  # seconds from created to the final event
    ret: array = field(default_factory=lambda: array("I"))  # seconds from sale to return (0 = no return)
    wh: array = field(default_factory=lambda: array("B"))  # WB warehouse (stock attribution)
    region: array = field(default_factory=lambda: array("B"))
    # reviews
    rv_order: array = field(default_factory=lambda: array("I"))
    rv_created: array = field(default_factory=lambda: array("q"))
    rv_rating: array = field(default_factory=lambda: array("B"))
    rv_answer: array = field(default_factory=lambda: array("I"))  # seconds to the answer, 0 = never
    rv_flags: array = field(default_factory=lambda: array("B"))  # 1 = text, 2 = photos
    rv_size: array = field(default_factory=lambda: array("I"))  # index into Catalog.sizes
    rv_parent: array = field(default_factory=lambda: array("i"))  # the version this edit replaces, -1 none
    rv_child: array = field(default_factory=lambda: array("i"))  # the edit that replaces this one, -1 none
    # return claims
    cl_order: array = field(default_factory=lambda: array("I"))
    cl_dt: array = field(default_factory=lambda: array("q"))
    cl_decide: array = field(default_factory=lambda: array("I"))  # seconds from dt to the decision
    cl_kind: array = field(default_factory=lambda: array("B"))  # 0 approved (goods come back), 1 rejected
    # Statistics indexes: order rows (code = order index) and sale rows (code = 2*index + is_return)
    ord_idx: Buckets = field(default_factory=Buckets)
    sale_idx: Buckets = field(default_factory=Buckets)

    def __len__(self) -> int:
        return len(self.created)

    def index_rows(self, lo: int, hi: int, batcher: Batcher) -> None:
        """Add orders [lo, hi) to the Statistics indexes (called once per generated chunk, in index order)."""
        created, fate, fin, ret = self.created, self.fate, self.fin, self.ret
        for i in range(lo, hi):
            c = created[i]
            b1 = batcher.batch_of(c)
            self.ord_idx.add(b1, i)
            f = fate[i]
            if f in CANCEL_FATES:
                b2 = batcher.batch_of(c + fin[i])
                if b2 != b1:
                    self.ord_idx.add(b2, i)
            else:
                sale = c + fin[i]
                self.sale_idx.add(batcher.batch_of(sale), 2 * i)
                if f == RETURNED:
                    self.sale_idx.add(batcher.batch_of(sale + ret[i]), 2 * i + 1)


def stages(fate: int, fin: int) -> tuple[int, int, int, int]:
    """Offsets (from creation) of confirm, complete, sorted, ready_for_pickup."""
    if fate == DEFECT:
        return int(fin * 0.2), int(fin * 0.5), int(fin * 0.8), fin + 1
    confirm = min(int(fin * 0.12), CONFIRM_CAP)
    return confirm, max(confirm, int(fin * 0.3)), int(fin * 0.5), int(fin * 0.75)


def fbs_status(fate: int, fin: int, age: float) -> tuple[str, str]:
    """(supplierStatus, wbStatus) of an order `age` seconds after its creation."""
    if fate in (CANCEL_SELLER, DECLINED):
        if age < fin:
            return "new", "waiting"
        return ("cancel" if fate == CANCEL_SELLER else "new"), CANCEL_WB_STATUS[fate]
    confirm, complete, sorted_at, ready = stages(fate, fin)
    sup = "new" if age < confirm else "confirm" if age < complete else "complete"
    if age >= fin:
        return sup, ("sold" if fate in SOLD_FATES else CANCEL_WB_STATUS[fate])
    wb = "waiting" if age < sorted_at else "sorted" if age < ready else "ready_for_pickup"
    return sup, wb


def is_cancelled_at(fate: int, fin: int, age: float) -> bool:
    return fate in CANCEL_FATES and age >= fin
