"""Every control of every page is reachable with Tab alone, an order's detail opens with Enter and closes with
Escape; and the screenshots of each page that README.md shows, taken against the demo's data (written to
WBPULSE_SCREENSHOTS when set — `make screenshots` sets docs/screenshots — else to a temporary folder)."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.harness import Demo, time_to_interactive
from tests.browser.test_dashboard_page import sign_in, wait_ready

if TYPE_CHECKING:
    from playwright.sync_api import Page

SECTIONS = ("orders", "products", "cogs", "notifications", "cabinet")
# What a keyboard user must be able to reach: links, buttons, form fields, disclosure summaries.
MARK_CONTROLS = """() => {
  const all = [...document.querySelectorAll(
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), summary, textarea")];
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const shown = all.filter(visible);
  shown.forEach((el, i) => { el.dataset.kb = String(i); });
  return shown.map((el) => `${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 30)}`);
}"""


def tab_through(page: "Page", presses: int) -> set[str]:
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    seen: set[str] = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement && document.activeElement.dataset.kb")
        if mark is not None:
            seen.add(mark)
    return seen


@pytest.mark.parametrize("section", SECTIONS)
def test_every_control_is_reachable_by_tab(demo: Demo, page: "Page", section: str) -> None:
    sign_in(page, demo, section)
    controls = page.evaluate(MARK_CONTROLS)
    assert len(controls) > 5, controls
    seen = tab_through(page, len(controls) + 15)
    missed = [c for i, c in enumerate(controls) if str(i) not in seen]
    assert not missed, f"not reachable with Tab on {section}: {missed}"


def test_an_order_opens_with_enter_and_closes_with_escape(demo: Demo, page: "Page") -> None:
    sign_in(page, demo)
    order = page.locator("[data-testid=orders-table] [data-order]").first
    order.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.order-detail[open]")
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")  # focus moved in
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.order-detail", state="hidden")
    assert page.evaluate("() => document.activeElement.dataset.order") == order.get_attribute("data-order")


def test_screenshots_of_each_page(demo: Demo, page: "Page", tmp_path: Path) -> None:
    folder = Path(os.environ.get("WBPULSE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1360, "height": 900})
    sign_in(page, demo)
    seconds = time_to_interactive(page, f"{demo.base_url}/app/orders")
    print(f"orders page interactive in {seconds * 1000:.0f} ms (the demo's cabinet)")
    wait_ready(page, "orders")
    page.screenshot(path=folder / "orders.png", full_page=True)
    page.locator("[data-testid=orders-table] [data-order]").first.click()
    page.wait_for_selector("dialog.order-detail[open]")
    page.screenshot(path=folder / "order-detail.png")
    page.keyboard.press("Escape")
    for section in SECTIONS[1:]:
        page.click(f"[data-nav={section}]")
        wait_ready(page, section)
        page.screenshot(path=folder / f"{section}.png", full_page=section != "cogs")
    page.click("#logout")
    wait_ready(page, "login")
    page.screenshot(path=folder / "login.png")
    shots = sorted(p.name for p in folder.glob("*.png"))
    assert shots == sorted(f"{n}.png" for n in (*SECTIONS, "order-detail", "login")), shots
    assert all((folder / s).stat().st_size > 10_000 for s in shots)  # drawn pages, not blank ones
