"""WB error bodies. Each service has its own shape (reference §1.4); clients must parse defensively."""

import json
import secrets
import time

from aiohttp import web

PROBLEM = "application/problem+json"


def _json(status: int, body, content_type: str = "application/json", headers=None) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type=content_type,
        headers=headers,
    )


def request_id() -> str:
    return secrets.token_hex(16)


def _problem_code() -> str:
    return f"{secrets.token_hex(4)}--{secrets.token_hex(6)}-[UK-{secrets.token_urlsafe(8)}]; 03bce=277"


def problem(
    status: int, title: str, detail: str, origin: str, status_text: str, headers=None, code: str | None = None
) -> web.Response:
    body = {
        "title": title,
        "detail": detail,
        "code": code or _problem_code(),
        "requestId": request_id(),
        "origin": origin,
        "status": status,
        "statusText": status_text,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return _json(status, body, PROBLEM, headers)


def unauthorized(detail: str, origin: str) -> web.Response:
    return problem(401, "unauthorized", detail, origin, "Unauthorized")


def too_many(origin: str, headers: dict[str, str]) -> web.Response:
    detail = f"limited by {secrets.token_hex(4)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}"
    return problem(429, "too many requests", detail, origin, "Too Many Requests", headers)


def fbs_error(status: int, code: str, message: str) -> web.Response:
    return _json(status, {"code": code, "message": message})


def fbs_bad_param() -> web.Response:
    return fbs_error(400, "IncorrectParameter", "Передан некорректный параметр")


def fbs_bad_body() -> web.Response:
    return fbs_error(400, "IncorrectRequestBody", "Некорректное тело запроса")


def stats_error(message: str | list[str]) -> web.Response:
    return _json(400, {"errors": message})


def feedbacks_error(status: int, text: str) -> web.Response:
    body = {
        "data": None,
        "error": True,
        "errorText": text,
        "additionalErrors": None,
        "requestId": request_id(),
    }
    return _json(status, body)


def claims_error(detail: str) -> web.Response:
    return _json(400, {"title": "Invalid query params", "detail": detail, "requestId": request_id()}, PROBLEM)


def analytics_error(detail: str) -> web.Response:
    body = {
        "title": "Invalid request body",
        "detail": detail,
        "requestId": request_id(),
        "origin": "analytic-open-api",
    }
    return _json(400, body)


def finance_error(detail: str) -> web.Response:
    body = {
        "status": 400,
        "title": "GetReportDetailByPeriodNB decode error",
        "detail": detail,
        "requestId": request_id(),
    }
    return _json(400, body, PROBLEM)


def ok(body, headers=None) -> web.Response:
    return _json(200, body, headers=headers)


def forbidden(group: str, detail: str, origin: str) -> web.Response:
    """403 in the shape of the service: Marketplace `{"code":"AccessDenied",…}`, Feedbacks its envelope,
    the rest WB's problem+json (reference §1.4: `{"title":"forbidden","detail":"base token is not
    allowed",…}`)."""
    if group == "fbs":
        return fbs_error(403, "AccessDenied", "Доступ запрещён")
    if group == "feedbacks":
        return feedbacks_error(403, detail)
    return problem(403, "forbidden", detail, origin, "Forbidden", code=f"{detail} for this path")
