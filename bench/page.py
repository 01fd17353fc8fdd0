"""Dashboard page benchmark: `.venv/bin/python bench/page.py [--orders N] [--runs 5]` (DATABASE_URL and
REDIS_URL optional). Targets: on a cabinet with 1,000,000 orders the orders page is interactive within 1 s of
navigation; its shipped assets are at most 300 KB gzipped. Both are printed with their ratio to the target,
never asserted (exit 0 unless the bench itself breaks).

1. data: bench/api.py's `build` with one cabinet of ORDERS FBS orders over a year (its owner is the bench
   user, telegram id `BASE_TELEGRAM_ID`);
2. `wbpulse api` over it (bench/api.py's `api_server`), a one-time login code minted as the bot mints one;
3. headless Chromium (Debian's, through Playwright): per run a fresh profile signs in at `/app/login?code=`
   (timed to the orders page ready: the page's own sign-in-to-interactive), then navigates to the orders
   page with the HTTP cache cleared (cold) and again (warm). "Interactive" is `body[data-state=ready]`, timed
   by the page's `performance.now()` from the start of the navigation. See bench/README.md, "page.py".
"""

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api import BASE_TELEGRAM_ID, Shape, api_server, build
from bench.env import ROOT, fresh_database, server_urls
from domain.moscow_time import moscow_day
from tests.browser.harness import NO_BROWSER, chromium_path, time_to_interactive

ORDERS_PATH = "/app/orders"  # the page's orders view
BOT_SECRET = "bench-secret-key"  # api_server's API_SECRET_KEY
PAGE_DIR = ROOT / "adapters" / "inbound" / "http" / "static" / "app"  # everything the page ships
TARGET_S = 1.0
ASSETS_TARGET_BYTES = 300_000  # 300 KB gzipped
ON_ORDERS = "() => document.body.dataset.page === 'orders' && document.body.dataset.state === 'ready'"


def gzipped_sizes(folder: Path) -> dict[str, int]:
    """Every file under `folder`, gzip-compressed at level 9: {relative path: bytes}."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): len(gzip.compress(p.read_bytes(), 9)) for p in files}


def mint_login_link(base_url: str) -> str:
    request = urllib.request.Request(  # noqa: S310 - the local server
        f"{base_url}/api/v1/bot/auth/code?telegram_id={BASE_TELEGRAM_ID}",
        method="POST",
        headers={"X-API-SECRET-KEY": BOT_SECRET},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the local server
        return f"{base_url}{json.loads(response.read())['login_url']}"


def measure(base_url: str, runs: int) -> tuple[dict[str, list[float]], list[str]]:
    """{series: seconds per run} for sign-in, cold and warm loads; and what the page logged as errors."""
    from playwright.sync_api import sync_playwright

    series: dict[str, list[float]] = {"sign-in -> orders ready": [], "orders, cold": [], "orders, warm": []}
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        for run in range(runs):
            context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(e.message))
            page.goto(mint_login_link(base_url), wait_until="commit")
            signed_in = page.wait_for_function(f"() => ({ON_ORDERS})() && performance.now()", timeout=60_000)
            series["sign-in -> orders ready"].append(float(signed_in.json_value()) / 1000)
            context.new_cdp_session(page).send("Network.clearBrowserCache")
            series["orders, cold"].append(time_to_interactive(page, f"{base_url}{ORDERS_PATH}", 60_000))
            series["orders, warm"].append(time_to_interactive(page, f"{base_url}{ORDERS_PATH}", 60_000))
            print(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.0f} ms" for k, v in series.items()))
            context.close()
        browser.close()
    return series, errors


def report(series: dict[str, list[float]], sizes: dict[str, int], errors: Sequence[str]) -> None:
    print(
        f"\norders page, {len(next(iter(series.values())))} runs (target: interactive within {TARGET_S:g} s):"
    )
    for name, walls in series.items():
        p50, worst = statistics.median(walls), max(walls)
        print(f"  {name:<24} p50 {p50 * 1000:6.0f} ms  max {worst * 1000:6.0f} ms  "
              f"max/target {worst / TARGET_S:.2f}  {'within' if worst <= TARGET_S else 'OVER'}")  # fmt: skip
    total = sum(sizes.values())
    verdict = "within" if total <= ASSETS_TARGET_BYTES else "OVER"
    print(f"shipped assets ({PAGE_DIR.relative_to(ROOT)}, {len(sizes)} files, each gzip -9): "
          f"{total / 1000:.1f} KB, target <= {ASSETS_TARGET_BYTES / 1000:g} KB, "
          f"ratio {total / ASSETS_TARGET_BYTES:.2f}  {verdict}")  # fmt: skip
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {size / 1000:7.1f} KB  {name}")
    for error in sorted(set(errors)):
        print(f"  page error: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000, help="FBS orders in the one cabinet")
    parser.add_argument("--days", type=int, default=365)
    # The orders page reads no by-sku week: a small one keeps the build short (5,000 takes minutes).
    parser.add_argument("--skus", type=int, default=200, help="articles in bench/api.py's by-sku week")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    if chromium_path() is None:
        print(NO_BROWSER, file=sys.stderr)
        return 2
    sizes = gzipped_sizes(PAGE_DIR)
    server_url, redis_url = server_urls()
    end = moscow_day(datetime.now(UTC)) - timedelta(days=1)
    shape = Shape(1, args.orders, args.days, 0.3, 0.05, end, args.skus)
    with (
        fresh_database(server_url, "wbpulse_bench_page", args.keep) as db_url,
        tempfile.TemporaryDirectory() as d,
    ):
        built = build(db_url, shape)
        print(
            f"built: {built.orders:,} orders in one cabinet; rollups {sum(built.rollup_s):.1f} s", flush=True
        )
        with api_server(db_url, redis_url, {}, Path(d) / "api.log") as base_url:
            series, errors = measure(base_url, args.runs)
    report(series, sizes, errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
