"""Cached dashboard answers and the per-user rate limit on a test-only route table over the in-memory
adapters (decision 0017): the second identical request is served from the cache, a data version bump
makes the next one recompute, cabinets and queries never share an entry, an ETag the client holds is a
304, and a user over their budget gets 429 with Retry-After while another user does not."""

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
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.middleware import error_middleware
from adapters.inbound.http.routing import Returns, Route, RouteTable
from adapters.outbound.jwt_tokens import AUDIENCE, ISSUER, JwtAccessTokens
from adapters.outbound.memory.answers import InMemoryAnswerCache, InMemoryRequestBudget
from application.dashboard.answers import AdmitRequest, ServeCachedAnswer, StoredCabinetFacts
from application.registry import UseCases
from application.use_cases.dashboard_access import Authenticate, AuthorizeCabinet
from tests.unit.use_cases.support import World, wb_key

SECRET = "s" * 32
LIMIT = 10
Client = Callable[[web.Application], Awaitable[TestClient]]


class Figures(BaseModel):
    cabinet_id: uuid.UUID
    days: int
    computed: int


class FiguresQuery(BaseModel):
    days: int = 7


@attrs.define
class Site:
    client: TestClient
    world: World
    cache: InMemoryAnswerCache
    users: dict[int, int]  # telegram id -> user id
    cabinets: dict[str, uuid.UUID]
    computed: list[uuid.UUID] = attrs.Factory(list)

    def headers(self, telegram_id: int, cabinet: str, **extra: str) -> dict[str, str]:
        now = int(self.world.clock.now().timestamp())
        claims = {
            "sub": str(self.users[telegram_id]),
            "iat": now,
            "exp": now + 900,
            "aud": AUDIENCE,
            "iss": ISSUER,
        }
        token = jwt.encode(claims, SECRET)
        return {"Authorization": f"Bearer {token}", "X-Cabinet-Id": str(self.cabinets[cabinet]), **extra}

    async def get(self, url: str, telegram_id: int = 111, cabinet: str = "A", held: str | None = None) -> Any:
        extra = {} if held is None else {"If-None-Match": held}
        return await self.client.get(url, headers=self.headers(telegram_id, cabinet, **extra))

    async def bump(self, cabinet: str) -> None:
        async with self.world.uow() as uow:
            await uow.rollups.bump_version(self.cabinets[cabinet])
            await uow.commit()


async def _unused() -> Any:
    raise AssertionError("not used here")


@pytest.fixture
async def site(aiohttp_client: Client) -> Site:
    w = World()
    users = {tg: (await w.user(tg)).id for tg in (111, 222)}
    a = (await w.connect(111, wb_key(sid="seller-a"), "A")).cabinet.id
    b = (await w.connect(222, wb_key(sid="seller-b"), "B")).cabinet.id
    await w.connect(111, wb_key(sid="seller-b"), "B")  # 111 is a member of both
    cache = InMemoryAnswerCache(w.clock)
    s = Site(None, w, cache, {k: v for k, v in users.items() if v is not None}, {"A": a, "B": b})  # type: ignore[arg-type]

    async def figures(request: web.Request, query: FiguresQuery) -> Figures:
        s.computed.append(cabinet_of(request))
        return Figures(cabinet_id=cabinet_of(request), days=query.days, computed=len(s.computed))

    table = RouteTable("test", "/v1", (
        Route("GET", "/figures", figures, "figures", ("test",), {200: Returns("figures", Figures)},
              query=FiguresQuery, guard=CABINET, cache_ttl_s=300),
    ))  # fmt: skip
    budget = InMemoryRequestBudget(w.clock)
    registry = {f.name: _unused for f in attrs.fields(UseCases)}

    async def authenticate() -> Authenticate:
        return Authenticate(JwtAccessTokens(SECRET), w.clock)

    async def authorize() -> AuthorizeCabinet:
        return AuthorizeCabinet(StoredCabinetFacts(w.uow))

    async def serve() -> ServeCachedAnswer:
        return ServeCachedAnswer(StoredCabinetFacts(w.uow), cache, w.clock)

    async def admit() -> AdmitRequest:
        return AdmitRequest(budget, LIMIT)

    registry |= {"authenticate": authenticate, "authorize_cabinet": authorize}
    registry |= {"serve_cached_answer": serve, "admit_dashboard_request": admit}
    app = web.Application(middlewares=[error_middleware])
    app[USE_CASES] = UseCases(**registry)
    add_tables(app, [table])
    s.client = await aiohttp_client(app)
    return s


