"""What the dashboard page at /app/ needs of the API, over real HTTP (the app as bootstrap builds it,
Postgres, Redis; docs/decisions/0023-dashboard-page.md): the refresh token in an HttpOnly cookie, the
signed-in user's notification settings, delivery log and resend, and the cabinet's overview."""

import secrets
import uuid
from datetime import datetime, timedelta
from http.cookies import Morsel, SimpleCookie
from typing import Any

import pytest
from aiohttp import ClientResponse
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from yarl import URL

from adapters.inbound.http.dashboard.auth import REFRESH_COOKIE
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.sync import SourceState
from application.sync.sources import SOURCE_NAMES
from domain.identity import Cabinet, Membership, Role, User
from tests.integration import test_dashboard_auth_http as auth_http
from tests.integration.builders import a_cabinet
from tests.integration.test_dashboard_auth_http import BOT, Dashboard

d = auth_http.d  # the fixture: the app with a ManualClock, over HTTP

COOKIE_SIGN_IN = "/v1/auth/code?refresh=cookie"


def the_cookie(response: ClientResponse) -> tuple[str, Morsel[str]]:
    """The response's one Set-Cookie header, raw and parsed."""
    headers = response.headers.getall("Set-Cookie", [])
    assert len(headers) == 1, headers
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(headers[0])
    return headers[0], parsed[REFRESH_COOKIE]


def sent_cookies(d: Dashboard, path: str) -> dict[str, str]:
    """The cookies the client (as a browser would) sends to `path`."""
    jar = d.client.session.cookie_jar.filter_cookies(URL(str(d.client.make_url(path))))
    return {name: morsel.value for name, morsel in jar.items()}


async def cookie_sign_in(d: Dashboard, telegram_id: int) -> tuple[dict[str, Any], ClientResponse]:
    response = await d.client.post(COOKIE_SIGN_IN, json={"code": await d.code(telegram_id)})
    assert response.status == 200, await response.text()
    return await response.json(), response


async def refresh_with(d: Dashboard, cookie: str) -> ClientResponse:
    """POST /v1/auth/refresh with this cookie value only (the client's own jar emptied first)."""
    d.client.session.cookie_jar.clear()
    return await d.client.post("/v1/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={cookie}"})


async def test_a_cookie_sign_in_sets_an_http_only_strict_cookie_and_no_refresh_token_in_json(
    d: Dashboard,
) -> None:
    telegram_id, _ = await d.seller()
    body, response = await cookie_sign_in(d, telegram_id)
    assert body["refresh_token"] is None and body["access_token"] and body["refresh_expires_in"] == 2592000
    raw, cookie = the_cookie(response)
    assert "HttpOnly" in raw and "SameSite=Strict" in raw and "Secure" not in raw  # plain http here
    assert (cookie["path"], cookie["max-age"], cookie["httponly"]) == ("/v1/auth", "2592000", True)
    assert len(cookie.value) >= 40 and cookie.value not in str(body)
    assert sent_cookies(d, "/v1/auth/refresh") == {REFRESH_COOKIE: cookie.value}
    assert sent_cookies(d, "/v1/me") == sent_cookies(d, "/app/") == {}  # Path scoping: sign-in routes only
    assert (await d.get("/v1/me", body["access_token"]))[0] == 200


