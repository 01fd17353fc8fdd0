"""The OpenAPI 3.1 document, generated from the route tables: nothing in it is written by hand.

Schemas come from the pydantic models (`model_json_schema`, whose JSON Schema 2020-12 is OpenAPI 3.1's
dialect); each model and every model it nests land once in `components/schemas`. Two different models
with one name would make `$ref`s ambiguous, so that fails the build instead.
"""

import inspect
from collections.abc import Iterable
from http import HTTPStatus
from importlib import metadata
from typing import Literal

from pydantic import BaseModel

from adapters.inbound.http.errors import Error
from adapters.inbound.http.routing import Returns, Route, RouteTable, openapi_path

REF_TEMPLATE = "#/components/schemas/{model}"
Json = dict[str, object]
Mode = Literal["validation", "serialization"]


class Components:
    """`components/schemas`, filled as models are referenced."""

    def __init__(self) -> None:
        self.schemas: Json = {}

    def ref(self, model: type[BaseModel], mode: Mode) -> Json:
        """A `$ref` to the model's schema, hoisting it and its nested models into the components."""
        self._hoist(model.__name__, self.inline(model, mode))
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}

    def inline(self, model: type[BaseModel], mode: Mode) -> Json:
        """The model's own schema, its nested models hoisted into the components (for parameter sets)."""
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, mode=mode)
        defs = schema.pop("$defs", {})
        for name, definition in defs.items():
            self._hoist(name, definition)
        return schema

    def _hoist(self, name: str, schema: object) -> None:
        known = self.schemas.setdefault(name, schema)
        if known != schema:
            raise ValueError(f"two different schemas are named {name!r}: rename one model")


def build_document(tables: Iterable[RouteTable]) -> Json:
    """The whole API: every route of every table, its inputs, its responses and its guard."""
    components = Components()
    components.ref(Error, "serialization")
    paths: dict[str, Json] = {}
    schemes: Json = {}
    for table in tables:
        for route in table.routes:
            path = openapi_path(table.full_path(route))
            paths.setdefault(path, {})[route.method.lower()] = _operation(route, components)
            if route.guard is not None:
                schemes.update({name: dict(scheme) for name, scheme in route.guard.schemes.items()})
    return {
        "openapi": "3.1.0",
        "info": {"title": "wb-pulse", "version": _version(), "description": _DESCRIPTION},
        "paths": paths,
        "components": {"schemas": components.schemas, "securitySchemes": schemes},
    }


def _operation(route: Route, components: Components) -> Json:
    operation: Json = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": list(route.tags),
        "responses": _responses(route, components),
    }
    description = inspect.getdoc(route.handler)
    if description:
        operation["description"] = description
    parameters = _parameters(route, components)
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        content = {"application/json": {"schema": components.ref(route.body, "validation")}}
        operation["requestBody"] = {"required": route.body_required, "content": content}
    if route.guard is not None:
        operation["security"] = [{name: [] for name in route.guard.schemes}]
    return operation


def _parameters(route: Route, components: Components) -> list[Json]:
    parameters: list[Json] = []
    for where, model in route.inputs.items():
        if where == "body":
            continue
        schema = components.inline(model, "validation")
        required = set(_strings(schema.get("required")))
        for name, prop in _mapping(schema.get("properties")).items():
            parameter: Json = {"name": name, "in": where, "required": where == "path" or name in required}
            parameter["schema"] = prop
            if isinstance(prop, dict) and "description" in prop:
                parameter["description"] = prop["description"]
            parameters.append(parameter)
    if route.cache_ttl_s is not None:
        parameters.append(_IF_NONE_MATCH)
    return parameters


_ETAG_HEADER: Json = {"description": "A strong ETag of the body.", "schema": {"type": "string"}}
_IF_NONE_MATCH: Json = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags of answers the client holds (or `*`): 304 without a body when the answer is one.",
    "schema": {"type": "string"},
}


def _add_etags(responses: Json) -> None:
    """A cached route (decision 0017): its 200 carries an ETag, and If-None-Match may answer 304."""
    ok = responses.get("200")
    if isinstance(ok, dict):
        ok["headers"] = {"ETag": _ETAG_HEADER}
    description = "Not Modified: the answer is the one the If-None-Match ETag names; no body."
    responses["304"] = {"description": description, "headers": {"ETag": _ETAG_HEADER}}


def _responses(route: Route, components: Components) -> Json:
    responses: Json = {str(status): _declared(spec, components) for status, spec in route.responses.items()}
    if route.cache_ttl_s is not None:
        _add_etags(responses)
    for status in _error_statuses(route):
        responses.setdefault(str(status), _error(status, components))
    responses["default"] = _error(None, components)
    return dict(sorted(responses.items()))


def _error_statuses(route: Route) -> list[int]:
    statuses = {500, *route.errors}
    if route.inputs:
        statuses.add(400)
    if route.guard is not None:
        statuses.update(route.guard.refusals)
    return sorted(statuses)


def _declared(spec: Returns, components: Components) -> Json:
    if spec.model is not None:
        schema: object = components.ref(spec.model, "serialization")
    else:
        schema = dict(spec.schema or {})
    return {"description": spec.description, "content": {spec.media_type: {"schema": schema}}}


def _error(status: int | None, components: Components) -> Json:
    description = HTTPStatus(status).phrase if status else "Any other error"
    content = {"application/json": {"schema": components.ref(Error, "serialization")}}
    return {"description": description, "content": content}


def _version() -> str:
    try:
        return metadata.version("wb-pulse")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


_DESCRIPTION = (
    "Backend for Wildberries sellers. Every 4xx/5xx answers with the `Error` schema: "
    '`{"error": {"code", "message", "details"}}`, `details` a list of `{field, reason}` or null. '
    "The one exception is `/ready`, whose 503 is a readiness report naming the failing dependency."
)
