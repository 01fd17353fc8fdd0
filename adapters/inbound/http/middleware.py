"""The two middlewares every request passes: request id (outermost), then JSON errors.

Errors always leave as `{"error": {"code", "message", ...}}`. Domain errors map to 422/404/409; aiohttp's
HTTP exceptions keep their status; anything else is a 500 with a generic message and the request id,
logged with its traceback (the log formatter masks secrets), never echoed to the client.
"""

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from aiohttp import web

from adapters.inbound.http.app_keys import REQUEST_ID, RequestIdBinder
from domain.errors import Conflict, DomainError, IllegalTransition, InvalidValue, NotFound

REQUEST_ID_HEADER = "X-Request-Id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_BODY_HEADERS = frozenset({"content-type", "content-length"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
logger = logging.getLogger(__name__)


def request_id_middleware(bind: RequestIdBinder) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Takes a sane incoming X-Request-Id or makes one, binds it for logging, echoes it in the response."""

    @web.middleware
    async def request_id(request: web.Request, handler: Handler) -> web.StreamResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request[REQUEST_ID] = request_id
        unbind = bind(request_id)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # one the error middleware let through (redirects, JSON errors)
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
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        return _from_http_exception(exc)
    except InvalidValue as exc:
        return error_response(422, "invalid_value", exc.reason, field=exc.field)
    except NotFound as exc:
        return error_response(404, "not_found", str(exc))
    except Conflict as exc:
        return error_response(409, "conflict", str(exc))
    except IllegalTransition as exc:
        return error_response(409, "illegal_transition", str(exc))
    except DomainError as exc:
        return error_response(422, "rule_violation", str(exc))
    except Exception:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        request_id = request.get(REQUEST_ID)
        return error_response(500, "internal_error", "internal server error", request_id=request_id)


def error_response(status: int, code: str, message: str, **extra: object) -> web.Response:
    error: dict[str, object] = {"code": code, "message": message}
    error.update({key: value for key, value in extra.items() if value is not None})
    return web.json_response({"error": error}, status=status)


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    default_text = f"{exc.status}: {exc.reason}"
    message = exc.text if exc.text and exc.text != default_text else exc.reason
    response = error_response(exc.status, _code(exc.status), message)
    for name, value in exc.headers.items():  # keep Allow, WWW-Authenticate, Retry-After, ...
        if name.lower() not in _BODY_HEADERS:
            response.headers.add(name, value)
    return response


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).name.lower()
    except ValueError:
        return f"http_{status}"
