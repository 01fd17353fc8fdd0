"""Dashboard sign-in and tenancy over real HTTP (the app as bootstrap builds it, Postgres, Redis), with time
driven by a ManualClock in place of the container's clock (issue 10, login and tenancy)."""

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import attrs
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from dependency_injector import providers
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.inbound.http.binding import add_tables
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.routing import Returns, Route, RouteTable
from adapters.outbound.memory.clock import ManualClock
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.use_cases.telegram_login import widget_hash
from bootstrap.app import create_app
from bootstrap.container import build_container
from bootstrap.secret import Secret
from domain.identity import Membership, Role, User
from tests.integration.builders import a_cabinet
from tests.integration.test_http_app import Client, settings_for
from tests.integration.test_openapi_conformance import assert_matches_document

BOT = {"X-API-SECRET-KEY": "CnWvwoDwwGKh"}
BOT_TOKEN = "4242:" + "T" * 35
JWT_SECRET = "j" * 32  # settings_for's


class CabinetEcho(BaseModel):
    cabinet_id: uuid.UUID


async def echo(request: web.Request) -> CabinetEcho:
    return CabinetEcho(cabinet_id=cabinet_of(request))


# A test-only data route: what every /v1 data route gets from the CABINET guard.
ECHO_ROUTE = Route(
    "GET", "/test/echo", echo, "echo", ("test",), {200: Returns("e", CabinetEcho)}, guard=CABINET
)
ECHO = RouteTable("test", "/v1", (ECHO_ROUTE,))


@attrs.define
class Dashboard:
    client: TestClient
    clock: ManualClock
    engine: AsyncEngine

    async def seller(self, name: str = "Shop") -> tuple[int, uuid.UUID]:
        """A registered Telegram user who owns a cabinet: (telegram id, cabinet id)."""
        telegram_id = secrets.randbelow(10**12) + 1
        cabinet = a_cabinet(name=name)
        async with PostgresUnitOfWorkFactory(self.engine)() as uow:
            user = await uow.users.add(User(telegram_id=telegram_id, username="seller", first_name="Ann"))
            await uow.cabinets.add(cabinet, b"ciphertext")
            assert user.id is not None
            await uow.memberships.add(Membership(user.id, cabinet.id, Role.OWNER, self.clock.now()))
            await uow.commit()
        return telegram_id, cabinet.id

    async def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        response = await self.client.post(path, json=json, headers=headers or {})
        return response.status, await response.json()

    async def documented_post(self, path: str, json: Any) -> tuple[int, Any]:
        """A POST whose answer is also checked against the served OpenAPI document."""
        document = await (await self.client.get("/openapi.json")).json()
        response = await self.client.post(path, json=json)
        await assert_matches_document(document, path, "POST", response)
        return response.status, await response.json()

    async def code(self, telegram_id: int) -> str:
        status, body = await self.post(f"/api/v1/bot/auth/code?telegram_id={telegram_id}", headers=BOT)
        assert status == 200, body
        return str(body["code"])

    async def sign_in(self, telegram_id: int) -> dict[str, Any]:
        status, body = await self.post("/v1/auth/code", {"code": await self.code(telegram_id)})
        assert status == 200, body
        return dict(body)

    async def get(self, path: str, token: str | None, **headers: str) -> tuple[int, Any]:
        return await self.call("GET", path, token, **headers)

    async def call(self, method: str, path: str, token: str | None, **headers: str) -> tuple[int, Any]:
        auth = {} if token is None else {"Authorization": f"Bearer {token}"}
        response = await self.client.request(method, path, headers=auth | headers)
        return response.status, await response.json()


@pytest.fixture
async def d(aiohttp_client: Client, database_url: str, redis_url: str, pg_engine: AsyncEngine) -> Dashboard:
    settings = attrs.evolve(settings_for(database_url, redis_url), telegram_bot_token=Secret(BOT_TOKEN))
    container = build_container(settings)
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    container.gateways.clock.override(providers.Object(clock))
    app = create_app(container)
    add_tables(app, [ECHO])
    return Dashboard(await aiohttp_client(app), clock, pg_engine)


async def test_a_bot_code_signs_in_and_me_lists_the_cabinets(d: Dashboard) -> None:
    telegram_id, cabinet_id = await d.seller("Ромашка")
    status, issued = await d.post(f"/api/v1/bot/auth/code?telegram_id={telegram_id}", headers=BOT)
    assert status == 200
    assert issued["login_url"] == f"/app/login?code={issued['code']}"
    assert (datetime.fromisoformat(issued["expires_at"]) - d.clock.now()).total_seconds() == 300
    status, tokens = await d.post("/v1/auth/code", {"code": issued["code"]})
    assert status == 200
    assert (tokens["token_type"], tokens["expires_in"], tokens["refresh_expires_in"]) == (
        "Bearer",
        900,
        2592000,
    )
    status, me = await d.get("/v1/me", tokens["access_token"])
    assert status == 200
    assert (me["telegramId"], me["username"], me["firstName"], me["lastName"]) == (
        telegram_id,
        "seller",
        "Ann",
        None,
    )
    assert me["cabinets"] == [{"id": str(cabinet_id), "name": "Ромашка", "role": "owner", "status": "active"}]


