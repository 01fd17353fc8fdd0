"""Cached dashboard answers with ETags (decision 0017): what `binding` does for a route declared with
`cache_ttl_s`.

The answer comes from `ServeCachedAnswer` (keyed by the cabinet of `cabinet_of(request)`, its data
version, the Moscow day, the operation and the canonical parsed inputs), so two cabinets or two different
queries never share an entry. Every answer carries a strong ETag of its body; a request whose
`If-None-Match` names it (or `*`) gets 304 with no body. `Cache-Control: private, no-cache` lets the
browser keep the answer but makes it ask again, cheaply, with the ETag.
"""

import json
from collections.abc import Callable, Mapping

from aiohttp import web
from pydantic import BaseModel

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard_guards import CABINET_ID, cabinet_of
from adapters.inbound.http.routing import HandlerResult, Inputs, Route

Render = Callable[[Route, HandlerResult], web.StreamResponse]
CACHE_STATUS_HEADER = "X-Cache"
"""`hit` or `miss`: whether the answer came from the cache (for benchmarks and curious people)."""
_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Authorization, X-Cabinet-Id"}


def canonical_inputs(inputs: Mapping[Inputs, BaseModel]) -> str:
    """The parsed inputs as one canonical JSON text: equal for requests that mean the same answer
    (parameter order, defaults spelled out or left out)."""
    values = {where: model.model_dump(mode="json", by_alias=True) for where, model in inputs.items()}
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: `*`, or any listed tag equal by weak comparison (a `W/` prefix is ignored)."""
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)


async def cached_answer(
    route: Route, request: web.Request, inputs: dict[Inputs, BaseModel], render: Render
) -> web.StreamResponse:
    """The route's 200 answer, from the cache or computed by its handler (then stored); 304 when the
    client's If-None-Match names it."""
    if route.cache_ttl_s is None or CABINET_ID not in request:
        raise TypeError(f"{route.operation_id}: a cached route needs cache_ttl_s and guard=CABINET")

    async def compute() -> bytes:
        response = render(route, await route.handler(request, **inputs))
        if response.status != 200 or not isinstance(response, web.Response):
            raise TypeError(f"{route.operation_id}: a cached route answers 200 JSON only")
        return bytes(response.body) if isinstance(response.body, bytes | bytearray) else b""

    serve = await request.app[USE_CASES].serve_cached_answer()
    answer = await serve(
        cabinet_of(request), route.operation_id, canonical_inputs(inputs), route.cache_ttl_s, compute
    )
    headers = {"ETag": f'"{answer.digest}"', CACHE_STATUS_HEADER: "hit" if answer.hit else "miss", **_HEADERS}
    if matches(request.headers.get("If-None-Match", ""), headers["ETag"]):
        return web.Response(status=304, headers=headers)
    return web.Response(body=answer.body, content_type="application/json", headers=headers)
