"""The dashboard's guards on a test-only route table (issue 10, tenancy): BEARER and CABINET refuse every
token that proves nothing with a 401, a missing or bad X-Cabinet-Id with a 400 naming it, and a cabinet
of someone else (or of no one) with the same 403; a member gets their cabinet."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.binding import add_tables
from adapters.inbound.http.dashboard_guards import BEARER, CABINET, cabinet_of, user_of
from adapters.inbound.http.middleware import error_middleware
from adapters.inbound.http.openapi import build_document
from adapters.inbound.http.routing import Returns, Route, RouteTable
from adapters.outbound.jwt_tokens import AUDIENCE, ISSUER, JwtAccessTokens
from adapters.outbound.memory.answers import InMemoryRequestBudget
from application.dashboard.answers import AdmitRequest, StoredCabinetFacts
from application.registry import UseCases
from application.use_cases.dashboard_access import Authenticate, AuthorizeCabinet
from tests.unit.use_cases.support import World, wb_key

SECRET = "s" * 32
Client = Callable[[web.Application], Awaitable[TestClient]]


class Echo(BaseModel):
    user_id: int
    cabinet_id: uuid.UUID | None = None


async def echo_cabinet(request: web.Request) -> Echo:
    return Echo(user_id=user_of(request), cabinet_id=cabinet_of(request))


async def echo_user(request: web.Request) -> Echo:
    return Echo(user_id=user_of(request))


ECHO = {200: Returns("echo", Echo)}
TABLE = RouteTable(
    "test",
    "/v1",
    (
        Route("GET", "/cabinet-echo", echo_cabinet, "echo", ("test",), ECHO, guard=CABINET),
        Route("GET", "/user-echo", echo_user, "echo", ("test",), ECHO, guard=BEARER),
    ),
)


async def _unused() -> Any:
    raise AssertionError("not used by the guards")


@attrs.define
class Tenancy:
    client: TestClient
    world: World
    user_id: int
    mine: uuid.UUID
    theirs: uuid.UUID

    def token(self, key: str = SECRET, **changes: Any) -> str:
        """A token as the app signs them, with `changes` to its claims (None drops a claim)."""
        now = int(self.world.clock.now().timestamp())
        claims: dict[str, Any] = {"sub": str(self.user_id), "iat": now, "exp": now + 900, "aud": AUDIENCE}
        claims |= {"iss": ISSUER} | changes
        return jwt.encode({k: v for k, v in claims.items() if v is not None}, key)

    async def get(self, path: str, headers: dict[str, str]) -> tuple[int, Any, Any]:
        response = await self.client.get(path, headers=headers)
        return response.status, await response.json(), response


@pytest.fixture
async def t(aiohttp_client: Client) -> Tenancy:
    w = World()
    ann = await w.user(111)
    await w.user(222)
    mine = (await w.connect(111, wb_key(sid="seller-a"), "A")).cabinet.id
    theirs = (await w.connect(222, wb_key(sid="seller-b"), "B")).cabinet.id
    tokens = JwtAccessTokens(SECRET)
    registry = {f.name: _unused for f in attrs.fields(UseCases)}

    async def authenticate() -> Authenticate:
        return Authenticate(tokens, w.clock)

    async def authorize() -> AuthorizeCabinet:
        return AuthorizeCabinet(StoredCabinetFacts(w.uow))

    async def admit() -> AdmitRequest:  # the rate limit: tests/unit/dashboard/test_cached_answers.py
        return AdmitRequest(InMemoryRequestBudget(w.clock), 1000)

    registry |= {"authenticate": authenticate, "authorize_cabinet": authorize}
    registry |= {"admit_dashboard_request": admit}
    app = web.Application(middlewares=[error_middleware])
    app[USE_CASES] = UseCases(**registry)
    add_tables(app, [TABLE])
    assert ann.id is not None
    return Tenancy(await aiohttp_client(app), w, ann.id, mine, theirs)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_member_gets_their_cabinet(t: Tenancy) -> None:
    status, body, _ = await t.get("/v1/cabinet-echo", bearer(t.token()) | {"X-Cabinet-Id": str(t.mine)})
    assert (status, body) == (200, {"user_id": t.user_id, "cabinet_id": str(t.mine)})
    status, body, _ = await t.get("/v1/user-echo", bearer(t.token()))
    assert (status, body) == (200, {"user_id": t.user_id, "cabinet_id": None})


def bad_tokens(t: Tenancy) -> dict[str, dict[str, str]]:
    now = int(t.world.clock.now().timestamp())
    claims = {"sub": str(t.user_id), "iat": now, "exp": now + 900, "aud": AUDIENCE, "iss": ISSUER}
    unsigned = jwt.encode(claims, "", algorithm="none")
    return {
        "no token": {},
        "not bearer": {"Authorization": f"Basic {t.token()}"},
        "empty bearer": {"Authorization": "Bearer "},
        "garbage": bearer("garbage"),
        "expired": bearer(t.token(iat=now - 1000, exp=now - 100)),
        "wrong signature": bearer(t.token(key="another-secret-of-32-characters!")),
        "alg none": bearer(unsigned),
        "wrong audience": bearer(t.token(aud="wb-pulse-bot")),
        "wrong issuer": bearer(t.token(iss="someone")),
        "no exp": bearer(t.token(exp=None)),
    }


@pytest.mark.parametrize("path", ["/v1/cabinet-echo", "/v1/user-echo"])
async def test_every_token_that_proves_nothing_is_a_401_with_a_bearer_challenge(
    t: Tenancy, path: str
) -> None:
    for case, headers in bad_tokens(t).items():
        status, body, response = await t.get(path, headers | {"X-Cabinet-Id": str(t.mine)})
        assert status == 401, case
        assert body["error"]["code"] in {"invalid_token", "missing_token"}, case
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), case
    status, body, response = await t.get(path, {})
    assert body["error"]["code"] == "missing_token"
    assert "error=" not in response.headers["WWW-Authenticate"]  # RFC 6750: no token, no error code


async def test_a_cabinet_of_someone_else_and_no_cabinet_at_all_are_the_same_403(t: Tenancy) -> None:
    answers = []
    for cabinet in (t.theirs, uuid.uuid4()):
        status, body, _ = await t.get("/v1/cabinet-echo", bearer(t.token()) | {"X-Cabinet-Id": str(cabinet)})
        assert status == 403
        answers.append(body["error"]["code"])
    assert answers == ["not_a_member", "not_a_member"]


@pytest.mark.parametrize("value", [None, "", "not-a-uuid", "{" + "0" * 32 + "}"])
async def test_a_missing_or_bad_cabinet_header_is_a_400_naming_it(t: Tenancy, value: str | None) -> None:
    headers = bearer(t.token()) | ({} if value is None else {"X-Cabinet-Id": value})
    status, body, _ = await t.get("/v1/cabinet-echo", headers)
    assert status == 400
    assert [d["field"] for d in body["error"]["details"]] == ["header.X-Cabinet-Id"]


async def test_the_token_is_checked_before_the_cabinet_header(t: Tenancy) -> None:
    status, _, _ = await t.get("/v1/cabinet-echo", {"X-Cabinet-Id": "nonsense"})
    assert status == 401


async def test_a_token_expires_after_15_minutes_of_the_injected_clock(t: Tenancy) -> None:
    token = JwtAccessTokens(SECRET).issue(t.user_id, t.world.clock.now()).token
    t.world.clock.advance(minutes=15)
    status, _, _ = await t.get("/v1/user-echo", bearer(token))
    assert status == 401


def test_the_document_requires_the_token_and_the_cabinet_header_together() -> None:
    document: Any = build_document([TABLE])
    cabinet_op, user_op = (
        document["paths"]["/v1/cabinet-echo"]["get"],
        document["paths"]["/v1/user-echo"]["get"],
    )
    assert cabinet_op["security"] == [{"bearer": [], "cabinetId": []}]
    assert {"400", "401", "403"} <= set(cabinet_op["responses"])
    assert user_op["security"] == [{"bearer": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert (schemes["cabinetId"]["in"], schemes["cabinetId"]["name"]) == ("header", "X-Cabinet-Id")
