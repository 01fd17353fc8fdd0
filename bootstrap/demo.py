"""`wbpulse demo`: a seller's data flowing in within a minute, on a fresh machine, and then live.

Starts the WB simulator (a separate process, its stdout on ours) with a seed-scale demo seller and its bot
sink, points wb-pulse at both, connects the seller's cabinet for a demo user, runs the first sync with a
line per source, shows what was stored next to the simulator's ground truth, prints the demo API key and a
one-time dashboard login link, and then keeps wb-pulse (API and worker) and the simulator running until
Ctrl-C. From then on the simulator's clock runs `--clock-rate` (default DEMO_CLOCK_RATE) times real time,
and so does wb-pulse's (docs/decisions/0012-demo-clock.md), so orders, cancellations, buyouts, returns and
reviews arrive as the bot's messages, printed by the sink. `--clock-rate 0` stops both clocks (the browser
tests' demo: the numbers on a page stay put); sign-in stays on real time whatever the rate.
"""

import argparse
import asyncio
import contextlib
import json
import logging
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from typing import Any

import attrs

from adapters.outbound.clock import AcceleratedClock, StoppedClock
from adapters.outbound.wb.hosts import WbHosts
from adapters.outbound.webhook_sender import generate_webhook_secret
from application.ports.system import Clock
from bootstrap.commands import announce, owned_servers, terminate_as_interrupt
from bootstrap.commands_login import DEMO_TELEGRAM_ID, issue_login_url, print_login_link
from bootstrap.commands_sync import connect_and_sync
from bootstrap.demo_costs import seed_demo_costs
from bootstrap.net import free_port
from bootstrap.runtime import serve_all
from bootstrap.secret import Secret
from bootstrap.settings import Settings

DEMO_RATE_SCALE = 0.01  # the simulator and our limiter both pace 100x faster than WB, so the demo is quick
DEMO_CLOCK_RATE = (
    120.0  # sim seconds per real second once serving: 2 sim minutes a second, a sim day in 12 min
)
# A livelier seller than the seed's shares once live (the history's counts stay the seed's): with 3.8 % of
# buyouts returned and 18 % reviewed, a return or a bad review comes every few sim hours, i.e. minutes of
# demo time; these make one arrive every few real seconds.
DEMO_LIVELY = {"return_share": 0.5, "review_share": 0.9}
DEMO_SYNC_INTERVAL_S = 30  # the shortest SYNC_INTERVAL allowed
DEMO_NEW_ORDERS_INTERVAL_S = 5  # the shortest NEW_ORDERS_INTERVAL allowed


