"""The dashboard opens from a login link and renders: the smallest scenario, and the harness's own check."""

from typing import TYPE_CHECKING

from tests.browser.harness import READY, Demo, time_to_interactive

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_login_link_signs_in_and_a_page_renders(demo: Demo, page: "Page") -> None:
    page.goto(demo.login_link())
    page.wait_for_function(READY, timeout=30_000)
    assert page.evaluate("document.body.dataset.page")


def test_the_orders_page_is_interactive_after_sign_in(demo: Demo, page: "Page") -> None:
    page.goto(demo.login_link())
    page.wait_for_function(READY, timeout=30_000)
    seconds = time_to_interactive(page, f"{demo.base_url}/app/orders")
    print(f"orders page interactive in {seconds * 1000:.0f} ms")
    assert page.evaluate("document.body.dataset.page") == "orders"
