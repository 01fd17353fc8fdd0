"""Every error a handler can raise leaves in the one error shape, with the status the table gives it."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.inbound.http.errors import Error
from adapters.inbound.http.middleware import error_middleware, request_id_middleware
from application.errors import ApplicationError
from application.ports.wb import WbApiError, WbAuthError, WbRateLimited, WbUnavailable
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected, KeyTypeRefused
from domain.errors import Conflict, DomainError, IllegalTransition, InvalidValue, NotFound
from domain.wb_token import WbCategory, WbTokenType

Client = Callable[[web.Application], Awaitable[TestClient]]
SECRET_IN_ERROR = "do-not-echo-this-secret-value"


class NewApplicationError(ApplicationError):
    """One no rule names: it must still be a 400, never a 500."""


def app_raising(exc: Exception) -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        raise exc

    app = web.Application(middlewares=[request_id_middleware(lambda _: lambda: None), error_middleware])
    app.router.add_get("/raise", handler)
    return app


def detail(field: str, reason: str) -> list[dict[str, str]]:
    return [{"field": field, "reason": reason}]


CASES = [
    (InvalidValue("unit_cost", "must not be negative"), 400, "invalid_value",
     "unit_cost: must not be negative", detail("unit_cost", "must not be negative")),
    (NotFound("cabinet", "c-1"), 404, "not_found", "cabinet 'c-1' not found", None),
    (Conflict("that key is taken"), 409, "conflict", "that key is taken", None),
    (IllegalTransition("order", "sold", "new"), 409, "illegal_transition",
     "order: illegal transition sold -> new", None),
    (DomainError("COGS windows overlap"), 422, "rule_violation", "COGS windows overlap", None),
    (KeyRejected("token is revoked"), 400, "wb_key_rejected",
     "WB rejected the API key: token is revoked", None),
    (KeyExpired(datetime(2026, 1, 1, tzinfo=UTC)), 400, "wb_key_expired",
     "the WB API key expired at 2026-01-01T00:00:00+00:00", None),
    (KeyLacksCategories([WbCategory.STATISTICS, WbCategory.MARKETPLACE]), 400, "wb_key_lacks_categories",
     "the WB API key needs at least one of these categories: MARKETPLACE, STATISTICS", None),
    (KeyTypeRefused(WbTokenType.TEST), 400, "wb_key_type_refused",
     "the WB API key is a Test token: a Test token works only in WB's sandbox, not with a real cabinet; "
     "create a Personal token (or a Service token of a catalogue service) in the seller cabinet instead",
     None),
    (WbAuthError(401, "token withdrawn"), 400, "wb_key_rejected",
     "WB rejected the API key: token withdrawn", None),
    (WbUnavailable(502, "bad gateway"), 503, "wb_unavailable", "WB API error 502: bad gateway", None),
    (WbApiError(404, "no such method"), 502, "wb_error", "WB API error 404: no such method", None),
    (ApplicationError("cannot do that"), 400, "rejected", "cannot do that", None),
    (NewApplicationError("a new refusal"), 400, "rejected", "a new refusal", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("exc", "status", "code", "message", "details"), CASES, ids=lambda c: type(c).__name__
)
async def test_each_error_has_its_status_and_the_one_shape(
    aiohttp_client: Client, exc: Exception, status: int, code: str, message: str, details: object
) -> None:
    client = await aiohttp_client(app_raising(exc))
    response = await client.get("/raise")
    assert response.status == status
    assert response.content_type == "application/json"
    body = await response.json()
    assert body == {"error": {"code": code, "message": message, "details": details}}
    Error.model_validate(body)


async def test_wb_rate_limit_is_a_429_with_retry_after_rounded_up(aiohttp_client: Client) -> None:
    client = await aiohttp_client(app_raising(WbRateLimited(12.2)))
    response = await client.get("/raise")
    assert response.status == 429
    assert response.headers["Retry-After"] == "13"
    assert (await response.json())["error"]["code"] == "wb_rate_limited"


async def test_unexpected_error_is_a_generic_500_with_the_request_id(
    aiohttp_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client = await aiohttp_client(app_raising(RuntimeError(f"pool exploded with {SECRET_IN_ERROR}")))
    response = await client.get("/raise", headers={"X-Request-Id": "trace-7"})
    assert response.status == 500
    assert await response.json() == {
        "error": {
            "code": "internal_error",
            "message": "internal server error (request id trace-7)",
            "details": None,
        }
    }
    assert SECRET_IN_ERROR not in await response.text()
    assert response.headers["X-Request-Id"] == "trace-7"
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error in GET /raise"]
    assert logged and logged[0].exc_info is not None


async def test_aiohttps_own_errors_leave_in_the_same_shape(aiohttp_client: Client) -> None:
    client = await aiohttp_client(app_raising(RuntimeError()))
    missing = await client.get("/nowhere")
    assert missing.status == 404
    assert await missing.json() == {"error": {"code": "not_found", "message": "Not Found", "details": None}}
    wrong_method = await client.post("/raise")
    assert wrong_method.status == 405
    assert "GET" in wrong_method.headers["Allow"]
    Error.model_validate(await wrong_method.json())
