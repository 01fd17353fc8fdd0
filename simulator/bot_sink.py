"""A fake Telegram bot that wb-pulse delivers notifications to (see simulator/README.md, "Bot sink").

`POST /webhook/notifications/{telegram_id}` is where a real bot listens: the sink checks the Standard
Webhooks signature (401 until a secret is configured, and for a bad one), refuses a body whose
`telegram_id` differs from the path's (400), stores each `id` once (a repeat answers 200 and counts as a
duplicate) and, with `print` on, shows the message as the chat would. Its `mode` plays a bot that is down
(503), throttling (429), dropping connections or slow. Control: `/__sim/bot/config` and
`/__sim/bot/messages`.
"""

import asyncio
import html
import json
import re
import time
from dataclasses import dataclass, field

from aiohttp import web
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MODES = ("up", "down", "429", "slow", "close")
_CONFIG_KEYS = {"secret", "print", "mode", "retry_after", "delay_ms"}
_TAG = re.compile(r"<[^>]*>")


@dataclass(slots=True)
class BotSink:
    webhook: Webhook | None = None
    print_messages: bool = False
    mode: str = "up"
    retry_after: float | None = None
    delay_ms: int = 0
    messages: list[dict] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    duplicates: int = 0
    rejected: int = 0
    requests: int = 0

    def describe(self) -> dict:
        return {
            "secret_set": self.webhook is not None,
            "print": self.print_messages,
            "mode": self.mode,
            "retry_after": self.retry_after,
            "delay_ms": self.delay_ms,
        }

    def configure(self, body: dict) -> None:
        """Apply the keys given (the others keep their values); ValueError names a bad one."""
        unknown = set(body) - _CONFIG_KEYS
        if unknown:
            raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
        if body.get("mode", self.mode) not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        retry_after = body.get("retry_after", self.retry_after)
        if retry_after is not None and (isinstance(retry_after, bool) or float(retry_after) < 0):
            raise ValueError("retry_after must be seconds >= 0 or null")
        delay_ms = int(body.get("delay_ms", self.delay_ms))
        if delay_ms < 0:
            raise ValueError("delay_ms must be >= 0")
        if "secret" in body:
            self.webhook = _webhook(body["secret"])
        self.print_messages = bool(body.get("print", self.print_messages))
        self.mode = body.get("mode", self.mode)
        self.retry_after = None if retry_after is None else float(retry_after)
        self.delay_ms = delay_ms

    def clear(self) -> int:
        n = len(self.messages)
        self.messages.clear()
        self.ids.clear()
        self.duplicates = self.rejected = self.requests = 0
        return n


BOT = web.AppKey("bot_sink", BotSink)


def _webhook(secret: object) -> Webhook | None:
    if secret is None:
        return None
    if not isinstance(secret, str):
        raise ValueError("secret must be a string 'whsec_<base64>' or null")
    try:
        return Webhook(secret)
    except Exception:
        raise ValueError("secret must be 'whsec_' followed by base64") from None


def _json(body, status: int = 200, headers: dict | None = None) -> web.Response:
    text = json.dumps(body, ensure_ascii=False)
    return web.Response(status=status, text=text, content_type="application/json", headers=headers)


def _retry_headers(sink: BotSink) -> dict | None:
    return None if sink.retry_after is None else {"Retry-After": f"{sink.retry_after:g}"}


def _reject(sink: BotSink, status: int, message: str) -> web.Response:
    sink.rejected += 1
    return _json({"ok": False, "error": message}, status)


async def receive(request: web.Request) -> web.StreamResponse:
    sink = request.app[BOT]
    sink.requests += 1
    if sink.mode == "close":
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=503)
    if sink.mode == "down":
        return _json({"ok": False, "error": "bot is down"}, 503, _retry_headers(sink))
    if sink.mode == "429":
        return _json({"ok": False, "error": "too many requests"}, 429, _retry_headers(sink))
    if sink.mode == "slow":
        await asyncio.sleep(sink.delay_ms / 1000)
    if sink.webhook is None:
        return _reject(sink, 401, "no webhook secret configured")
    raw = await request.read()
    try:
        sink.webhook.verify(raw, dict(request.headers), json_parse=False)
    except (WebhookVerificationError, ValueError) as exc:  # ValueError: a malformed signature header
        return _reject(sink, 401, f"signature not verified: {exc}")
    try:
        body = json.loads(raw)
    except ValueError:
        return _reject(sink, 400, "body is not JSON")
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return _reject(sink, 400, "body must be an object with a string id")
    if str(body.get("telegram_id")) != request.match_info["telegram_id"]:
        return _reject(sink, 400, "telegram_id in the body differs from the path's")
    if body["id"] in sink.ids:
        sink.duplicates += 1
        return _json({"ok": True, "duplicate": True})
    message = _message(body, request.headers["webhook-timestamp"])
    sink.ids.add(body["id"])
    sink.messages.append(message)
    if sink.print_messages:
        print(chat_view(message), flush=True)
    return _json({"ok": True})


def _message(body: dict, webhook_timestamp: str) -> dict:
    keys = ("id", "type", "telegram_id", "user_id", "telegram_text", "is_test", "data", "timestamp")
    return {
        **{key: body.get(key) for key in keys},
        "received_at": time.time(),
        "webhook_timestamp": int(float(webhook_timestamp)),
    }


def chat_view(message: dict) -> str:
    """The message as the chat shows it: the time, the chat id, then the text without its HTML."""
    text = html.unescape(_TAG.sub("", str(message.get("telegram_text") or "")))
    at = time.strftime("%H:%M:%S", time.localtime(message["received_at"]))
    return f"[{at}] chat {message.get('telegram_id')}\n{text}\n"


async def get_messages(request: web.Request) -> web.Response:
    sink = request.app[BOT]
    messages = sink.messages
    telegram_id = request.query.get("telegram_id")
    if telegram_id:
        messages = [m for m in messages if str(m.get("telegram_id")) == telegram_id]
    if request.query.get("since"):
        try:
            since = float(request.query["since"])
        except ValueError:
            return _json({"error": "since must be a unix time in seconds"}, 400)
        messages = [m for m in messages if m["received_at"] > since]
    counters = {"duplicates": sink.duplicates, "rejected": sink.rejected, "requests": sink.requests}
    return _json({"messages": messages, **counters})


async def clear_messages(request: web.Request) -> web.Response:
    return _json({"cleared": request.app[BOT].clear()})


async def set_config(request: web.Request) -> web.Response:
    sink = request.app[BOT]
    try:
        raw = await request.read()
        body = json.loads(raw) if raw.strip() else {}
        if not isinstance(body, dict):
            raise ValueError("body must be a JSON object")
        sink.configure(body)
    except (ValueError, TypeError) as exc:
        return _json({"error": str(exc)}, 400)
    return _json(sink.describe())


async def get_config(request: web.Request) -> web.Response:
    return _json(request.app[BOT].describe())


def add_routes(app: web.Application) -> None:
    app[BOT] = BotSink()
    app.router.add_post("/webhook/notifications/{telegram_id}", receive)
    app.router.add_post("/__sim/bot/config", set_config)
    app.router.add_get("/__sim/bot/config", get_config)
    app.router.add_get("/__sim/bot/messages", get_messages)
    app.router.add_delete("/__sim/bot/messages", clear_messages)
