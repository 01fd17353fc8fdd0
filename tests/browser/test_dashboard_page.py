"""The seller's dashboard page in a real browser against the demo (issue 12): sign in with the bot's code,
the orders page's numbers equal the API's for every period, an order's history, a COGS edit changing its
by-SKU row, a CSV with a bad row refused whole, a notification setting changed, the cabinet page; Moscow
dates whatever the browser's zone; sign-out. The `page` fixture fails any test whose page logged a console
error. Keyboard reach and screenshots: test_keyboard_and_screenshots.py."""

import json
import re
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.harness import Demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

MOSCOW = ZoneInfo("Europe/Moscow")
PERIOD_DAYS = {"week": 7, "month": 30, "quarter": 90, "year": 365}
AGGREGATION = {"week": "day", "month": "day", "quarter": "week", "year": "month"}


def wait_ready(page: "Page", name: str, extra: str = "true") -> None:
    body = "document.body.dataset"
    condition = f"() => {body}.page === '{name}' && {body}.state === 'ready' && ({extra})"
    page.wait_for_function(condition, timeout=30_000)


def sign_in(page: "Page", demo: Demo, section: str = "orders") -> None:
    page.goto(demo.login_link())
    wait_ready(page, "orders")
    assert "code=" not in page.url  # the one-time code leaves the address bar at once
    if section != "orders":
        page.click(f"[data-nav={section}]")
        wait_ready(page, section)


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def norm(text: str) -> str:
    """Spaces as plain spaces (Intl's ru-RU groups digits with no-break spaces)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def rub_text(value: float) -> str:
    """Roubles as the page's ru-RU format writes them ("1 234,5"), spaces normalised (see `norm`)."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    frac = frac.rstrip("0")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


SERVER_TODAY = "async () => (await (await fetch('/app/config.json')).json()).today"
ISO_WEEKS = """async () => {
  const f = await import('/app/assets/js/format.js');
  const out = [];
  for (let t = Date.UTC(2024, 11, 20); t < Date.UTC(2027, 0, 12); t += 86400000) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push([d, f.isoWeek(d), f.weekMonday(f.isoWeek(d))]);
  }
  return out;
}"""


def sku_row(api: Any, week: str, nm_id: str | None) -> dict[str, Any]:
    rows = api("/v1/analytics/weekly/by-sku", week=week, limit=500)["data"]
    return next(r for r in rows if r["nm_id"] == nm_id)


def upload(page: "Page", csv: str) -> None:
    page.set_input_files("#cogs-file", {"name": "costs.csv", "mimeType": "text/csv", "buffer": csv.encode()})


@pytest.fixture(scope="module")
def api(demo: Demo) -> Any:
    token = demo.access_token()
    cabinet = demo.cabinet_id(token)

    def call(path: str, cabinet_header: bool = True, **params: Any) -> Any:
        return demo.api(path, token, cabinet if cabinet_header else None, **params)

    call.cabinet = cabinet  # type: ignore[attr-defined]
    return call


def test_each_period_draws_the_apis_numbers(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo)
    for period, days in PERIOD_DAYS.items():
        page.click(f"button[data-period={period}]")
        wait_ready(page, "orders", f"document.querySelector('section.orders').dataset.period === '{period}'")
        marks = page.eval_on_selector("section.orders", "s => ({...s.dataset})")
        first, last = datetime.fromisoformat(marks["from"]), datetime.fromisoformat(marks["to"])
        assert (last - first).days + 1 == days and marks["delivery"] == "all"
        query = {"from": marks["from"], "to": marks["to"], "delivery": "all"}
        volume = api("/v1/analytics/orders/volume", **query)
        drawn = json.loads(page.get_attribute("[data-testid=daily-orders-figure]", "data-points") or "[]")
        assert drawn == [[d["date"], d["count"]] for d in volume["dailyTrend"]], period
        assert digits(page.inner_text("[data-testid=kpi-orders] .card-value")) == volume["totalOrders"]
        trends = api("/v1/analytics/orders/trends", aggregation=AGGREGATION[period], **query)
        drawn = json.loads(page.get_attribute("[data-testid=revenue-trend-figure]", "data-points") or "[]")
        assert drawn == [[t["date"], t["revenue"]] for t in trends["trends"]], period
        hourly = json.loads(page.get_attribute("[data-testid=hourly-figure]", "data-points") or "[]")
        assert [count for _, count in hourly] == [h["count"] for h in volume["hourlyTrend"]]
        statuses = page.locator("[data-testid=statuses] li").all_inner_texts()
        assert len(statuses) == len(volume["statusBreakdown"])
    assert volume["totalOrders"] > 1000  # a year of the demo seller: the comparison was not of empty pages
    assert "period=year" in page.url  # the period is in the address: a reload or a shared link keeps it