async def test_refresh_from_the_cookie_rotates_it_and_a_reused_cookie_ends_the_session(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    _, response = await cookie_sign_in(d, telegram_id)
    first = the_cookie(response)[1].value
    rotated = await d.client.post("/v1/auth/refresh")  # no body: the browser's cookie
    assert rotated.status == 200, await rotated.text()
    body = await rotated.json()
    second = the_cookie(rotated)[1].value
    assert body["refresh_token"] is None and second != first
    assert (await d.get("/v1/me", body["access_token"]))[0] == 200
    reused = await refresh_with(d, first)
    assert (reused.status, (await reused.json())["error"]["code"]) == (401, "invalid_refresh_token")
    assert (await refresh_with(d, second)).status == 401  # the whole family is revoked


async def test_a_body_token_with_refresh_cookie_moves_the_session_into_the_cookie(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    tokens = await d.sign_in(telegram_id)  # an API client's sign-in: the token in the JSON, no cookie
    assert tokens["refresh_token"]
    response = await d.client.post(
        "/v1/auth/refresh?refresh=cookie", json={"refresh_token": tokens["refresh_token"]}
    )
    assert response.status == 200 and (await response.json())["refresh_token"] is None
    assert (await refresh_with(d, the_cookie(response)[1].value)).status == 200


async def test_logout_with_the_cookie_ends_the_session_and_deletes_the_cookie(d: Dashboard) -> None:
    telegram_id, _ = await d.seller()
    _, response = await cookie_sign_in(d, telegram_id)
    value = the_cookie(response)[1].value
    out = await d.client.post("/v1/auth/logout")
    assert (out.status, await out.json()) == (200, {"success": True})
    raw, cookie = the_cookie(out)
    assert (cookie.value, cookie["max-age"], cookie["path"]) == ("", "0", "/v1/auth")
    assert "HttpOnly" in raw and "SameSite=Strict" in raw
    assert sent_cookies(d, "/v1/auth/refresh") == {}
    assert (await refresh_with(d, value)).status == 401


async def test_without_a_body_or_a_cookie_refresh_is_a_401_and_logout_succeeds(d: Dashboard) -> None:
    d.client.session.cookie_jar.clear()
    refreshed = await d.client.post("/v1/auth/refresh")
    assert (refreshed.status, (await refreshed.json())["error"]["code"]) == (401, "invalid_refresh_token")
    out = await d.client.post("/v1/auth/logout")
    assert (out.status, await out.json()) == (200, {"success": True})
    assert "Set-Cookie" not in out.headers


# Notifications: the signed-in user's own (any cabinet).


async def signed_in(d: Dashboard, redis_url: str) -> tuple[int, dict[str, str]]:
    """A seller signed in: (telegram id, the Authorization header); their cached settings dropped (every
    test database numbers its users from 1 and all of them share this Redis)."""
    telegram_id, _ = await d.seller()
    auth = {"Authorization": f"Bearer {(await d.sign_in(telegram_id))['access_token']}"}
    me = await (await d.client.get("/v1/me", headers=auth)).json()
    redis = Redis.from_url(redis_url)
    await redis.delete(f"notifications:settings:{me['id']}")
    await redis.aclose()
    return telegram_id, auth


async def call(
    d: Dashboard, method: str, path: str, auth: dict[str, str], json: Any = None
) -> tuple[int, Any]:
    response = await d.client.request(method, path, headers=auth, json=json)
    return response.status, await response.json()


async def test_settings_read_and_change_partly_with_400s_naming_the_field(
    d: Dashboard, redis_url: str
) -> None:
    telegram_id, auth = await signed_in(d, redis_url)
    status, before = await call(d, "GET", "/v1/notifications/settings", auth)
    assert status == 200 and before["success"] is True
    assert before["data"]["new_orders_enabled"] is True and before["data"]["stock_ignore_list"] == []
    change = {"new_orders_enabled": False, "review_rating_threshold": 2}
    status, after = await call(d, "PATCH", "/v1/notifications/settings", auth, change)
    assert (status, after["data"]) == (200, before["data"] | change)
    assert (await call(d, "GET", "/v1/notifications/settings", auth)) == (200, after)
    bot = await d.client.get(f"/api/v1/notifications/settings?telegram_id={telegram_id}", headers=BOT)
    assert await bot.json() == after  # one store, the bot's routes see the change
    for bad, field in (
        ({"sound_enabled": True}, "body.sound_enabled"),
        ({"max_group_size": 51}, "body.max_group_size"),
    ):
        status, body = await call(
            d, "PATCH", "/v1/notifications/settings", auth, bad | {"grouping_enabled": False}
        )
        assert status == 400 and [x["field"] for x in body["error"]["details"]] == [field], body
    assert (await call(d, "GET", "/v1/notifications/settings", auth)) == (200, after)  # nothing changed
    assert (await call(d, "PATCH", "/v1/notifications/settings", {}, change))[0] == 401


async def test_history_lists_my_notifications_and_resend_queues_a_new_one(
    d: Dashboard, redis_url: str, pg_engine: AsyncEngine
) -> None:
    telegram_id, auth = await signed_in(d, redis_url)
    test = {"notification_type": "new_order", "test_data": {"order_id": 7, "amount": 1500}}
    queued = await d.client.post(
        f"/api/v1/notifications/test?telegram_id={telegram_id}", json=test, headers=BOT
    )
    assert queued.status == 202
    notification_id = (await queued.json())["data"]["id"]
    status, log = await call(d, "GET", "/v1/notifications/history", auth)
    assert status == 200 and (log["data"]["total"], log["data"]["has_more"]) == (1, False)
    item = log["data"]["items"][0]
    assert (item["id"], item["type"], item["status"], item["is_test"]) == (
        notification_id,
        "new_order",
        "pending",
        True,
    )
    assert (await call(d, "GET", "/v1/notifications/history?status=sent", auth))[1]["data"]["items"] == []
    assert (await call(d, "GET", "/v1/notifications/history?type=order_return", auth))[1]["data"][
        "total"
    ] == 0
    assert (await call(d, "GET", "/v1/notifications/history?limit=101", auth))[0] == 400
    resend = f"/v1/notifications/{notification_id}/resend"
    status, body = await call(d, "POST", resend, auth)
    assert (status, body["error"]["code"]) == (409, "conflict")  # still pending: on its way
    async with PostgresUnitOfWorkFactory(pg_engine)() as uow:
        await uow.notifications.mark_sent([uuid.UUID(notification_id)], d.clock.now())
        await uow.commit()
    status, again = await call(d, "POST", resend, auth)
    assert (
        status == 202
        and again["data"]["resend_of"] == notification_id
        and again["data"]["id"] != notification_id
    )
    assert (await call(d, "GET", "/v1/notifications/history", auth))[1]["data"]["total"] == 2
    _, other = await signed_in(d, redis_url)
    assert (await call(d, "POST", resend, other))[0] == 404  # not theirs
    assert (await call(d, "GET", "/v1/notifications/history", other))[1]["data"]["total"] == 0
    assert (await call(d, "POST", f"/v1/notifications/{uuid.uuid4()}/resend", auth))[0] == 404


# The cabinet's overview.


async def shared_cabinet(d: Dashboard, engine: AsyncEngine, cabinet: Cabinet) -> tuple[int, int]:
    """`cabinet` stored with an owner and then a member (telegram ids), its stat_orders synced at `now`."""
    now = d.clock.now()
    owner_tg = secrets.randbelow(10**12) + 1
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        owner = await uow.users.add(User(telegram_id=owner_tg, username="seller"))
        member = await uow.users.add(User(telegram_id=owner_tg + 1, username=None))
        await uow.cabinets.add(cabinet, b"ciphertext")
        assert owner.id is not None and member.id is not None
        await uow.memberships.add(Membership(owner.id, cabinet.id, Role.OWNER, now))
        await uow.memberships.add(Membership(member.id, cabinet.id, Role.MEMBER, now + timedelta(seconds=1)))
        await uow.source_states.save(
            SourceState(cabinet.id, "stat_orders", last_success_at=now, rows_taken=3)
        )
        await uow.commit()
    return owner_tg, owner_tg + 1


async def cabinet_as(d: Dashboard, telegram_id: int, cabinet_id: uuid.UUID) -> tuple[str, Any]:
    token = (await d.sign_in(telegram_id))["access_token"]
    headers = {"Authorization": f"Bearer {token}", "X-Cabinet-Id": str(cabinet_id)}
    response = await d.client.get("/v1/cabinet", headers=headers)
    assert response.status == 200, await response.text()
    return await response.text(), await response.json()


async def test_the_cabinet_shows_members_sources_and_key_expiry_but_never_the_key(
    d: Dashboard, pg_engine: AsyncEngine
) -> None:
    cabinet = a_cabinet(name="Ромашка", token_expires_at=d.clock.now() + timedelta(days=10, hours=1))
    owner, member = await shared_cabinet(d, pg_engine, cabinet)
    text, body = await cabinet_as(d, member, cabinet.id)
    assert (body["id"], body["name"], body["status"], body["invalidReason"], body["role"]) == (
        str(cabinet.id), "Ромашка", "active", None, "member"
    )  # fmt: skip
    assert body["members"] == [
        {"telegramId": owner, "username": "seller", "role": "owner"},
        {"telegramId": member, "username": None, "role": "member"},
    ]
    assert body["tokenExpiresInDays"] == 10
    assert datetime.fromisoformat(body["tokenExpiresAt"]) == cabinet.token_expires_at
    assert (body["categories"], body["readOnly"]) == (["feedbacks", "marketplace", "statistics"], True)
    assert body["keyId"] == cabinet.key_fingerprint[:8]
    assert cabinet.key_fingerprint not in text and "ciphertext" not in text  # nothing of the key but its id
    assert [s["source"] for s in body["sources"]] == list(SOURCE_NAMES)
    synced = next(s for s in body["sources"] if s["source"] == "stat_orders")
    assert synced["rowsTaken"] == 3 and synced["lastSuccessAt"] == body["lastSyncAt"] is not None
    assert set(body["sources"][0]) == {
        "source", "lastSuccessAt", "rowsTaken", "lastError", "lastErrorAt", "backoffUntil", "continuesAt",
        "blockedReason", "blockedUntil",
    }  # fmt: skip
    assert body["storedRows"] == dict.fromkeys(
        ("orders", "statOrders", "sales", "stocks", "reviews", "claims"), 0
    )
    assert (await cabinet_as(d, owner, cabinet.id))[1]["role"] == "owner"


async def test_a_key_expired_within_the_day_counts_minus_one_day(
    d: Dashboard, pg_engine: AsyncEngine
) -> None:
    cabinet = a_cabinet(token_expires_at=d.clock.now() - timedelta(hours=1))
    owner, _ = await shared_cabinet(d, pg_engine, cabinet)
    assert (await cabinet_as(d, owner, cabinet.id))[1]["tokenExpiresInDays"] == -1


@pytest.mark.parametrize("header", ["", "not-a-uuid"])
async def test_the_cabinet_needs_a_cabinet_id(d: Dashboard, header: str) -> None:
    telegram_id, _ = await d.seller()
    token = (await d.sign_in(telegram_id))["access_token"]
    status, body = await d.get("/v1/cabinet", token, **({"X-Cabinet-Id": header} if header else {}))
    assert status == 400 and body["error"]["details"][0]["field"] == "header.X-Cabinet-Id"
