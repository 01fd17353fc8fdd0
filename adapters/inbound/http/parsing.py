"""Request parsing: the path, query and JSON body of a request validated into the route's models.

Every problem of every input is collected before failing, so one 400 names them all, each at its location
(`path.cabinet_id`, `query.limit`, `body.items.0.name`). Pydantic's messages are kept; the offending
values are never echoed (a rejected value may be a secret).
"""

import json
import types
import typing
from collections.abc import Iterator

from aiohttp import web
from pydantic import BaseModel, ValidationError

from adapters.inbound.http.errors import ErrorDetail, InvalidRequest
from adapters.inbound.http.routing import Inputs, Route

_MANY = (list, tuple, set, frozenset)


async def parse_inputs(route: Route, request: web.Request) -> dict[Inputs, BaseModel]:
    """The route's declared inputs as validated models; raises InvalidRequest naming every problem."""
    parsed: dict[Inputs, BaseModel] = {}
    problems: list[ErrorDetail] = []
    for where, model in route.inputs.items():
        try:
            raw = await _raw(where, model, request, route.body_required)
            if unstorable := list(_unstorable_text(raw, where)):
                problems.extend(unstorable)
                continue
            parsed[where] = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_details(where, exc))
        except InvalidRequest as exc:
            problems.extend(exc.details)
    if problems:
        raise InvalidRequest(problems)
    return parsed


async def _raw(where: Inputs, model: type[BaseModel], request: web.Request, body_required: bool) -> object:
    if where == "path":
        return dict(request.match_info)
    if where == "query":
        return _query(model, request)
    return await _json_body(request, body_required)


def _query(model: type[BaseModel], request: web.Request) -> dict[str, object]:
    """The query's values by wire name: every occurrence for a collection field, else the last one."""
    raw: dict[str, object] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in request.query:
            continue
        values = request.query.getall(key)
        raw[key] = values if _is_collection(field.annotation) else values[-1]
    return raw


def _is_collection(annotation: object) -> bool:
    """`list[int]`, `set[str] | None`...: a parameter that may repeat (`?nm_id=1&nm_id=2`)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_collection(arg) for arg in typing.get_args(annotation))
    return origin in _MANY or annotation in _MANY


async def _json_body(request: web.Request, required: bool) -> object:
    try:
        text = await request.text()
    except UnicodeDecodeError:
        raise InvalidRequest([ErrorDetail(field="body", reason="not valid UTF-8")]) from None
    if not text.strip() and not required:
        return {}
    if not text.strip():
        raise InvalidRequest([ErrorDetail(field="body", reason="a JSON body is required")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidRequest([ErrorDetail(field="body", reason=reason)]) from None


def _unstorable_text(value: object, at: str) -> Iterator[ErrorDetail]:
    """Text no column can hold, wherever it sits in the input: a NUL character (Postgres refuses it) or a
    lone surrogate (a JSON `\\ud800` escape: not Unicode, cannot be encoded). A 400 naming it, never a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            yield ErrorDetail(field=at, reason="must not contain NUL characters")
        elif not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                yield ErrorDetail(field=at, reason="is not valid Unicode text (a lone surrogate)")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_text(key, at)
            yield from _unstorable_text(item, f"{at}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_text(item, f"{at}.{index}")


def _details(where: Inputs, exc: ValidationError) -> list[ErrorDetail]:
    return [
        ErrorDetail(field=".".join([where, *(str(part) for part in error["loc"])]), reason=error["msg"])
        for error in exc.errors(include_url=False, include_input=False)
    ]