async def test_a_used_an_expired_and_an_unknown_code_are_the_same_401(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    used = await d.code(telegram_id)
    assert (await d.post("/v1/auth/code", {"code": used}))[0] == 200
    expired = await d.code(telegram_id)
    d.clock.advance(minutes=5)
    answers = [await d.post("/v1/auth/code", {"code": code}) for code in (used, expired, "no-such-code")]
    assert {status for status, _ in answers} == {401}
    assert len({(body["error"]["code"], body["error"]["message"]) for _, body in answers}) == 1


async def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    first = await d.sign_in(telegram_id)
    d.clock.advance(minutes=16)
    assert (await d.get("/v1/me", first["access_token"]))[0] == 401  # expired
    status, second = await d.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert status == 200
    assert (await d.get("/v1/me", second["access_token"]))[0] == 200
    status, body = await d.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert (status, body["error"]["code"]) == (401, "invalid_refresh_token")  # reuse: the family is revoked
    assert (await d.post("/v1/auth/refresh", {"refresh_token": second["refresh_token"]}))[0] == 401


async def test_logout_ends_the_session(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    tokens = await d.sign_in(telegram_id)
    assert await d.post("/v1/auth/logout", {"refresh_token": tokens["refresh_token"]}) == (
        200,
        {"success": True},
    )
    assert await d.post("/v1/auth/logout", {"refresh_token": tokens["refresh_token"]}) == (
        200,
        {"success": True},
    )
    assert (await d.post("/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]}))[0] == 401


def widget(d: Dashboard, telegram_id: int, **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": telegram_id,
        "first_name": "Bob",
        "username": "bob_shop",
        "photo_url": "https://t.me/i/userpic/320/bob.jpg",
        "auth_date": int(d.clock.now().timestamp()),
    }
    payload |= changes
    payload["hash"] = widget_hash({k: str(v) for k, v in payload.items()}, BOT_TOKEN)
    return payload


async def test_a_signed_widget_payload_signs_a_new_telegram_user_in(d: Dashboard) -> None:
    telegram_id = secrets.randbelow(10**12) + 1
    status, tokens = await d.documented_post("/v1/auth/telegram", widget(d, telegram_id))
    assert status == 200, tokens
    status, me = await d.get("/v1/me", tokens["access_token"])
    assert (status, me["telegramId"], me["username"], me["cabinets"]) == (200, telegram_id, "bob_shop", [])


async def test_a_tampered_or_old_widget_payload_is_a_401(d: Dashboard) -> None:
    telegram_id = secrets.randbelow(10**12) + 1
    tampered = widget(d, telegram_id) | {"id": telegram_id + 1}
    old = widget(d, telegram_id, auth_date=int(d.clock.now().timestamp()) - 86401)
    for payload in (tampered, old, widget(d, telegram_id) | {"hash": "0" * 64}):
        status, body = await d.documented_post("/v1/auth/telegram", payload)
        assert (status, body["error"]["code"]) == (401, "invalid_telegram_login")
    assert (await d.post("/v1/auth/telegram", widget(d, telegram_id)))[0] == 200  # the same user, signed


def forged(token: str, key: str = JWT_SECRET, **changes: Any) -> str:
    """The token's claims with `changes`, signed with `key`."""
    return jwt.encode(jwt.decode(token, options={"verify_signature": False}) | changes, key)


async def test_a_member_of_a_sees_a_and_never_b(d: Dashboard) -> None:
    telegram_a, cabinet_a = await d.seller("A")
    _, cabinet_b = await d.seller("B")
    token = (await d.sign_in(telegram_a))["access_token"]
    assert await d.get("/v1/test/echo", token, **{"X-Cabinet-Id": str(cabinet_a)}) == (
        200, {"cabinet_id": str(cabinet_a)}
    )  # fmt: skip
    status, body = await d.get("/v1/test/echo", token, **{"X-Cabinet-Id": str(cabinet_b)})
    assert (status, body["error"]["code"]) == (403, "not_a_member")
    assert (await d.get("/v1/test/echo", token))[0] == 400
    unsigned = jwt.encode(jwt.decode(token, options={"verify_signature": False}), "", algorithm="none")
    refused = {
        "no token": None,
        "wrong signature": forged(token, key="another-secret-of-32-characters!"),
        "alg none": unsigned,
        "wrong audience": forged(token, aud="wb-pulse-bot"),
        "wrong issuer": forged(token, iss="evil"),
    }
    for case, bad in refused.items():
        assert (await d.get("/v1/test/echo", bad, **{"X-Cabinet-Id": str(cabinet_a)}))[0] == 401, case
    d.clock.advance(minutes=15)
    assert (await d.get("/v1/test/echo", token, **{"X-Cabinet-Id": str(cabinet_a)}))[0] == 401  # expired
