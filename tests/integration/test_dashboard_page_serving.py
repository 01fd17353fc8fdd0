"""The dashboard page as the server serves it (issue 12, point 1): every `/app/...` path answers the page's
shell with a strict Content-Security-Policy, the assets come from this server (uPlot vendored, nothing from
another origin), and `/app/config.json` tells the page the server's Moscow day and, only when both the bot's
token and its username are configured, the Telegram Login Widget's bot. What the page does in a browser is
tests/browser/."""

import gzip
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from adapters.inbound.http.page import PAGE_DIR
from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.settings import load_settings
from domain.moscow_time import moscow_day
from tests.integration.test_http_app import Client, settings_for

BOT_TOKEN = "123456:" + "A" * 35
ASSET_BUDGET_GZIP = 300 * 1024  # issue 12: the shipped assets weigh at most 300 KB gzipped


@pytest.fixture
async def page_client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    return await aiohttp_client(create_app(build_container(settings_for(database_url, redis_url))))


@pytest.mark.parametrize("path", ["/app/", "/app/orders", "/app/cogs?week=2026-W48", "/app/login?code=x"])
async def test_every_page_path_answers_the_shell_with_a_strict_policy(
    page_client: TestClient, path: str
) -> None:
    response = await page_client.get(path)
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert '<script type="module" src="/app/assets/js/main.js"></script>' in html
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp and "telegram" not in csp  # no widget configured: nothing of Telegram's
    assert (
        response.headers["Referrer-Policy"] == "no-referrer"
    )  # a login link's code never leaves in a Referer
    assert response.headers["Cache-Control"] == "no-store"


async def test_app_without_a_slash_redirects_to_the_page(page_client: TestClient) -> None:
    response = await page_client.get("/app", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (308, "/app/")


async def test_assets_are_served_and_reference_no_other_origin(page_client: TestClient) -> None:
    for name in ("js/main.js", "js/pages/orders.js", "vendor/uPlot.esm.js", "app.css"):
        response = await page_client.get(f"/app/assets/{name}")
        assert response.status == 200, name
        assert response.content_type in ("text/javascript", "application/javascript", "text/css"), name
    for source in (PAGE_DIR / "assets" / "js").rglob("*.js"):
        text = source.read_text()
        imports = re.findall(r"""^import .* from "([^"]+)";$|import\("([^"]+)"\)""", text, re.MULTILINE)
        imports = [a or b for a, b in imports]
        if source.name == "main.js":
            assert "./api.js" in imports and "./pages/orders.js" in imports  # the pattern does find them
        assert all(i.startswith(".") or i.startswith("/app/") for i in imports), (source, imports)
    assert (await page_client.get("/app/assets/js/nothing.js")).status == 404


async def test_config_tells_the_servers_moscow_day_and_no_widget_by_default(page_client: TestClient) -> None:
    response = await page_client.get("/app/config.json")
    body = await response.json()
    assert body["telegramBot"] is None
    assert body["today"] == moscow_day(datetime.now(UTC)).isoformat()


async def test_the_widget_needs_the_bots_username_and_token(
    aiohttp_client: Client, database_url: str, redis_url: str
) -> None:
    base = settings_for(database_url, redis_url)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "API_SECRET_KEY": base.api_secret_key.reveal(),
        "JWT_SECRET": base.jwt_secret.reveal(),
        "ENCRYPTION_KEY": base.encryption_key.reveal(),
        "TELEGRAM_BOT_USERNAME": "@wbpulse_demo_bot",
    }
    without_token = await aiohttp_client(create_app(build_container(load_settings(env))))
    assert (await (await without_token.get("/app/config.json")).json())["telegramBot"] is None
    with_token = await aiohttp_client(
        create_app(build_container(load_settings({**env, "TELEGRAM_BOT_TOKEN": BOT_TOKEN})))
    )
    config = await (await with_token.get("/app/config.json")).json()
    assert config["telegramBot"] == "wbpulse_demo_bot"
    csp = (await with_token.get("/app/")).headers["Content-Security-Policy"]
    assert "script-src 'self' https://telegram.org;" in csp and "frame-src https://oauth.telegram.org;" in csp
    assert BOT_TOKEN not in str(config) and BOT_TOKEN.split(":")[1] not in csp


def test_shipped_assets_weigh_at_most_300_kb_gzipped() -> None:
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in Path(PAGE_DIR).rglob("*") if p.is_file())
    assert total <= ASSET_BUDGET_GZIP, f"{total / 1024:.0f} KB gzipped"
