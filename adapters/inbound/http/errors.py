"""One error shape for every 4xx/5xx, and the one table that maps the errors of the inner layers onto it.

Every error leaves as `{"error": {"code", "message", "details"}}`; `details` is always present: a list of
`{field, reason}` when particular inputs are to blame, else null. An exception is looked up along its MRO,
so the most specific rule wins and every ApplicationError or DomainError has one (never a 500).
"""

import math
from collections.abc import Callable, Mapping, Sequence

import attrs
from aiohttp import web
from pydantic import Field

from adapters.inbound.http.schemas import Schema
from application.dashboard.answers import RateLimited
from application.errors import ApplicationError
from application.ports.auth import InvalidToken, MissingToken
from application.ports.wb import WbApiError, WbAuthError, WbRateLimited, WbUnavailable
from application.use_cases.access import NotMember
from application.use_cases.auth_session import (
    InvalidLoginCode,
    InvalidRefreshToken,
    InvalidTelegramLogin,
    TelegramLoginNotConfigured,
)
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected, KeyTypeRefused
from domain.errors import Conflict, DomainError, IllegalTransition, InvalidValue, NotFound


class ErrorDetail(Schema):
    field: str = Field(description="Where: `path.<name>`, `query.<name>`, `body.<a>.<b>`, or a domain field.")
    reason: str


class ErrorInfo(Schema):
    code: str = Field(description="Stable, machine-readable, snake_case.")
    message: str = Field(description="For people; never contains secrets or internals.")
    details: list[ErrorDetail] | None = Field(description="The inputs to blame, or null.")


class Error(Schema):
    """The body of every 4xx/5xx response."""

    error: ErrorInfo


class InvalidRequest(Exception):
    """The request's path, query or body does not match the route's schemas (raised by the parser)."""

    def __init__(self, details: Sequence[ErrorDetail]) -> None:
        super().__init__("; ".join(f"{d.field}: {d.reason}" for d in details))
        self.details = list(details)


def _no_details(exc: Exception) -> list[ErrorDetail] | None:
    return None


def _no_headers(exc: Exception) -> dict[str, str]:
    return {}


@attrs.frozen
class ErrorRule:
    status: int
    code: str
    message: Callable[[Exception], str] = str
    details: Callable[[Exception], list[ErrorDetail] | None] = _no_details
    headers: Callable[[Exception], dict[str, str]] = _no_headers


def _request_details(exc: Exception) -> list[ErrorDetail] | None:
    return exc.details if isinstance(exc, InvalidRequest) else None


def _invalid_field(exc: Exception) -> list[ErrorDetail] | None:
    return [ErrorDetail(field=exc.field, reason=exc.reason)] if isinstance(exc, InvalidValue) else None


def _wb_detail(exc: Exception) -> str:
    return f"WB rejected the API key: {exc.detail}" if isinstance(exc, WbApiError) else str(exc)


def _retry_after(exc: Exception) -> dict[str, str]:
    wait = exc.retry_after_s if isinstance(exc, WbRateLimited | RateLimited) else 1.0
    return {"Retry-After": str(max(1, math.ceil(wait)))}


def _bearer_challenge(exc: Exception) -> dict[str, str]:
    """HTTP's 401 names its scheme; RFC 6750 adds `error` only when a token was sent and refused."""
    presented = isinstance(exc, InvalidToken) and not isinstance(exc, MissingToken)
    error = ', error="invalid_token"' if presented else ""
    return {"WWW-Authenticate": f'Bearer realm="wb-pulse"{error}'}


RULES: Mapping[type[Exception], ErrorRule] = {
    InvalidRequest: ErrorRule(400, "invalid_request", lambda e: "the request is invalid", _request_details),
    InvalidValue: ErrorRule(400, "invalid_value", details=_invalid_field),
    NotFound: ErrorRule(404, "not_found"),
    Conflict: ErrorRule(409, "conflict"),
    IllegalTransition: ErrorRule(409, "illegal_transition"),
    DomainError: ErrorRule(422, "rule_violation"),
    NotMember: ErrorRule(403, "not_a_member"),
    MissingToken: ErrorRule(401, "missing_token", headers=_bearer_challenge),
    InvalidToken: ErrorRule(401, "invalid_token", headers=_bearer_challenge),
    InvalidLoginCode: ErrorRule(401, "invalid_login_code", headers=_bearer_challenge),
    InvalidRefreshToken: ErrorRule(401, "invalid_refresh_token", headers=_bearer_challenge),
    InvalidTelegramLogin: ErrorRule(401, "invalid_telegram_login", headers=_bearer_challenge),
    TelegramLoginNotConfigured: ErrorRule(404, "telegram_login_not_configured"),
    KeyRejected: ErrorRule(400, "wb_key_rejected"),
    KeyExpired: ErrorRule(400, "wb_key_expired"),
    KeyLacksCategories: ErrorRule(400, "wb_key_lacks_categories"),
    KeyTypeRefused: ErrorRule(400, "wb_key_type_refused"),
    WbAuthError: ErrorRule(400, "wb_key_rejected", _wb_detail),
    WbRateLimited: ErrorRule(429, "wb_rate_limited", headers=_retry_after),
    RateLimited: ErrorRule(429, "rate_limited", headers=_retry_after),
    WbUnavailable: ErrorRule(503, "wb_unavailable"),
    WbApiError: ErrorRule(502, "wb_error"),
    ApplicationError: ErrorRule(400, "rejected"),
}
"""Every mapped error, most specific first in spirit; lookup walks the exception's MRO, so order is moot."""


def rule_for(exc: Exception) -> ErrorRule | None:
    """The rule of the exception's nearest mapped class, or None (an unexpected error: a 500)."""
    for cls in type(exc).__mro__:
        rule = RULES.get(cls)
        if rule is not None:
            return rule
    return None


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body = Error(error=ErrorInfo(code=code, message=message, details=details))
    return web.Response(
        body=body.model_dump_json().encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def mapped_response(exc: Exception, rule: ErrorRule) -> web.Response:
    return error_response(rule.status, rule.code, rule.message(exc), rule.details(exc), rule.headers(exc))
