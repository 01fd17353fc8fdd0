"""Route tables onto an aiohttp router: each route's handler wrapped in its guard, its parser and its
serializer, so handlers see validated models and return models, and never check auth by hand.

A handler that answers with a status or a model its route does not declare is a programming error: it
raises (a 500), so the OpenAPI document cannot silently drift from what is served.
"""

from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from pydantic import BaseModel

from adapters.inbound.http.cached_answers import cached_answer
from adapters.inbound.http.parsing import parse_inputs
from adapters.inbound.http.routing import HandlerResult, Reply, Route, RouteTable

AiohttpHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class UndeclaredResponse(TypeError):
    """A handler answered with something its route does not declare."""


def add_tables(app: web.Application, tables: Iterable[RouteTable]) -> None:
    """Registers every route of every table (a GET also answers HEAD, as HTTP expects)."""
    for table in tables:
        for route in table.routes:
            path = table.full_path(route)
            if route.method == "GET":
                app.router.add_get(path, bind(route), name=route.operation_id)
            else:
                app.router.add_route(route.method, path, bind(route), name=route.operation_id)


def bind(route: Route) -> AiohttpHandler:
    """The aiohttp handler of one route: guard, then inputs, then the handler, then its declared output."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if route.guard is not None:
            await route.guard.check(request)
        inputs = await parse_inputs(route, request)
        if route.cache_ttl_s is not None:
            return await cached_answer(route, request, inputs, render)
        result = await route.handler(request, **inputs)
        return render(route, result)

    handle.__name__ = route.operation_id
    handle.__doc__ = route.summary
    return handle


def render(route: Route, result: HandlerResult) -> web.StreamResponse:
    """The handler's result as an HTTP response, checked against the route's declared responses."""
    if isinstance(result, web.StreamResponse):
        if result.status not in route.responses:
            raise UndeclaredResponse(f"{route.operation_id} answered undeclared status {result.status}")
        return result
    reply = result if isinstance(result, Reply) else Reply(result)
    _check_declared(route, reply)
    return web.Response(
        body=reply.body.model_dump_json(by_alias=True).encode(),
        status=reply.status,
        content_type="application/json",
        headers=reply.headers,
    )


def _check_declared(route: Route, reply: Reply) -> None:
    declared = route.responses.get(reply.status)
    model: type[BaseModel] | None = None if declared is None else declared.model
    if model is None or type(reply.body) is not model:
        raise UndeclaredResponse(
            f"{route.operation_id} answered {reply.status} with {type(reply.body).__name__}, "
            f"declared {model.__name__ if model else 'nothing'}"
        )