def test_an_orders_history_opens_as_a_timeline(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo)
    page.select_option("#delivery", "fbs")
    wait_ready(page, "orders", "document.querySelector('section.orders').dataset.delivery === 'fbs'")
    button = page.locator("[data-testid=orders-table] [data-order]").first
    order_id = button.get_attribute("data-order")
    button.click()
    page.wait_for_selector("dialog.order-detail[open]")
    detail = api(f"/v1/orders/{order_id}")
    steps = page.locator("[data-testid=status-history] li")
    assert steps.count() == len(detail["statusHistory"]) > 0
    first = detail["statusHistory"][0]
    shown = datetime.fromisoformat(first["changedAt"].replace("Z", "+00:00")).astimezone(MOSCOW)
    assert shown.strftime("%d.%m.%Y, %H:%M") in steps.first.inner_text()
    assert page.get_attribute("[data-testid=status-history] li time", "datetime") == first["changedAt"]
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.order-detail", state="hidden")


def test_the_products_page_shows_the_apis_velocity_and_fbs_handling(
    demo: Demo, page: "Page", api: Any
) -> None:
    sign_in(page, demo, "products")
    marks = page.eval_on_selector("section.products", "s => ({...s.dataset})")
    query = {"from": marks["from"], "to": marks["to"]}
    speed = api("/v1/analytics/orders/velocity", **query, delivery="all", sort_by="days_of_stock",
                sort_order="asc", limit=50)  # fmt: skip
    rows = page.locator("[data-testid=velocity] tbody tr")
    shown = rows.evaluate_all("rows => rows.map(r => r.dataset.nm)")
    assert shown == [str(item["nmId"]) for item in speed["items"]] and shown
    first = speed["items"][0]
    cells = page.locator("[data-testid=velocity] tbody tr").first.inner_text()
    assert str(first["ordersCount"]) in norm(cells).replace(" ", "")
    handling = api("/v1/analytics/orders/sla", **query)
    share = handling["withinDeadlineShare"]
    expected = "—" if share is None else f"{share:g}".replace(".", ",")
    assert expected in page.inner_text("[data-testid=sla-share] .card-value")
    assert digits(page.inner_text("[data-testid=sla-orders] .card-value")) == handling["counts"]["orders"]
    page.select_option("#velocity-sort", "velocity")
    wait_ready(page, "products", "location.search.includes('sort=velocity')")
    fastest = api("/v1/analytics/orders/velocity", **query, delivery="all", sort_by="velocity", limit=1)
    first_row = page.locator("[data-testid=velocity] tbody tr").first.get_attribute("data-nm")
    assert first_row == str(fastest["items"][0]["nmId"])


