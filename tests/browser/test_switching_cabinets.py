"""A user with two cabinets switches between them in the header: every data request after the switch names
the chosen cabinet in X-Cabinet-Id, the page shows that cabinet's figures, and the choice survives a reload.
Runs last among the browser tests (its second cabinet would otherwise show in their screenshots)."""

import json
import re
import time
import urllib.request
from typing import TYPE_CHECKING, Any

from tests.browser.harness import DEMO_TELEGRAM_ID, Demo
from tests.browser.test_dashboard_page import digits, sign_in, wait_ready

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

SIMULATOR = re.compile(r"^WB simulator at (http://\S+);", re.MULTILINE)


def post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json", **(headers or {})})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return json.loads(response.read())


def second_cabinet(demo: Demo) -> str:
    """A second seller at the demo's simulator, connected for the demo user as the bot connects one."""
    simulator = SIMULATOR.search(demo.process.stdout_path.read_text())
    assert simulator, "the demo did not print its simulator's address"
    seller = post(f"{simulator.group(1)}/__sim/sellers", {"preset": "small", "seed": 7, "rate_scale": 0.01})
    connected = post(
        f"{demo.base_url}/wb/cabinets/?telegram_id={DEMO_TELEGRAM_ID}",
        {"api_key": seller["api_key"], "name": "Второй магазин"},
        {"X-API-SECRET-KEY": demo._bot_secret},  # the test plays the bot
    )
    return str(connected["cabinet_id"])


def synced(demo: Demo, token: str, cabinet_id: str, within_s: float = 120) -> None:
    """Until the cabinet's first sync is through (every source done, none to be continued): with the demo's
    clock stopped nothing changes after that, so the page and the API can be compared."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        sources = demo.api("/v1/cabinet", token, cabinet_id)["sources"]
        if all((s["lastSuccessAt"] or s["blockedReason"]) and not s["continuesAt"] for s in sources):
            return
        time.sleep(1)
    raise AssertionError(f"the second cabinet's first sync did not finish within {within_s} s")


def test_switching_cabinets_sends_the_chosen_one_and_shows_its_numbers(demo: Demo, page: "Page") -> None:
    other = second_cabinet(demo)
    token = demo.access_token()
    first = demo.cabinet_id(token)
    synced(demo, token, other)
    sign_in(page, demo)
    options = page.locator("#cabinet option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    assert [value for value, _ in options] == [first, other] and options[1][1] == "Второй магазин"
    assert page.input_value("#cabinet") == first

    cabinets: set[str] = set()

    def seen(request: "Request") -> None:
        if "/v1/analytics/" in request.url:
            cabinets.add(request.headers.get("x-cabinet-id", ""))

    page.on("request", seen)
    page.select_option("#cabinet", other)
    wait_ready(page, "orders", "document.querySelector('[data-testid=kpi-orders]') !== null")
    assert cabinets == {other}
    marks = page.eval_on_selector("section.orders", "s => ({...s.dataset})")
    period = {"from": marks["from"], "to": marks["to"], "delivery": "all"}
    volume = demo.api("/v1/analytics/orders/volume", token, other, **period)
    assert digits(page.inner_text("[data-testid=kpi-orders] .card-value")) == volume["totalOrders"]

    page.reload()  # the choice is remembered on this browser
    wait_ready(page, "orders")
    assert page.input_value("#cabinet") == other
    page.click("[data-nav=cabinet]")
    wait_ready(page, "cabinet")
    assert "Второй магазин" in page.inner_text("h1")
