"""A simulated seller: spec (preset + overrides), generated data, sim clock, faults, limiter, counters."""

import time
import uuid
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from simulator.catalog import Catalog, build_catalog, mix64
from simulator.fates import GenParams, Targets
from simulator.faults import Faults
from simulator.generator import generate_day, generate_history
from simulator.model import Batcher, Store
from simulator.ratelimit import RateLimiter
from simulator.timeutil import DAY, parse_iso

DEFAULT_START = "2026-11-01T00:00:00Z"
PRESETS: dict[str, dict] = {
    # The seed's month: 11,770 orders, 7,064 cancelled, 4,488 sales of which 166 returns (exact at the start).
    "seed": {"orders": 11770, "cancelled": 7064, "sales": 4488, "returns": 166, "days": 30, "products": 60},
    "small": {"orders": 1200, "cancelled": 720, "sales": 458, "returns": 17, "days": 14, "products": 20},
    # Benchmarks: 1,000,000 orders over 90 days, fates drawn with the seed's shares (not exact counts).
    "bench_1m": {"orders": 1_000_000, "days": 90, "products": 500},
}


@dataclass(slots=True)
class SellerSpec:
    preset: str = "seed"
    seed: int = 1
    orders: int = 11770
    cancelled: int | None = None
    sales: int | None = None
    returns: int | None = None
    days: int = 30
    products: int = 60
    start: int = 0
    rate_scale: float | None = 1.0
    page_cap: int = 80_000
    stats_batch_s: int = 1800
    # WB publishes some statistics rows late (a lastChangeDate earlier than the moment they appear):
    # this share of rows loaded after the start appears up to late_max_s after its batch's stamp.
    late_share: float = 0.05
    late_max_s: int = 2400
    returns_negative: bool = True
    # Share of orders shipped from WB's own warehouses (FBW): they exist only in the statistics API, never in
    # the Marketplace (FBS) endpoints. Most WB sellers ship FBW; 0 gives an FBS-only seller.
    fbw_share: float = 0.5
    # Share of orders that join the cart of the order before them (same orderUid / gNumber, own srid).
    cart_share: float = 0.15
    clock_rate: float = 0.0  # sim seconds per real second (0 = the clock only moves via /advance)
    # How long a paid storage report task takes to be "done": real seconds, times rate_scale like the limits.
    paid_storage_delay_s: float = 3.0
    # A livelier seller (the live demo): the share of buyouts later returned (the seed's 3.8 % when None)
    # and of buyouts reviewed (18 %). The counts visible at the start of an exact preset stay exact.
    return_share: float | None = None
    review_share: float | None = None
    name: str = "ИП Симуляторов С. С."
    trade_mark: str = "Sim Store"

    @classmethod
    def from_request(cls, body: dict) -> "SellerSpec":
        preset = body.get("preset", "seed")
        if preset not in (*PRESETS, "custom"):
            raise ValueError(f"unknown preset {preset!r}; use one of {[*PRESETS, 'custom']}")
        base = dict(PRESETS.get(preset, {}))
        overrides = {k: body[k] for k in cls.__slots__ if k in body and k not in ("preset", "start")}
        if {"orders", "days"} & overrides.keys() and not {"cancelled", "sales"} & overrides.keys():
            for k in ("cancelled", "sales", "returns"):  # new scale without targets: natural shares
                base.pop(k, None)
        base.update(overrides)
        base["preset"] = preset
        base["start"] = int(parse_iso(body.get("start") or DEFAULT_START))
        spec = cls(**base)
        if (
            spec.orders < 0
            or spec.days < 1
            or spec.products < 1
            or spec.page_cap < 1
            or spec.stats_batch_s < 1
        ):
            raise ValueError("orders >= 0, days >= 1, products >= 1, page_cap >= 1, stats_batch_s >= 1")
        if spec.paid_storage_delay_s < 0:
            raise ValueError("paid_storage_delay_s must be >= 0")
        if spec.rate_scale is not None and spec.rate_scale <= 0:
            raise ValueError("rate_scale must be > 0 or null")
        if not (0 <= spec.fbw_share <= 1 and 0 <= spec.cart_share <= 1):
            raise ValueError("fbw_share and cart_share must be between 0 and 1")
        for share in (spec.return_share, spec.review_share):
            if share is not None and not 0 <= share <= 1:
                raise ValueError("return_share and review_share must be between 0 and 1 (or null)")
        return spec

    def targets(self) -> Targets | None:
        if self.cancelled is None or self.sales is None:
            return None
        return Targets(self.orders, self.cancelled, self.sales, self.returns or 0)

    def gen_params(self) -> GenParams:
        shares: dict[str, float] = {}
        if self.return_share is not None:
            shares["p_return"] = self.return_share
        if self.review_share is not None:
            shares["p_review"] = self.review_share
        return GenParams(
            seed=self.seed,
            start=self.start,
            days=self.days,
            orders=self.orders,
            targets=self.targets(),
            **shares,
        )


