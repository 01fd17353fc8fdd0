"""The webhook sender against the simulator's bot sink over loopback: what the bot receives, how each of
the bot's failures comes back, and that neither the secret nor the URL's query leaks."""

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.outbound.webhook_sender import WebhookBotGateway, generate_webhook_secret, parse_retry_after
from application.notifications.texts import telegram_text
from application.ports.notifications import OutgoingNotification
from bootstrap.net import free_port
from simulator.app import create_app

TELEGRAM_ID = 123456789
DATA = {"order_id": 999, "product_name": "Тестовый товар", "amount": 1500, "quantity": 1}


@pytest.fixture(name="sim")
async def sim_fixture() -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app())) as client:
        yield client


@pytest.fixture(name="secret")
async def secret_fixture(sim: TestClient) -> str:
    secret = generate_webhook_secret()
    await configure(sim, secret=secret)
    return secret


@pytest.fixture(name="session")
async def session_fixture() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def configure(sim: TestClient, **config: Any) -> dict:
    resp = await sim.post("/__sim/bot/config", json=config)
    assert resp.status == 200, await resp.text()
    return dict(await resp.json())


async def inbox(sim: TestClient, **query: Any) -> dict:
    resp = await sim.get("/__sim/bot/messages", params=query)
    assert resp.status == 200
    return dict(await resp.json())


def gateway(sim: TestClient, secret: str, session: aiohttp.ClientSession, **kw: Any) -> WebhookBotGateway:
    url = str(sim.make_url("/webhook/notifications/{telegram_id}")).replace("%7B", "{").replace("%7D", "}")
    return WebhookBotGateway(url + "?token=do-not-log", secret, session=session, **kw)


def notification(telegram_id: int = TELEGRAM_ID, **kw: Any) -> OutgoingNotification:
    values: dict[str, Any] = {
        "id": uuid4(),
        "type": "new_order",
        "data": DATA,
        "user_id": 7,
        "telegram_id": telegram_id,
        "telegram_text": telegram_text("new_order", DATA, is_test=True),
        "timestamp": datetime(2026, 1, 31, 12, 4, tzinfo=UTC),
        "is_test": True,
    }
    return OutgoingNotification(**{**values, **kw})


