"""The bot's user and cabinet endpoints (seed 000 §0.2–§0.4, §5, §6.1) on the real app, Postgres, Redis and
the simulator over loopback; and no key sent in a query string or a body ever reaches a log line or an
answer."""

import logging
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.inbound.http.access_log import StructuredAccessLogger
from tests.integration.sync_harness import (
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    new_telegram_id,
    scalar,
    sim_fixture,  # noqa: F401 - fixture sim
)
from tests.integration.test_openapi_conformance import assert_matches_document

BOT = {"X-API-SECRET-KEY": "test-secret-key"}


@pytest.fixture(name="api")
async def api_fixture(container: Any, aiohttp_client: Any) -> AsyncIterator[TestClient]:
    from bootstrap.app import create_app

    # The access logger production runs with (bootstrap/runtime.py), not aiohttp's, which logs the query.
    server = TestServer(create_app(container))
    await server.start_server(access_log_class=StructuredAccessLogger)
    yield await aiohttp_client(server)


async def register(api: TestClient, telegram_id: int, username: str = "test_user") -> dict[str, Any]:
    body = {"telegram_id": telegram_id, "username": username, "first_name": "Test", "last_name": "User"}
    resp = await api.post("/users/", json=body, headers=BOT)
    assert resp.status in (200, 201), await resp.text()
    return await resp.json()


def connect_url(user_id: int, api_key: str, name: str = "Test Cabinet") -> str:
    return f"/wb/cabinets/?user_id={user_id}&api_key={api_key}&name={name.replace(' ', '%20')}"


