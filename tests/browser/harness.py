"""The browser tests' pieces that are not fixtures: where Debian's chromium is, the running demo
(`wbpulse demo --clock-rate 0`) as a `Demo`, and the page's time to interactive. bench/page.py uses them too.

A page's conventions (the page author's): `document.body.dataset.page` names the page (login, orders, cogs,
notifications, cabinet) and `document.body.dataset.state` is "ready" once its data has rendered.
"""

import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.integration.wbpulse_process import WbPulse, get

if TYPE_CHECKING:
    from playwright.sync_api import Page

DEFAULT_CHROMIUM = "/usr/bin/chromium"
NO_BROWSER = "no browser: install Debian's chromium (apt-get install chromium) — .ci/run does"
DEMO_TELEGRAM_ID = 123456789
READY = "() => document.body !== null && document.body.dataset.state === 'ready'"
LOGIN_LINE = re.compile(r"^open the dashboard: (http://\S+/app/login\?code=\S+)  ", re.MULTILINE)


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH; None when none is there."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEFAULT_CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here (the skip message), or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"{NO_BROWSER} (and playwright is not installed: make install)"
    return None if chromium_path() else NO_BROWSER


def time_to_interactive(page: "Page", url: str, timeout_ms: float = 30_000) -> float:
    """Seconds from the start of the navigation to `url` until body[data-state=ready]: `performance.now()`
    read by the page itself when it first sees the state (polled every animation frame)."""
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    ready = page.wait_for_function(
        "() => document.body !== null && document.body.dataset.state === 'ready' && performance.now()",
        timeout=timeout_ms,
    )
    return float(ready.json_value()) / 1000


class Demo:
    """A running `wbpulse demo --clock-rate 0` (Postgres and Redis of the test run, nothing embedded)."""

    def __init__(self, process: WbPulse, port: int, bot_secret: str) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        self._bot_secret = bot_secret
        self.printed_login_link = ""  # as the demo printed it (http://localhost:<port>/app/login?code=...)

    def wait_until_serving(self, timeout: float = 180) -> None:
        """Until the demo has printed its login link and /health answers."""
        deadline = time.monotonic() + timeout
        while not self.printed_login_link:
            if self.process.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the demo printed no login link:\n{self.process.output()[-5000:]}")
            found = LOGIN_LINE.search(self.process.stdout_path.read_text())
            self.printed_login_link = found.group(1) if found else ""
            time.sleep(0.2)
        self.process.wait_for(f"{self.base_url}/health", timeout=max(1.0, deadline - time.monotonic()))

    def login_link(self, telegram_id: int = DEMO_TELEGRAM_ID) -> str:
        """A fresh one-time login link on `base_url`, minted as the bot mints one."""
        query = urllib.parse.urlencode({"telegram_id": telegram_id})
        issued = self._call("POST", f"/api/v1/bot/auth/code?{query}", {"X-API-SECRET-KEY": self._bot_secret})
        return f"{self.base_url}{issued['login_url']}"

    def access_token(self, telegram_id: int = DEMO_TELEGRAM_ID) -> str:
        """An access token for the user, from a fresh code exchanged at POST /v1/auth/code."""
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(self.login_link(telegram_id)).query)["code"][0]
        tokens = self._call("POST", "/v1/auth/code", {}, {"code": code})
        return str(tokens["access_token"])

    def cabinet_id(self, token: str) -> str:
        """The id of the user's first cabinet (the demo user has one: "Demo cabinet")."""
        return str(self._call("GET", "/v1/me", {"Authorization": f"Bearer {token}"})["cabinets"][0]["id"])

    def api(self, path: str, token: str, cabinet_id: str | None = None, **params: Any) -> Any:
        """GET a JSON API path as the user (with the cabinet header when given); the decoded body.
        A status other than 200 raises AssertionError with the body."""
        headers = {"Authorization": f"Bearer {token}"}
        if cabinet_id is not None:
            headers["X-Cabinet-Id"] = cabinet_id
        query = f"?{urllib.parse.urlencode(params, doseq=True)}" if params else ""
        return self._call("GET", f"{path}{query}", headers)

    def _call(self, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {**headers, "Content-Type": "application/json"} if data is not None else headers
        request = urllib.request.Request(f"{self.base_url}{path}", data, headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()[:2000]!r}") from None

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the demo's stderr (its log), for a failure message."""
        return (
            f"\n--- the demo's log, last {chars} characters:\n{self.process.stderr_path.read_text()[-chars:]}"
        )

    def health(self) -> Any:
        return get(f"{self.base_url}/health")[1]