async def test_the_bot_receives_the_signed_notification_as_sent(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    sent = notification()
    result = await gateway(sim, secret, session).send(sent)
    assert result.ok and result.status == 200 and result.error is None
    assert result.duration_ms >= 0
    [got] = (await inbox(sim))["messages"]
    assert got["id"] == str(sent.id)  # the sink verified the signature, or it would not have stored it
    assert got["type"] == "new_order" and got["is_test"] is True
    assert got["telegram_id"] == TELEGRAM_ID and got["user_id"] == 7
    assert got["telegram_text"] == sent.telegram_text
    assert got["data"] == DATA
    assert got["timestamp"] == "2026-01-31T12:04:00+00:00"
    assert abs(got["webhook_timestamp"] - datetime.now(UTC).timestamp()) < 60  # signed when sent


async def test_a_wrong_secret_is_rejected_with_401(
    sim: TestClient, secret: str, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    other = generate_webhook_secret()
    caplog.set_level(logging.DEBUG, logger="adapters.outbound.webhook_sender")
    result = await gateway(sim, other, session).send(notification())
    assert not result.ok and result.status == 401
    assert result.error is not None and len(result.error) <= 220
    assert other not in result.error and secret not in result.error
    box = await inbox(sim)
    assert box["messages"] == [] and box["rejected"] == 1
    assert caplog.records, "every attempt is logged"
    assert all(other not in r.getMessage() and "do-not-log" not in r.getMessage() for r in caplog.records)


async def test_a_sink_without_a_secret_rejects_everything(
    sim: TestClient, session: aiohttp.ClientSession
) -> None:
    result = await gateway(sim, generate_webhook_secret(), session).send(notification())
    assert not result.ok and result.status == 401


async def test_a_bot_that_is_down_answers_503(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    await configure(sim, mode="down")
    result = await gateway(sim, secret, session).send(notification())
    assert not result.ok and result.status == 503 and result.retry_after_s is None
    assert result.error is not None and result.error.startswith("HTTP 503")


async def test_a_throttling_bot_gives_its_retry_after(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    await configure(sim, mode="429", retry_after=7)
    result = await gateway(sim, secret, session).send(notification())
    assert not result.ok and result.status == 429 and result.retry_after_s == 7
    assert (await inbox(sim))["messages"] == []


async def test_a_dropped_connection_has_no_status(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    await configure(sim, mode="close")
    result = await gateway(sim, secret, session).send(notification())
    assert not result.ok and result.status is None
    assert result.error is not None and "connection" in result.error


async def test_a_slow_bot_times_out(sim: TestClient, secret: str, session: aiohttp.ClientSession) -> None:
    await configure(sim, mode="slow", delay_ms=400)
    result = await gateway(sim, secret, session, timeout_s=0.1).send(notification())
    assert not result.ok and result.status is None
    assert result.error is not None and "timeout" in result.error
    assert 90 <= result.duration_ms < 400


async def test_a_refused_connection_says_so(session: aiohttp.ClientSession) -> None:
    url = f"http://127.0.0.1:{free_port()}/webhook/notifications/{{telegram_id}}?token=do-not-log"
    result = await WebhookBotGateway(url, generate_webhook_secret(), session=session).send(notification())
    assert not result.ok and result.status is None
    assert result.error is not None and "refused" in result.error and "do-not-log" not in result.error


async def test_the_same_id_twice_is_stored_once(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    sent, bot = notification(), gateway(sim, secret, session)
    assert (await bot.send(sent)).ok
    assert (await bot.send(sent)).ok  # a retry after a lost answer: the bot says fine, and keeps one
    box = await inbox(sim)
    assert len(box["messages"]) == 1 and box["duplicates"] == 1 and box["requests"] == 2


async def test_the_telegram_id_goes_into_the_url_and_a_mismatch_is_refused(
    sim: TestClient, secret: str, session: aiohttp.ClientSession
) -> None:
    bot = gateway(sim, secret, session)
    assert (await bot.send(notification(telegram_id=111))).ok
    assert (await bot.send(notification(telegram_id=222))).ok
    assert [m["telegram_id"] for m in (await inbox(sim, telegram_id=222))["messages"]] == [222]
    fixed = str(sim.make_url("/webhook/notifications/111"))
    result = await WebhookBotGateway(fixed, secret, session=session).send(notification(telegram_id=222))
    assert not result.ok and result.status == 400


async def test_a_gateway_without_a_session_opens_and_closes_its_own(sim: TestClient, secret: str) -> None:
    url = str(sim.make_url("/webhook/notifications/")) + str(TELEGRAM_ID)
    bot = WebhookBotGateway(url, secret)
    assert (await bot.send(notification())).ok
    await bot.close()
    assert (await bot.send(notification())).ok  # reopened on use after close
    await bot.close()


async def test_messages_since_and_clear(sim: TestClient, secret: str, session: aiohttp.ClientSession) -> None:
    bot = gateway(sim, secret, session)
    await bot.send(notification())
    [first] = (await inbox(sim))["messages"]
    await bot.send(notification())
    assert len((await inbox(sim, since=first["received_at"]))["messages"]) == 1
    resp = await sim.delete("/__sim/bot/messages")
    assert (await resp.json())["cleared"] == 2
    assert (await inbox(sim)) == {"messages": [], "duplicates": 0, "rejected": 0, "requests": 0}


async def test_the_sink_prints_the_chat_view_when_asked(
    sim: TestClient, secret: str, session: aiohttp.ClientSession, capsys: pytest.CaptureFixture[str]
) -> None:
    await configure(sim, print=True)
    await gateway(sim, secret, session).send(notification())
    out = capsys.readouterr().out
    assert f"chat {TELEGRAM_ID}" in out and "🧪 Тестовое уведомление" in out and "<b>" not in out


async def test_bad_sink_config_is_refused(sim: TestClient) -> None:
    for body in ({"mode": "sideways"}, {"secret": "whsec_!!"}, {"delay_ms": -1}, {"colour": "red"}):
        resp = await sim.post("/__sim/bot/config", json=body)
        assert resp.status == 400, body
    assert (await configure(sim))["secret_set"] is False


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7
    assert parse_retry_after("1.5", now) == 1.5
    assert parse_retry_after("Sat, 31 Jan 2026 12:00:30 GMT", now) == 30
    assert parse_retry_after("Sat, 31 Jan 2026 11:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_secrets_are_standard_webhooks_secrets_and_never_shown() -> None:
    secret = generate_webhook_secret()
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 44
    assert secret != generate_webhook_secret()
    bot = WebhookBotGateway("http://bot.local/hook?token=do-not-log", secret)
    assert secret not in repr(bot) and "do-not-log" not in repr(bot)
    with pytest.raises(ValueError, match="must be 'whsec_' followed by base64"):
        WebhookBotGateway("http://bot.local/hook", "whsec_")


def test_each_attempt_is_signed_at_its_own_time() -> None:
    clock = [datetime(2026, 1, 31, 12, 0, 5, tzinfo=UTC)]
    bot = WebhookBotGateway("http://bot.local/hook", generate_webhook_secret(), now=lambda: clock[0])
    first = bot.signed_headers("msg-1", "{}")
    assert first["webhook-id"] == "msg-1" and first["webhook-timestamp"] == str(int(clock[0].timestamp()))
    assert first["webhook-signature"].startswith("v1,")
    clock[0] += timedelta(hours=3)  # a retry hours later must still pass the bot's 5-minute tolerance
    later = bot.signed_headers("msg-1", "{}")
    assert int(later["webhook-timestamp"]) - int(first["webhook-timestamp"]) == 3 * 3600
    assert later["webhook-signature"] != first["webhook-signature"]
