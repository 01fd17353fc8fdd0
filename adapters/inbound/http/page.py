"""The seller's dashboard page at `/app/` (docs/decisions/0023-dashboard-page.md): static files shipped in
this package (plain ES modules and the vendored uPlot, no build step, nothing from another origin), and one
small JSON document the page reads at start, `/app/config.json`.

Every path under `/app/` that is not an asset answers the same `index.html`: the page routes itself
(`/app/orders`, `/app/cogs`, ...), so a reload or a bookmarked link works. The page talks to the `/v1` API
only; it holds the access token in memory and the refresh token rides in an HttpOnly cookie.
"""

import json
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import attrs
from aiohttp import web

PAGE_DIR = Path(__file__).parent / "static" / "app"
ASSETS_PREFIX = "/app/assets"
TELEGRAM_WIDGET = "https://telegram.org"
TELEGRAM_OAUTH = "https://oauth.telegram.org"


@attrs.frozen
class PageConfig:
    """What the page needs to know of the server: the Telegram bot behind the login widget (its public
    username, never its token; None: no widget) and the server's Moscow day (the demo's clock runs fast)."""

    telegram_bot: str | None
    today: Callable[[], Awaitable[date]]


_CONFIG = web.AppKey("page_config", PageConfig)


def _csp(config: PageConfig) -> str:
    widget = config.telegram_bot is not None
    script = "'self'" + (f" {TELEGRAM_WIDGET}" if widget else "")
    frame = TELEGRAM_OAUTH if widget else "'none'"
    # uPlot sizes its canvas through element.style (CSSOM), which style-src does not govern.
    return (
        f"default-src 'none'; script-src {script}; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; font-src 'self'; frame-src {frame}; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


async def page(request: web.Request) -> web.FileResponse:
    """The page's shell for any `/app/...` path; the page's router picks what to show."""
    headers = {
        "Content-Security-Policy": _csp(request.app[_CONFIG]),
        "Cache-Control": "no-store",
        # A login link carries a one-time code: never hand it to another origin in a Referer.
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    return web.FileResponse(PAGE_DIR / "index.html", headers=headers)


async def page_config(request: web.Request) -> web.Response:
    config = request.app[_CONFIG]
    body = {"telegramBot": config.telegram_bot, "today": (await config.today()).isoformat()}
    return web.Response(
        text=json.dumps(body), content_type="application/json", headers={"Cache-Control": "no-store"}
    )


async def to_page(request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect("/app/")


def add_page(app: web.Application, config: PageConfig) -> None:
    """Mount the page: its assets, its config and its shell (not API operations, so not in the document)."""
    app[_CONFIG] = config
    app.router.add_static(ASSETS_PREFIX, PAGE_DIR / "assets", name="page_assets")
    app.router.add_get("/app/config.json", page_config, name="page_config")
    app.router.add_get("/app", to_page, name="page_root")
    app.router.add_get("/app/{tail:.*}", page, name="page")