def _http(url: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 - the local simulator
        return json.loads(resp.read())


def _start_simulator(stack: contextlib.ExitStack) -> str:
    port = free_port()
    # Its stdout is ours, so the bot sink's chat view shows in the demo's terminal (no access log).
    proc = subprocess.Popen(  # noqa: S603 - our own simulator module
        [sys.executable, "-m", "simulator", "--port", str(port)]
    )
    stack.callback(proc.wait, 10)
    stack.callback(proc.terminate)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _http(f"{base}/__sim/sellers")
            return base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the simulator did not start")


def _create_seller(base: str) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = {
        "preset": "seed",
        "rate_scale": DEMO_RATE_SCALE,
        "start": start,
        "name": "Demo seller",
        **DEMO_LIVELY,
    }
    return _http(f"{base}/__sim/sellers", body)


def _pointed_at(settings: Settings, base: str) -> Settings:
    """WB and the bot are the simulator; syncs and new-order polls as often as the settings allow."""
    wb = attrs.evolve(settings.wb, hosts=WbHosts.single(base), rate_scale=DEMO_RATE_SCALE)
    # WEBHOOK_SECRET is generated into DATA_DIR on the embedded default; with DATABASE_URL it may be unset.
    secret = settings.webhook_secret or Secret(generate_webhook_secret())
    return attrs.evolve(
        settings,
        wb=wb,
        bot_webhook_url=f"{base}/webhook/notifications/{{telegram_id}}",
        webhook_secret=secret,
        sync_interval_s=DEMO_SYNC_INTERVAL_S,
        new_orders_interval_s=DEMO_NEW_ORDERS_INTERVAL_S,
    )


def _start_bot_sink(base: str, settings: Settings) -> None:
    """The sink checks our signatures with our secret (sent in a request body, never on a command line)."""
    secret = settings.webhook_secret.reveal() if settings.webhook_secret is not None else None
    _http(f"{base}/__sim/bot/config", {"secret": secret, "print": True})


def _run_clocks(base: str, seller_id: str, rate: float) -> Clock:
    """Both clocks on at `rate` from one anchor (both standing still at 0). The sim clock stood at the
    seller's start during the first sync while ours ran on, so it first catches up with the real now: our
    clock never goes back. The anchor is the sim clock read as its rate is set; ours starts a few
    milliseconds of real time later, so it trails the sim's by a fraction of a sim second: it never asks
    for a window WB has not reached."""
    seller = f"{base}/__sim/sellers/{seller_id}"
    _http(f"{seller}/advance", {"to": datetime.now(UTC).isoformat().replace("+00:00", "Z")})
    state = _http(f"{seller}/config", {"clock_rate": rate})
    anchor = datetime.fromtimestamp(state["sim_clock_unix"], UTC)
    return AcceleratedClock(anchor, rate) if rate > 0 else StoppedClock(anchor)


def _print_truth(truth: dict[str, Any]) -> None:
    print("simulator ground truth:", flush=True)
    print(
        f"  FBS orders {truth['fbs_orders']['count']} (cancelled {truth['fbs_orders']['cancelled']}), "
        f"statistics orders {truth['stats_orders']['rows']}, sales {truth['sales']['sales']['rows']}, "
        f"returns {truth['sales']['returns']['rows']}, stock rows {truth['stocks']['rows']}, "
        f"reviews {truth['reviews']['count']}, claims {truth['claims']['count']}",
        flush=True,
    )


def _print_bot_tour(settings: Settings) -> None:
    """What the bot would call, ready to paste (the secret stays in its file, never on the screen)."""
    url = f"http://localhost:{settings.port}"
    header = f'-H "X-API-SECRET-KEY: $(grep ^API_SECRET_KEY= {settings.secrets_file} | cut -d= -f2-)"'
    print("the bot API, as the Telegram bot calls it (docs: " + url + "/docs):", flush=True)
    for path in (
        f"/api/v1/bot/orders/statistics?telegram_id={DEMO_TELEGRAM_ID}",
        f"/api/v1/bot/orders/recent?telegram_id={DEMO_TELEGRAM_ID}&status=canceled&limit=5",
        f"/api/v1/bot/sales/statistics?telegram_id={DEMO_TELEGRAM_ID}",
        f"/wb/cabinets/?telegram_id={DEMO_TELEGRAM_ID}",
    ):
        print(f"  curl -s {header} '{url}{path}'", flush=True)
    _print_dashboard_tour(url, header)


def _print_dashboard_tour(url: str, header: str) -> None:
    """Signing in to the dashboard API as the demo user: the bot's one-time code, then tokens, then data."""
    code_url = f"{url}/api/v1/bot/auth/code?telegram_id={DEMO_TELEGRAM_ID}"
    field = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"{}\"])'"
    body = '"{\\"code\\": \\"$CODE\\"}"'
    json_type = "-H 'Content-Type: application/json'"
    lines = (
        "the dashboard API (seed 002): a one-time code from the bot's side, then tokens, then data:",
        f"  CODE=$(curl -s -XPOST {header} '{code_url}' | {field.format('code')})",
        f"  TOKEN=$(curl -s -XPOST {json_type} -d {body} '{url}/v1/auth/code' "
        f"| {field.format('access_token')})",
        f"  curl -s -H \"Authorization: Bearer $TOKEN\" '{url}/v1/me'",
        "  then with -H 'X-Cabinet-Id: <a cabinet id of /v1/me>': /v1/orders, "
        "/v1/analytics/orders/volume?from=&to=",
    )
    for line in lines:
        print(line, flush=True)


def _quiet_routine_logs(settings: Settings) -> None:
    """At the default INFO, the worker's line per job (every few seconds) would bury the chat view on
    the same terminal: only its warnings and errors show. LOG_LEVEL=DEBUG shows everything."""
    if settings.log_level == "INFO":
        for name in ("arq", "adapters.inbound.jobs"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _print_live_intro(rate: float) -> None:
    if rate == 0:
        print("the sim clock stands still (--clock-rate 0): no live events arrive", flush=True)
        return
    minutes = rate / 60
    print(
        "live: the messages the bot would send appear below as they arrive "
        f"(the sim clock now runs {minutes:g} min per second; a message for the demo user shows as "
        f"'chat {DEMO_TELEGRAM_ID}')",
        flush=True,
    )
    print('to send them to a real bot instead, see README.md, "Pointing a real bot at wb-pulse"', flush=True)


def demo(args: argparse.Namespace, settings: Settings) -> int:
    terminate_as_interrupt()
    with contextlib.ExitStack() as stack:
        effective, embedded = owned_servers(settings, stack, "demo")
        base = _start_simulator(stack)
        seller = _create_seller(base)
        effective = _pointed_at(effective, base)
        _start_bot_sink(base, effective)
        print(f"WB simulator at {base}; demo seller {seller['seller_id']} (seed scale)", flush=True)
        code = asyncio.run(connect_and_sync(effective, DEMO_TELEGRAM_ID, seller["api_key"], "Demo cabinet"))
        _print_truth(_http(f"{base}/__sim/sellers/{seller['seller_id']}/truth"))
        print(
            f"demo WB API key (stands in for a real key in the walkthrough):\n{seller['api_key']}", flush=True
        )
        if code != 0:
            return code
        costed, left = asyncio.run(seed_demo_costs(effective, DEMO_TELEGRAM_ID))
        print(f"demo costs of goods: {costed} SKUs given one, {left} left without (the dashboard flags them)")
        _print_bot_tour(effective)
        url = asyncio.run(issue_login_url(effective, DEMO_TELEGRAM_ID))
        assert url is not None  # the first sync's connect registered the demo user
        print_login_link(url)
        rate = DEMO_CLOCK_RATE if args.clock_rate is None else args.clock_rate
        # After the first sync: its backfill is never told.
        clock = _run_clocks(base, seller["seller_id"], rate)
        print("serving wb-pulse against the simulator until Ctrl-C ...", flush=True)
        _print_live_intro(rate)
        _quiet_routine_logs(effective)
        code = asyncio.run(serve_all(effective, on_ready=lambda: announce(effective, embedded), clock=clock))
        terminate_as_interrupt()
        return code
