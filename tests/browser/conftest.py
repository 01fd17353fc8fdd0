"""Browser tests: the dashboard page in headless Chromium (Debian's, never `playwright install`ed) against a
live `wbpulse demo --clock-rate 0` on a database of its own. Every test here is marked `browser` and is
skipped with one clear line when playwright or chromium is missing.

Fixtures: `demo` (a `Demo`, one for the package: stopped after its last test), `browser` (one per module),
`context` and `page` (per test, a fresh profile; `page` fails the test at teardown if the page logged a
console error or threw). Tests here are plain functions: see `browser` for why.
"""

import base64
import inspect
import re
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis

from tests.browser.harness import Demo, chromium_path, why_no_browser
from tests.integration.wbpulse_process import WbPulse, clean_env, free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Response

REFUSED = re.compile(r"Failed to load resource: the server responded with a status of (\d{3}) .*")
BROWSER_REDIS_DB = 5  # not the integration tests' db: flushed at the start of the session
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if inspect.iscoroutinefunction(getattr(item, "obj", None)):
            raise pytest.UsageError(f"{item.nodeid}: browser tests are plain functions (see `browser`)")


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = why_no_browser()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="package")
def browser_database_url(browser_available: None, pg_server_url: str) -> Iterator[str]:
    """A libpq URL of an empty database (`wbpulse_browser_<random>`; the demo migrates it), dropped after."""
    dbname = f"wbpulse_browser_{secrets.token_hex(4)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    parts = urlsplit(pg_server_url)
    yield urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture(scope="package")
def browser_redis_url(browser_available: None, redis_url: str) -> str:
    parts = urlsplit(redis_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{BROWSER_REDIS_DB}", parts.query, parts.fragment))
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


@pytest.fixture(scope="package")
def demo(
    browser_database_url: str, browser_redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """`wbpulse demo --clock-rate 0`, serving once it has printed its login link; stopped with SIGINT."""
    from adapters.outbound.postgres.url import to_sqlalchemy_url

    port, bot_secret, folder = (
        free_port(),
        f"browser-{secrets.token_hex(12)}",
        tmp_path_factory.mktemp("demo"),
    )
    env = clean_env(
        DATABASE_URL=to_sqlalchemy_url(browser_database_url),
        REDIS_URL=browser_redis_url,
        PORT=str(port),
        DATA_DIR=str(folder / "data"),
        API_SECRET_KEY=bot_secret,
        JWT_SECRET=secrets.token_urlsafe(32),
        ENCRYPTION_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    )
    process = WbPulse(["demo", "--clock-rate", "0"], env, folder / "logs")
    try:
        running = Demo(process, port, bot_secret)
        running.wait_until_serving()
        yield running
        assert process.stop(signal.SIGINT, timeout=40) == 0, process.output()[-5000:]
    finally:
        process.kill()


@pytest.fixture(scope="module")
def browser(browser_available: None) -> Iterator["Browser"]:
    """Chromium, one per test module: Playwright's sync API keeps an event loop running in the main thread
    while it is started, which pytest-asyncio's tests could not run under, so it stops at the end of each
    browser module (keep async tests out of these modules)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: "Browser") -> Iterator["BrowserContext"]:
    """A fresh profile (no cookies, no cache) per test."""
    fresh = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: "BrowserContext", request: pytest.FixtureRequest) -> Iterator["Page"]:
    """A page of `context`; any console error or uncaught exception on it fails the test at teardown
    (with the end of the demo's log when the test uses `demo`)."""
    opened = context.new_page()
    problems: list[str] = []

    # Chromium logs every HTTP error answer to fetch as a console error. A test that provokes one on
    # purpose (a CSV with a bad row) names its status with @pytest.mark.refusals(400): only those, and
    # only once such an answer really came, are not problems.
    marker = request.node.get_closest_marker("refusals")
    expected = {int(s) for s in marker.args} if marker else set()
    refused: list[int] = []
    provoked: list[int] = []

    def on_response(response: "Response") -> None:
        if response.status >= 400:
            refused.append(response.status)

    opened.on("response", on_response)

    def on_console(message: "ConsoleMessage") -> None:
        if message.type != "error":
            return
        status = REFUSED.fullmatch(message.text)
        if status and int(status.group(1)) in expected:
            provoked.append(int(status.group(1)))  # checked against the answers at teardown
            return
        problems.append(f"console error at {message.location.get('url', '?')}: {message.text}")

    def on_page_error(error: "Error") -> None:
        problems.append(f"page error: {error.message}")

    opened.on("console", on_console)
    opened.on("pageerror", on_page_error)
    yield opened
    problems.extend(f"a console error for a {s} no answer had" for s in provoked if s not in refused)
    if problems:
        log = request.getfixturevalue("demo").log_tail() if "demo" in request.fixturenames else ""
        pytest.fail("the page reported errors:\n" + "\n".join(problems) + log, pytrace=False)