def test_a_cogs_edit_changes_its_by_sku_row(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo, "cogs")
    week = page.eval_on_selector("section.cogs", "s => s.dataset.week")
    row = page.locator("[data-testid=by-sku] tr.missing").first
    nm_id = row.get_attribute("data-nm")
    before = sku_row(api, week, nm_id)
    assert before["missing_cogs_flag"] and before["cogs"] is None and before["total_units"] > 0
    row.locator("[data-edit]").click()
    page.wait_for_selector("dialog.cogs-editor[open]")
    page.fill("dialog.cogs-editor input[name=unit_cost]", "123,45")  # a seller's decimal comma
    page.click("dialog.cogs-editor form.version button[type=submit]")
    costed = f"!document.querySelector('[data-nm=\"{nm_id}\"]').classList.contains('missing')"
    wait_ready(page, "cogs", costed)
    after = sku_row(api, week, nm_id)
    assert not after["missing_cogs_flag"] and after["cogs"] is not None and after["profit"] is not None
    cells = [norm(c) for c in page.locator(f"[data-nm='{nm_id}'] td").all_inner_texts()]
    assert any(rub_text(after["cogs"]) in c for c in cells), (cells, after["cogs"])
    assert any(rub_text(after["profit"]) in c for c in cells), (cells, after["profit"])

    # Correct the version: the row follows.
    page.locator(f"[data-nm='{nm_id}'] [data-edit]").click()
    page.wait_for_selector("dialog.cogs-editor[open] [data-testid=cogs-history]")
    page.click("dialog.cogs-editor [data-testid=cogs-history] button:has-text('Исправить')")
    page.fill("dialog.cogs-editor form.version >> nth=0 >> input[name=unit_cost]", "200")
    page.click("dialog.cogs-editor form.version >> nth=0 >> button[type=submit]")
    page.wait_for_selector("dialog.cogs-editor", state="hidden")
    wait_ready(page, "cogs")
    corrected = sku_row(api, week, nm_id)
    assert corrected["cogs"] != after["cogs"]
    history = api("/v1/cogs/history", nm_id=nm_id)["data"]
    assert [v["unit_cost"] for v in history] == [200.0]
    page.wait_for_function(
        f"() => [...document.querySelectorAll('[data-nm=\"{nm_id}\"] td')].some("
        f"td => td.innerText.replace(/\\s/g, ' ').includes({json.dumps(rub_text(corrected['cogs']))}))",
        timeout=10_000,
    )