async def test_the_second_identical_request_is_served_from_the_cache(site: Site) -> None:
    first = await site.get("/v1/figures?days=7")
    second = await site.get("/v1/figures?days=7")
    assert (first.status, second.status) == (200, 200)
    assert (
        await first.json()
        == await second.json()
        == {"cabinet_id": str(site.cabinets["A"]), "days": 7, "computed": 1}
    )
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert len(site.computed) == 1
    key = site.cache.keys()[0]
    assert key.startswith(f"dash:{site.cabinets['A']}:0:2026-03-01:figures:")


async def test_equal_queries_share_an_entry_and_different_ones_do_not(site: Site) -> None:
    await site.get("/v1/figures?days=7")
    assert (await site.get("/v1/figures")).headers["X-Cache"] == "hit"  # the default spelled out or not
    other = await site.get("/v1/figures?days=30")
    assert (other.headers["X-Cache"], (await other.json())["days"]) == ("miss", 30)


async def test_a_data_version_bump_makes_the_next_request_recompute(site: Site) -> None:
    await site.get("/v1/figures")
    await site.bump("A")
    after = await site.get("/v1/figures")
    assert after.headers["X-Cache"] == "miss"
    assert (await after.json())["computed"] == 2
    assert (await site.get("/v1/figures")).headers["X-Cache"] == "hit"


async def test_another_cabinet_never_gets_this_cabinets_answer(site: Site) -> None:
    mine = await (await site.get("/v1/figures", cabinet="A")).json()
    theirs = await site.get("/v1/figures", cabinet="B")  # the same user, the same query
    assert theirs.headers["X-Cache"] == "miss"
    assert (await theirs.json())["cabinet_id"] == str(site.cabinets["B"]) != mine["cabinet_id"]
    other_user = await site.get("/v1/figures", telegram_id=222, cabinet="B")
    assert (await other_user.json())["cabinet_id"] == str(site.cabinets["B"])
    assert site.computed == [site.cabinets["A"], site.cabinets["B"]]


async def test_a_non_member_gets_403_even_when_the_answer_is_cached(site: Site) -> None:
    await site.get("/v1/figures", telegram_id=111, cabinet="B")
    refused = await site.client.get("/v1/figures", headers=site.headers(222, "A"))
    assert refused.status == 403


async def test_the_etag_the_client_holds_is_a_304_without_a_body(site: Site) -> None:
    etag = (await site.get("/v1/figures")).headers["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    for held in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = await site.get("/v1/figures", held=held)
        assert (again.status, await again.read(), again.headers["ETag"]) == (304, b"", etag), held
    stale = await site.get("/v1/figures", held='"something-else"')
    assert (stale.status, stale.headers["ETag"]) == (200, etag)


async def test_a_user_over_the_limit_gets_429_with_retry_after_and_others_do_not(site: Site) -> None:
    site.world.clock.advance(seconds=60 - site.world.clock.now().timestamp() % 60 - 20)  # 40 s into a minute
    for _ in range(LIMIT):
        assert (await site.get("/v1/figures")).status == 200
    refused = await site.get("/v1/figures")
    body = await refused.json()
    assert (refused.status, body["error"]["code"], refused.headers["Retry-After"]) == (
        429,
        "rate_limited",
        "20",
    )
    assert (await site.get("/v1/figures", telegram_id=222, cabinet="B")).status == 200
    site.world.clock.advance(seconds=20)
    assert (await site.get("/v1/figures")).status == 200


def test_the_document_declares_the_etag_304_and_429_of_cached_routes() -> None:
    from adapters.inbound.http.openapi import build_document
    from adapters.inbound.http.routes import ROUTE_TABLES

    paths: Any = build_document(ROUTE_TABLES)["paths"]
    for path in ("/v1/orders", "/v1/analytics/orders/volume", "/v1/analytics/orders/trends"):
        operation = paths[path]["get"]
        assert "content" not in operation["responses"]["304"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "429" in operation["responses"], path
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), path
    assert "304" not in paths["/v1/orders/{orderId}"]["get"]["responses"]
    assert "429" in paths["/v1/me"]["get"]["responses"]
    assert "429" not in paths["/health"]["get"]["responses"]
