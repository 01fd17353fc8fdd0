"""The dashboard's guards (seed 002 §2): `Authorization: Bearer <access_token>` on every /v1 route but
sign-in, and `X-Cabinet-Id` on every data route.

BEARER stores the caller's user id on the request (`user_of(request)`); CABINET does that and then stores
the cabinet (`cabinet_of(request)`) once the caller is known to be its member. Handlers read those two and
scope every query by them: nothing a handler does reads a cabinet id from anywhere else.

Refusals: 401 (missing, malformed, forged, expired token; `WWW-Authenticate: Bearer`), 400 for a missing
or non-UUID `X-Cabinet-Id`, 403 for a cabinet the caller is not a member of, the same answer whether or not
it exists (docs/decisions/0014-dashboard-auth.md), and 429 with `Retry-After` once the signed-in user has
spent their DASHBOARD_RATE_LIMIT requests of the minute (decision 0017).
"""

import re
from uuid import UUID

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.errors import ErrorDetail, InvalidRequest
from adapters.inbound.http.routing import Guard
from application.ports.auth import InvalidToken, MissingToken

CABINET_HEADER = "X-Cabinet-Id"
USER_ID = web.RequestKey("user_id", int)
"""The signed-in user (our id), set by BEARER and CABINET."""
CABINET_ID = web.RequestKey("cabinet_id", UUID)
"""The cabinet the request is about, of which the user is a member; set by CABINET."""


def user_of(request: web.Request) -> int:
    """The signed-in user of a request that passed BEARER or CABINET."""
    return request[USER_ID]


def cabinet_of(request: web.Request) -> UUID:
    """The cabinet of a request that passed CABINET: the only cabinet id a data handler may use."""
    return request[CABINET_ID]


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


async def _check_bearer(request: web.Request) -> None:
    header = request.headers.get("Authorization", "")
    if not header:
        raise MissingToken()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("send Authorization: Bearer <access_token>")
    authenticate = await request.app[USE_CASES].authenticate()
    request[USER_ID] = await authenticate(token.strip())
    admit = await request.app[USE_CASES].admit_dashboard_request()
    await admit(request[USER_ID])  # the per-user rate limit (decision 0017): RateLimited is a 429


async def _check_cabinet(request: web.Request) -> None:
    await _check_bearer(request)
    raw = request.headers.get(CABINET_HEADER, "").strip()
    if not _UUID.fullmatch(raw):
        reason = "required: the UUID of one of your cabinets (GET /v1/me lists them)"
        raise InvalidRequest([ErrorDetail(field=f"header.{CABINET_HEADER}", reason=reason)])
    cabinet_id = UUID(raw)
    authorize = await request.app[USE_CASES].authorize_cabinet()
    await authorize(request[USER_ID], cabinet_id)
    request[CABINET_ID] = cabinet_id


_BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "An access token from /v1/auth/* (HS256 JWT, 15 minutes).",
}

BEARER = Guard(scheme_name="bearer", scheme=_BEARER_SCHEME, check=_check_bearer, refusals=(401, 429))

CABINET = Guard(
    scheme_name="bearer",
    scheme=_BEARER_SCHEME,
    check=_check_cabinet,
    refusals=(400, 401, 403, 429),
    also={
        "cabinetId": {
            "type": "apiKey",
            "in": "header",
            "name": CABINET_HEADER,
            "description": "The UUID of the cabinet asked about; the caller must be its member (else 403).",
        }
    },
)
