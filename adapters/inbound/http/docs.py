"""`/openapi.json` and `/docs`: the API's own description, and Swagger UI to read and try it, offline.

Swagger UI's files (5.25.3, which reads OpenAPI 3.1) come from the `swagger-ui-py` package's static
folder and are served by this app under `/docs/static/`; the page is ours and points at `/openapi.json`.
Nothing is loaded from another origin, and the page's Content-Security-Policy forbids it, so the docs
work on a machine with no internet.
"""

import base64
import hashlib
from importlib.util import find_spec
from pathlib import Path

from aiohttp import web

from adapters.inbound.http.app_keys import OPENAPI_DOCUMENT

DOCS_STATIC_PREFIX = "/docs/static"


def _swagger_ui_dir() -> Path:
    # Located, not imported: the package's own code (framework handlers, templates) is not used.
    spec = find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(spec.origin).parent / "static"


SWAGGER_UI_DIR = _swagger_ui_dir()

_INIT_SCRIPT = """
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""
_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wb-pulse API</title>
<link rel="stylesheet" href="{DOCS_STATIC_PREFIX}/swagger-ui.css">
<link rel="icon" type="image/png" href="{DOCS_STATIC_PREFIX}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_STATIC_PREFIX}/swagger-ui-bundle.js"></script>
<script>{_INIT_SCRIPT}</script>
</body>
</html>
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_INIT_SCRIPT.encode()).digest()).decode()
_CSP = (
    f"default-src 'none'; script-src 'self' 'sha256-{_SCRIPT_HASH}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


async def openapi_document(request: web.Request) -> web.Response:
    """The OpenAPI 3.1 document of every route this server serves (generated from its route tables)."""
    return web.Response(body=request.app[OPENAPI_DOCUMENT], content_type="application/json")


async def docs_page(request: web.Request) -> web.Response:
    """Swagger UI over `/openapi.json`, served from this server only (works offline)."""
    return web.Response(text=_PAGE, content_type="text/html", headers={"Content-Security-Policy": _CSP})


def add_docs_assets(app: web.Application) -> None:
    """Swagger UI's static files under /docs/static/ (not API operations, so not in the document)."""
    app.router.add_static(DOCS_STATIC_PREFIX, SWAGGER_UI_DIR, name="docs_static")