@dataclass(slots=True)
class Counters:
    requests: Counter = field(default_factory=Counter)  # group -> n
    by_status: dict = field(default_factory=lambda: defaultdict(Counter))  # group -> status -> n
    violations: Counter = field(default_factory=Counter)
    fault_429: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)  # kind -> n
    auth_failures: Counter = field(default_factory=Counter)
    forbidden: Counter = field(default_factory=Counter)  # group -> 403s for a method closed to the key

    def as_dict(self) -> dict:
        return {
            "requests": dict(self.requests),
            "by_status": {g: {str(s): n for s, n in c.items()} for g, c in self.by_status.items()},
            "violations": dict(self.violations),
            "violations_total": sum(self.violations.values()),
            "fault_429": dict(self.fault_429),
            "faults": dict(self.faults),
            "auth_failures": dict(self.auth_failures),
            "forbidden": dict(self.forbidden),
        }


class Seller:
    def __init__(self, spec: SellerSpec, sid: str | None = None) -> None:
        self.sid = sid or str(uuid.UUID(int=uuid.uuid4().int))
        self.spec = spec
        self.tin = f"77{spec.seed % 10**8:08d}"
        self.catalog: Catalog = build_catalog(spec.seed, spec.products)
        self.store = Store()
        self.batcher = Batcher(
            seed=spec.seed,
            period=spec.stats_batch_s,
            late_share=spec.late_share,
            late_max_s=spec.late_max_s,
            late_after=spec.start,
        )
        self.gp = spec.gen_params()
        t0 = time.perf_counter()
        generate_history(self.store, self.catalog, self.gp, self.batcher)
        self.generation_s = time.perf_counter() - t0
        self.days_generated = 0
        self._clock_base = float(spec.start)
        self._clock_mono = time.monotonic()
        self.faults = Faults(seed=spec.seed)
        self.limiter = RateLimiter(spec.rate_scale)
        self.counters = Counters()
        self.cache: dict[tuple, object] = {}
        self.id_base = 100_000_000 + (spec.seed % 1000) * 10_000_000
        self.sale_base = 1_000_000_000 + (spec.seed % 1000) * 1_000_000
        self.rrd_base = 1_000_000_000 + (spec.seed % 1000) * 10_000_000

    # --- sim clock -------------------------------------------------------------------------------
    def clock(self) -> float:
        if self.spec.clock_rate:
            return self._clock_base + (time.monotonic() - self._clock_mono) * self.spec.clock_rate
        return self._clock_base

    def set_clock(self, t: float) -> None:
        if t < self.clock():
            raise ValueError("the sim clock only moves forward")
        self._clock_base = t
        self._clock_mono = time.monotonic()
        self.ensure()

    def ensure(self) -> float:
        """Generate whole days up to the clock; returns the clock."""
        now = self.clock()
        while self.spec.start + self.days_generated * DAY < now:
            generate_day(self.store, self.catalog, self.gp, self.batcher, self.days_generated)
            self.days_generated += 1
            self.cache.clear()
        return now

    def is_fbw(self, i: int) -> bool:
        """Order `i` ships from a WB warehouse (statistics only), deterministically per seed."""
        return mix64((self.spec.seed * 7919) ^ (i * 0xC2B2AE35)) % 10_000 < self.spec.fbw_share * 10_000

    def cart_head(self, i: int) -> int:
        """The first order of the cart order `i` belongs to (itself for a one-item cart): an order joins
        the previous one's cart when placed within two minutes of it, at most four items per cart."""
        created = self.store.created
        head = i
        while (
            head > 0
            and i - head < 3
            and created[head] - created[head - 1] <= 120
            and mix64((self.spec.seed * 104729) ^ (head * 0x9E3779B1)) % 10_000
            < self.spec.cart_share * 10_000
        ):
            head -= 1
        return head

    def visible_orders(self, clock: float) -> int:
        """Number of orders created at or before `clock` (orders are stored in creation order)."""
        return bisect_right(self.store.created, int(clock))

    def describe(self) -> dict:
        clock = self.ensure()
        return {
            "seller_id": self.sid,
            "preset": self.spec.preset,
            "seed": self.spec.seed,
            "sim_clock": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(clock))),
            "sim_clock_unix": clock,
            "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.spec.start)),
            "days": self.spec.days,
            "orders_generated": len(self.store),
            "orders_visible": self.visible_orders(clock),
            "generation_seconds": round(self.generation_s, 3),
            "rate_scale": self.spec.rate_scale,
            "page_cap": self.spec.page_cap,
            "fbw_share": self.spec.fbw_share,
            "cart_share": self.spec.cart_share,
            "stats_batch_s": self.spec.stats_batch_s,
            "clock_rate": self.spec.clock_rate,
            "products": len(self.catalog.products),
            "sizes": len(self.catalog.sizes),
            "faults": self.faults.describe(),
        }