async def test_post_users_creates_201_then_updates_200_stripping_the_at(
    api: TestClient, container: Any
) -> None:
    telegram_id = new_telegram_id()
    body = {"telegram_id": telegram_id, "username": "@test_user", "first_name": "Test", "last_name": "User"}
    created = await api.post("/users/", json=body, headers=BOT)
    again = await api.post("/users/", json={**body, "first_name": "Renamed"}, headers=BOT)

    assert (created.status, again.status) == (201, 200)
    first, second = await created.json(), await again.json()
    assert first["username"] == "test_user" and first["telegram_id"] == telegram_id
    assert set(first) == {
        "id",
        "telegram_id",
        "username",
        "first_name",
        "last_name",
        "created_at",
        "updated_at",
    }
    assert second["id"] == first["id"] and second["first_name"] == "Renamed"
    assert second["updated_at"] >= first["updated_at"] and second["created_at"] == first["created_at"]
    settings = "SELECT count(*) FROM notification_settings WHERE user_id = :c"
    assert await scalar(container, settings, first["id"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"telegram_id": 0}, "body.telegram_id"),
        ({"telegram_id": -5}, "body.telegram_id"),
        ({"telegram_id": 2**64}, "body.telegram_id"),
        ({"telegram_id": 1, "first_name": "x" * 65}, "body.first_name"),
        ({"telegram_id": 1, "username": "no spaces please"}, "body.username"),
        ({"username": "a"}, "body.telegram_id"),
    ],
)
async def test_post_users_rejects_bad_input_with_a_400_naming_it(
    api: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = await api.post("/users/", json=body, headers=BOT)
    assert resp.status == 400
    assert field in [d["field"] for d in (await resp.json())["error"]["details"]]


async def test_the_seed_walkthrough_of_shared_cabinets(
    api: TestClient, sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    one = await register(api, new_telegram_id())
    two = await register(api, new_telegram_id(), "second_user")

    created = await api.post(connect_url(one["id"], seller.key), headers=BOT)  # §0.3, the key in the query
    joined = await api.post(connect_url(two["id"], seller.key, "Team Cabinet"), headers=BOT)  # §5.2
    again = await api.post("/wb/cabinets/", json={"user_id": two["id"], "api_key": seller.key}, headers=BOT)

    assert (created.status, joined.status, again.status) == (201, 200, 200)
    document = await (await api.get("/openapi.json")).json()
    for resp in (created, joined, again):  # answers that need WB, checked against the document
        await assert_matches_document(document, "/wb/cabinets/", "POST", resp)
    c, j, a = await created.json(), await joined.json(), await again.json()
    assert (c["status"], j["status"], a["status"]) == ("created", "connected", "already_connected")
    assert c["cabinet_id"] == j["cabinet_id"] == a["cabinet_id"] and c["name"] == "Test Cabinet"
    assert "<b>Test Cabinet</b>" in c["telegram_text"] and c["message"]
    scheduler = await container.gateways.sync_scheduler()
    assert [str(i) for i in scheduler.requested] == [c["cabinet_id"]]  # the first sync, at once

    for user in (one, two):  # §5.3: both see the one cabinet, with both members
        listed = await api.get(f"/wb/cabinets/?user_id={user['id']}", headers=BOT)
        assert listed.status == 200
        body = await listed.json()
        [cabinet] = body["cabinets"]
        assert cabinet["id"] == c["cabinet_id"] and cabinet["members_count"] == 2
        assert cabinet["role"] == ("owner" if user is one else "member")
        assert cabinet["status"] == "active" and cabinet["token_expires_at"] and cabinet["categories"]
        assert len(cabinet["key_id"]) == 8 and seller.key not in await listed.text()
        assert body["total"] == 1 and "Test Cabinet" in body["telegram_text"]
    by_telegram = await api.get(f"/wb/cabinets/?telegram_id={two['telegram_id']}", headers=BOT)
    assert (await by_telegram.json())["cabinets"][0]["id"] == c["cabinet_id"]


async def test_an_invalid_key_is_a_400_with_the_reason_and_nothing_is_stored(
    api: TestClient, sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    user = await register(api, new_telegram_id())
    await seller.revoke()

    garbage = await api.post(connect_url(user["id"], "INVALID_KEY"), headers=BOT)  # §6.1
    revoked = await api.post(connect_url(user["id"], seller.key), headers=BOT)

    assert (garbage.status, revoked.status) == (400, 400)
    assert (await revoked.json())["error"]["code"] == "wb_key_rejected"
    listed = await (await api.get(f"/wb/cabinets/?user_id={user['id']}", headers=BOT)).json()
    assert listed["cabinets"] == []


async def test_wb_unreachable_is_a_503_and_nothing_is_stored(
    api: TestClient, sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    user = await register(api, new_telegram_id())
    await seller.faults(host_down=["seller_info"])

    resp = await api.post("/wb/cabinets/", json={"user_id": user["id"], "api_key": seller.key}, headers=BOT)

    assert resp.status == 503 and (await resp.json())["error"]["code"] == "wb_unavailable"
    listed = await (await api.get(f"/wb/cabinets/?user_id={user['id']}", headers=BOT)).json()
    assert listed["cabinets"] == []
    assert (await container.gateways.sync_scheduler()).requested == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/wb/cabinets/?user_id=987654321", 404),
        ("/wb/cabinets/?telegram_id=987654321987", 404),
        ("/wb/cabinets/", 400),
        ("/wb/cabinets/?user_id=1&telegram_id=2", 400),
        ("/wb/cabinets/?user_id=abc", 400),
    ],
)
async def test_list_needs_one_known_user(api: TestClient, url: str, status: int) -> None:
    resp = await api.get(url, headers=BOT)
    assert resp.status == status, await resp.text()


async def test_connect_for_an_unknown_user_is_404_and_without_a_key_400(
    api: TestClient, sim: TestClient
) -> None:
    seller = await new_seller(sim)
    unknown = await api.post(connect_url(987654321, seller.key), headers=BOT)
    keyless = await api.post("/wb/cabinets/?user_id=1", headers=BOT)
    clash = await api.post(connect_url(1, seller.key), json={"api_key": "other"}, headers=BOT)
    assert (unknown.status, keyless.status, clash.status) == (404, 400, 400)


async def test_leaving_and_the_last_member_marks_the_cabinet_for_deletion(
    api: TestClient, sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    one = await register(api, new_telegram_id())
    two = await register(api, new_telegram_id())
    other = await register(api, new_telegram_id())
    cabinet_id = (await (await api.post(connect_url(one["id"], seller.key), headers=BOT)).json())[
        "cabinet_id"
    ]
    await api.post(connect_url(two["id"], seller.key), headers=BOT)

    stranger = await api.delete(f"/wb/cabinets/{cabinet_id}?user_id={other['id']}", headers=BOT)
    unknown = await api.delete(f"/wb/cabinets/{uuid4()}?user_id={one['id']}", headers=BOT)
    first = await api.delete(f"/wb/cabinets/{cabinet_id}?user_id={two['id']}", headers=BOT)
    last = await api.delete(f"/wb/cabinets/{cabinet_id}?telegram_id={one['telegram_id']}", headers=BOT)
    twice = await api.delete(f"/wb/cabinets/{cabinet_id}?user_id={one['id']}", headers=BOT)

    assert (stranger.status, unknown.status, first.status, last.status, twice.status) == (
        403,
        404,
        200,
        200,
        403,
    )
    assert (await first.json())["delete_after"] is None
    assert (await last.json())["members_left"] == 0 and (await last.json())["delete_after"]
    marked = "SELECT delete_after IS NOT NULL FROM cabinets WHERE id = :c"
    assert await scalar(container, marked, cabinet_id) is True

    back = await api.post(connect_url(two["id"], seller.key), headers=BOT)
    assert (await back.json())["status"] == "connected" and await scalar(
        container, marked, cabinet_id
    ) is False


async def test_no_key_from_a_query_or_a_body_reaches_a_log_line_or_an_answer(
    api: TestClient, sim: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seller = await new_seller(sim)
    dead = await new_seller(sim)
    await dead.revoke()
    down = await new_seller(sim)
    await down.faults(host_down=["seller_info"])
    user = await register(api, new_telegram_id())
    keys = [seller.key, dead.key, down.key, "INVALID_KEY_0123456789"]
    answers = []
    for key in keys:
        answers.append(await api.post(connect_url(user["id"], key), headers=BOT))
        answers.append(
            await api.post("/wb/cabinets/", json={"user_id": user["id"], "api_key": key}, headers=BOT)
        )
        answers.append(await api.post(connect_url(987654321, key), headers=BOT))  # unknown user
        answers.append(await api.post(connect_url(user["id"], key) + "&user_id=x", headers=BOT))  # bad input
    answers.append(await api.get(f"/wb/cabinets/?user_id={user['id']}", headers=BOT))

    assert {a.status for a in answers} >= {200, 201, 400, 404, 503}
    texts = [await a.text() for a in answers] + [_everything(r) for r in caplog.records]
    ours = [r for r in caplog.records if r.name == "aiohttp.access" and "/wb/cabinets/" in r.getMessage()]
    assert len(ours) == len(answers)  # our access log lines were captured
    for key in keys:
        secret_parts = [key, *(p for p in key.split(".") if len(p) >= 16)]
        leaked = [t for t in texts for part in secret_parts if part in t]
        assert leaked == []


def _everything(record: logging.LogRecord) -> str:
    """The record's message and every attribute (extras, arguments, exception) as text."""
    exc = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
    return " ".join([record.getMessage(), repr(vars(record)), exc])
