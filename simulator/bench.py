"""Generation benchmark: `python -m simulator.bench [preset ...]` (default: seed bench_1m).

Each preset runs in a fresh interpreter and prints generation time, resident memory (RSS after generation
and peak), and the cost of serving one full Statistics page (80,000 rows) and the ground truth.
"""

import json
import resource
import subprocess
import sys
import time


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def run_one(preset: str) -> dict:
    from simulator.queries import stats_orders
    from simulator.rows import Rows
    from simulator.seller import Seller, SellerSpec
    from simulator.truth import truth

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    seller = Seller(SellerSpec.from_request({"preset": preset, "seed": 1}))
    gen = time.perf_counter() - t0
    rss1 = _rss_mb()
    orders = len(seller.store)
    clock = seller.ensure()
    t0 = time.perf_counter()
    rows = Rows(seller)
    page = json.dumps([rows.stats_order(i, clock) for i in stats_orders(seller, clock, 0, 80_000)])
    page_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    t = truth(seller, clock)
    truth_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    seller.set_clock(clock + 86400)
    day_s = time.perf_counter() - t0
    return {
        "preset": preset,
        "orders": orders,
        "generation_s": round(gen, 2),
        "rss_before_mb": round(rss0, 1),
        "rss_after_mb": round(rss1, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stats_page_rows": min(80_000, t["stats_orders"]["rows"]),
        "stats_page_mb": round(len(page) / 2**20, 1),
        "stats_page_s": round(page_s, 2),
        "truth_s": round(truth_s, 2),
        "advance_one_day_s": round(day_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--one"]:
        print(json.dumps(run_one(args[1])))
        return 0
    for preset in args or ["seed", "bench_1m"]:
        out = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "simulator.bench", "--one", preset],
            capture_output=True,
            text=True,
            check=True,
        )
        print(out.stdout.strip(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