@pytest.mark.refusals(400)
def test_a_csv_with_a_bad_row_shows_its_error_and_applies_nothing(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo, "cogs")
    bad = page.locator("[data-testid=by-sku] tbody tr").first.get_attribute("data-nm")
    good = str(990_000_000 + secrets.randbelow(9_000_000))  # an article with no cost yet
    assert api("/v1/cogs/history", nm_id=good)["data"] == []
    csv = f"nm_id;unit_cost;valid_from\n{good};99,90;2026-01-01\n{bad};-5;2026-01-01\n"
    upload(page, csv)
    errors = page.locator("[data-testid=upload-errors] tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1 and "строка 2, столбец unit_cost" in errors.first.inner_text()
    assert "Ничего не применено" in page.inner_text("[data-testid=upload-result]")
    assert page.is_disabled("button:has-text('Применить')")
    assert api("/v1/cogs/history", nm_id=good)["data"] == []  # the good row was not applied either

    fixed = f"nm_id;unit_cost;valid_from\n{good};99,90;2026-01-01\n"
    upload(page, fixed)
    page.locator("[data-testid=upload-rows] tbody tr").first.wait_for()
    assert api("/v1/cogs/history", nm_id=good)["data"] == []  # checked, not applied yet
    page.click("button:has-text('Применить')")
    page.wait_for_function("() => document.querySelector('button.primary:disabled') !== null")
    wait_ready(page, "cogs")
    assert [v["unit_cost"] for v in api("/v1/cogs/history", nm_id=good)["data"]] == [99.9]


@pytest.mark.refusals(400)
def test_a_notification_setting_changes_and_stays_changed(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo, "notifications")
    assert api("/v1/notifications/settings", cabinet_header=False)["data"]["order_returns_enabled"] is True
    page.uncheck("input[name=order_returns_enabled]")
    page.wait_for_selector("[data-testid=settings-status]:has-text('Сохранено')")
    assert api("/v1/notifications/settings", cabinet_header=False)["data"]["order_returns_enabled"] is False
    page.fill("input[name=review_rating_threshold]", "6")  # out of range: refused, the old value shows
    page.press("input[name=review_rating_threshold]", "Enter")
    page.locator("input[name=review_rating_threshold]").blur()
    page.wait_for_selector("[data-testid=settings-status]:has-text('review_rating_threshold')")
    assert page.input_value("input[name=review_rating_threshold]") == "3"
    page.reload()
    wait_ready(page, "notifications")
    assert not page.is_checked("input[name=order_returns_enabled]")
    page.check("input[name=order_returns_enabled]")
    page.wait_for_selector("[data-testid=settings-status]:has-text('Сохранено')")
    assert api("/v1/notifications/settings", cabinet_header=False)["data"]["order_returns_enabled"] is True

    sent = page.locator("[data-testid=delivery-log] tr[data-status=sent] [data-resend]").first
    original = sent.get_attribute("data-resend")
    sent.click()
    page.wait_for_selector("#toast:has-text('Отправлено повторно')")
    log = api("/v1/notifications/history", cabinet_header=False, limit=5)["data"]["items"]
    assert any(n["resend_of"] == original for n in log)


def test_the_stock_ignore_list_is_edited_on_the_page(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo, "notifications")
    before = api("/v1/notifications/settings", cabinet_header=False)["data"]["stock_ignore_list"]
    page.fill("input[name=ignore_nm_id]", "777001, 777002")
    page.press("input[name=ignore_nm_id]", "Enter")
    page.wait_for_selector("[data-unignore='777002']")
    ignored = api("/v1/notifications/settings", cabinet_header=False)["data"]["stock_ignore_list"]
    assert ignored == sorted({*before, 777001, 777002})
    page.click("[data-unignore='777001']")
    page.wait_for_selector("[data-unignore='777001']", state="detached")
    ignored = api("/v1/notifications/settings", cabinet_header=False)["data"]["stock_ignore_list"]
    assert ignored == sorted({*before, 777002})
    page.reload()
    wait_ready(page, "notifications")
    assert page.locator("[data-testid=stock-ignore] [data-unignore]").count() == len(ignored)


def test_the_cabinet_page_shows_members_sources_and_key_expiry(demo: Demo, page: "Page", api: Any) -> None:
    sign_in(page, demo, "cabinet")
    cabinet = api("/v1/cabinet")
    members = page.locator("[data-testid=members] tbody tr").all_inner_texts()
    assert len(members) == len(cabinet["members"]) == 1 and "владелец" in members[0]
    assert page.locator("[data-testid=sources] tbody tr").count() == len(cabinet["sources"])
    expiry = datetime.fromisoformat(cabinet["tokenExpiresAt"].replace("Z", "+00:00")).astimezone(MOSCOW)
    assert expiry.strftime("%d.%m.%Y, %H:%M") in page.inner_text("[data-testid=key-expiry]")
    assert f"({cabinet['tokenExpiresInDays']} дн.)" in page.inner_text("[data-testid=key-expiry]")


def test_dates_are_moscow_whatever_the_browsers_zone(demo: Demo, browser: "Browser", api: Any) -> None:
    far = browser.new_context(locale="en-US", timezone_id="America/Los_Angeles")
    try:
        page = far.new_page()
        sign_in(page, demo)
        # The server's Moscow day (the demo's clock stands where it started), not the browser's.
        today = datetime.fromisoformat(page.evaluate(SERVER_TODAY)).date()
        assert page.eval_on_selector("section.orders", "s => s.dataset.to") == today.isoformat()
        week = {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()}
        first = api("/v1/orders", **week, delivery="all", limit=1)["items"][0]
        created = datetime.fromisoformat(first["createdAt"].replace("Z", "+00:00")).astimezone(MOSCOW)
        row = page.locator("[data-testid=orders-table] tbody tr").first.inner_text()
        assert created.strftime("%d.%m.%Y, %H:%M") in row and first["orderId"] in row
        # The page's ISO weeks are Python's, over years of days (the week picker and the by-SKU weeks).
        weeks = page.evaluate(ISO_WEEKS)
        for day, week, monday in weeks:
            year, number, weekday = datetime.fromisoformat(day).isocalendar()
            assert week == f"{year}-W{number:02d}", day
            assert monday == (datetime.fromisoformat(day) - timedelta(days=weekday - 1)).date().isoformat()
    finally:
        far.close()


def test_sign_out_ends_the_session_for_a_reload_too(demo: Demo, page: "Page") -> None:
    sign_in(page, demo)
    page.click("#logout")
    wait_ready(page, "login")
    page.reload()
    wait_ready(page, "login")
    assert "Откройте ссылку для входа" in page.inner_text("main")
    assert page.context.cookies() == [] or all(c["name"] != "wbpulse_refresh" for c in page.context.cookies())


@pytest.mark.refusals(401)
def test_a_used_login_link_says_so(demo: Demo, page: "Page") -> None:
    link = demo.login_link()
    page.goto(link)
    wait_ready(page, "orders")
    page.context.clear_cookies()
    page.evaluate("() => localStorage.clear()")
    page.goto(link)
    wait_ready(page, "login")
    assert "недействительна или уже использована" in page.inner_text("main")
    assert "code=" not in page.url  # not in the address bar after the refusal either
