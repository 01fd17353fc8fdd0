"""`/docs` is Swagger UI served by this app alone: same-origin assets only, each of them served."""

import re
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.inbound.http.docs import SWAGGER_UI_DIR
from adapters.inbound.http.routes import add_routes

Client = Callable[[web.Application], Awaitable[TestClient]]


class References(HTMLParser):
    """Every URL the page makes the browser load (src and href)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


@pytest.fixture
async def client(aiohttp_client: Client) -> TestClient:
    app = web.Application()
    add_routes(app)
    return await aiohttp_client(app)


async def test_docs_page_loads_only_same_origin_assets_and_each_is_served(client: TestClient) -> None:
    page = await client.get("/docs")
    assert page.status == 200
    assert page.content_type == "text/html"
    html = await page.text()
    parser = References()
    parser.feed(html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in parser.urls)
    assert any(u.endswith("swagger-ui.css") for u in parser.urls)
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} is not same-origin"
        asset = await client.get(url)
        assert asset.status == 200, url
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    assert '"/openapi.json"' in html


async def test_docs_page_forbids_other_origins_in_its_content_security_policy(client: TestClient) -> None:
    policy = (await client.get("/docs")).headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        sources = directives[directive].split()
        assert all(s.startswith("'") or s in ("'self'", "data:") for s in sources), directive


async def test_openapi_document_is_served_as_json(client: TestClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status == 200
    assert (await response.json())["openapi"] == "3.1.0"


def test_bundled_swagger_ui_can_render_openapi_3_1() -> None:
    """Swagger UI reads OpenAPI 3.1 from 5.0 on (its `isOAS31` check); 4.x shows 'Unable to render this
    definition' for our document."""
    bundle = (SWAGGER_UI_DIR / "swagger-ui-bundle.js").read_text(encoding="utf-8")
    assert "isOAS31" in bundle
