"""How a route is declared: once, with everything the router, the parser, the guard and the OpenAPI
document need. A route table groups the routes of one API face under a path prefix.

A handler is `async def handler(request, *, path=..., query=..., body=...)`, taking exactly the inputs the
route declares (as keyword arguments typed with the declared models), and returns a response model (200),
a `Reply` (another declared status, or headers), or, for non-JSON routes, an aiohttp response. A route
whose handler signature disagrees with its declaration fails when the route is built, not when called.
"""

import inspect
import re
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

import attrs
from aiohttp import web
from pydantic import BaseModel

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Inputs = Literal["path", "query", "body"]
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@attrs.frozen
class Returns:
    """One documented response: a pydantic model sent as JSON, or raw content described by `schema`."""

    description: str
    model: type[BaseModel] | None = None
    media_type: str = "application/json"
    schema: Mapping[str, object] | None = None


@attrs.frozen
class Reply:
    """A handler's answer with a status other than 200, or extra headers. The status must be declared."""

    body: BaseModel
    status: int = 200
    headers: Mapping[str, str] = attrs.field(factory=dict)


HandlerResult = BaseModel | Reply | web.StreamResponse
Handler = Callable[..., Awaitable[HandlerResult]]


@attrs.frozen
class Guard:
    """A check every request of a route passes before its inputs are parsed, and its OpenAPI security
    scheme. `check` raises (an aiohttp 401/403, or an application error) to refuse the request."""

    scheme_name: str
    scheme: Mapping[str, object]
    check: Callable[[web.Request], Awaitable[None]]
    refusals: tuple[int, ...] = (401,)
    also: Mapping[str, Mapping[str, object]] = attrs.field(factory=dict)
    """Further schemes (by name) a request must satisfy together with `scheme`, e.g. a tenant header."""

    @property
    def schemes(self) -> dict[str, Mapping[str, object]]:
        """Every scheme of the guard by name; OpenAPI requires them all at once."""
        return {self.scheme_name: self.scheme, **self.also}


@attrs.frozen
class Route:
    """One operation. `errors` lists the error statuses the handler's use case is known to produce;
    400 (when there are inputs), the guard's refusals and 500 are added to the document by themselves."""

    method: Method
    path: str
    handler: Handler
    summary: str
    tags: tuple[str, ...]
    responses: Mapping[int, Returns]
    path_params: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    guard: Guard | None = None
    errors: tuple[int, ...] = ()
    body_required: bool = True
    """False: a request without a body (empty) is parsed as the body `{}` (fields may come another way)."""
    cache_ttl_s: int | None = None
    """Seconds a 200 answer is cached per cabinet and data version, with an ETag and 304 on If-None-Match
    (`cached_answers.py`, decision 0017); only for routes guarded by CABINET. None: computed every time."""

    def __attrs_post_init__(self) -> None:
        _check_placeholders(self)
        _check_signature(self)

    @property
    def inputs(self) -> dict[Inputs, type[BaseModel]]:
        declared: dict[Inputs, type[BaseModel] | None] = {
            "path": self.path_params,
            "query": self.query,
            "body": self.body,
        }
        return {where: model for where, model in declared.items() if model is not None}

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


@attrs.frozen
class RouteTable:
    """The routes of one API face; each route's path is relative to `prefix`."""

    name: str
    prefix: str
    routes: tuple[Route, ...]

    def full_path(self, route: Route) -> str:
        return self.prefix + route.path


def openapi_path(path: str) -> str:
    """aiohttp's `{name:regex}` placeholders as OpenAPI's `{name}`."""
    return _PLACEHOLDER.sub(r"{\1}", path)


def _check_placeholders(route: Route) -> None:
    placeholders = set(_PLACEHOLDER.findall(route.path))
    model = route.path_params
    declared = set() if model is None else {f.alias or n for n, f in model.model_fields.items()}
    if placeholders != declared:
        raise TypeError(
            f"{route.path}: placeholders {sorted(placeholders)} but path model {sorted(declared)}"
        )


def _check_signature(route: Route) -> None:
    params = list(inspect.signature(route.handler).parameters)
    hints = typing.get_type_hints(route.handler)
    expected = route.inputs
    if set(params[1:]) != set(expected):
        raise TypeError(f"{route.operation_id} takes {params[1:]}, its route declares {list(expected)}")
    for name, model in expected.items():
        if hints.get(name) is not model:
            raise TypeError(f"{route.operation_id}: `{name}` must be annotated {model.__name__}")
