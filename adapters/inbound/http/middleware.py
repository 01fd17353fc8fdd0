"""The two middlewares every request passes: request id (outermost), then JSON errors.

Errors always leave in the one shape of `errors.Error`. Application and domain errors (and the parser's
InvalidRequest) go through the table in `errors.RULES`; aiohttp's own HTTP errors (unknown route, wrong
method, too large...) keep their status and headers; anything else is a 500 with a generic message and the
request id, logged with its traceback (the log formatter masks secrets), never echoed to the client.
"""

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from aiohttp import web
from aiohttp.typedefs import Middleware
from multidict import CIMultiDict

from adapters.inbound.http.app_keys import REQUEST_ID, RequestIdBinder
from adapters.inbound.http.errors import error_response, mapped_response, rule_for

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_BODY_HEADERS = frozenset({"content-type", "content-length"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
logger = logging.getLogger(__name__)


def request_id_middleware(bind: RequestIdBinder) -> Middleware:
    """Takes a sane incoming X-Request-Id or makes one, binds it for logging, echoes it in the response."""

    @web.middleware
    async def request_id(request: web.Request, handler: Handler) -> web.StreamResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request[REQUEST_ID] = request_id
        unbind = bind(request_id)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # one the error middleware let through (redirects)
            exc.headers[REQUEST_ID_HEADER] = request_id
            raise
        finally:
            unbind()
        if not response.prepared:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response

    return request_id


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(exc)
    except Exception as exc:
        rule = rule_for(exc)
        if rule is None:
            return _internal_error(request)
        if rule.status >= 500:
            logger.warning("%s %s: %s", request.method, request.path, rule.code, extra={"error": str(exc)})
        return mapped_response(exc, rule)


def _internal_error(request: web.Request) -> web.Response:
    logger.exception("unhandled error in %s %s", request.method, request.path)
    request_id = request.get(REQUEST_ID, "unknown")
    return error_response(500, "internal_error", f"internal server error (request id {request_id})")


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    default_text = f"{exc.status}: {exc.reason}"
    message = exc.text if exc.text and exc.text != default_text else exc.reason
    kept = ((name, value) for name, value in exc.headers.items() if name.lower() not in _BODY_HEADERS)
    headers = CIMultiDict(kept)  # keep Allow, Retry-After... and repeated names
    return error_response(exc.status, _code(exc.status), message, headers=headers)


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).name.lower()
    except ValueError:
        return f"http_{status}"
