"""The bot, reached by a signed webhook: one POST per notification, signed the Standard Webhooks way.

`BOT_WEBHOOK_URL` may hold `{telegram_id}` (a bot listening on `/webhook/notifications/{telegram_id}`).
The body is JSON (`id`, `type`, `data`, `user_id`, `telegram_id`, `telegram_text`, `timestamp`, `is_test`);
the `standardwebhooks` library signs it (`webhook-id` is the notification's id, so a bot dedupes retries by
it; `webhook-timestamp` is the attempt's time, so a retry hours later still passes the receiver's
5-minute tolerance). The bot's failures come back as a result, never as an exception, and neither the
secret nor the URL's query string is ever logged or put in an error.
"""

import base64
import email.utils
import errno
import json
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from math import floor
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from standardwebhooks.webhooks import Webhook

from application.ports.notifications import DeliveryResult, OutgoingNotification

log = logging.getLogger(__name__)

_ERROR_BODY_CHARS = 200
_RETRY_AFTER_STATUSES = frozenset({429, 503})


def generate_webhook_secret() -> str:
    """A fresh Standard Webhooks secret: "whsec_" + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def webhook_body(notification: OutgoingNotification) -> str:
    """The JSON body as sent (and signed)."""
    at = notification.timestamp
    at = at.replace(tzinfo=UTC) if at.utcoffset() is None else at.astimezone(UTC)
    body = {
        "id": str(notification.id),
        "type": notification.type,
        "data": _plain(notification.data),
        "user_id": notification.user_id,
        "telegram_id": notification.telegram_id,
        "telegram_text": notification.telegram_text,
        "timestamp": at.isoformat(),
        "is_test": notification.is_test,
    }
    return json.dumps(body, ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    """Mappings (a frozen payload's MappingProxyType too) as dicts and tuples as lists, for json."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class WebhookBotGateway:
    """`BotGateway` over HTTP. `session`: the process's ClientSession; without one the gateway opens its
    own (at most 100 connections) on first use, and `close()` closes it."""

    def __init__(
        self,
        url_template: str,
        secret: str,
        timeout_s: float = 10,
        session: aiohttp.ClientSession | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        try:
            self._webhook = Webhook(secret)
        except (
            Exception
        ):  # the library raises binascii.Error, EmptyWebhookSecretError…: never echo the secret
            raise ValueError("the webhook secret must be 'whsec_' followed by base64") from None
        self._url_template = url_template
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._timeout_s = timeout_s
        self._session = session
        self._owns_session = session is None
        self._now = now

    def __repr__(self) -> str:
        return f"WebhookBotGateway({safe_url(self._url_template)!r})"

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    def url_for(self, telegram_id: int) -> str:
        return self._url_template.replace("{telegram_id}", str(telegram_id))

    def signed_headers(self, msg_id: str, body: str) -> dict[str, str]:
        at = self._now().astimezone(UTC)
        return {
            "content-type": "application/json; charset=utf-8",
            "webhook-id": msg_id,
            "webhook-timestamp": str(floor(at.timestamp())),
            "webhook-signature": self._webhook.sign(msg_id, at, body),
        }

    async def send(self, notification: OutgoingNotification) -> DeliveryResult:
        body = webhook_body(notification)
        headers = self.signed_headers(str(notification.id), body)
        url = self.url_for(notification.telegram_id)
        started = time.monotonic()
        try:
            result = await self._post(url, body, headers, started)
        except Exception as exc:  # the port promises a result, never a raise
            result = DeliveryResult(
                ok=False, status=None, duration_ms=_ms(started), error=self._describe(exc)
            )
        log.debug(
            "webhook %s to %s: status=%s ok=%s %d ms %s",
            notification.id,
            safe_url(url),
            result.status,
            result.ok,
            result.duration_ms,
            result.error or "",
        )
        return result

    async def _post(self, url: str, body: str, headers: dict[str, str], started: float) -> DeliveryResult:
        session = self._session_for_use()
        data = body.encode("utf-8")
        kw: dict[str, Any] = {"headers": headers, "timeout": self._timeout, "allow_redirects": False}
        async with session.post(url, data=data, **kw) as resp:
            if 200 <= resp.status < 300:
                await _drain(resp)
                return DeliveryResult(ok=True, status=resp.status, duration_ms=_ms(started))
            snippet = await _snippet(resp)
            retry_after = None
            if resp.status in _RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._now())
            error = f"HTTP {resp.status}" + (f": {snippet}" if snippet else "")
            return DeliveryResult(
                ok=False, status=resp.status, duration_ms=_ms(started), error=error, retry_after_s=retry_after
            )

    def _session_for_use(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            if not self._owns_session:
                raise RuntimeError("the shared ClientSession is closed")
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        return self._session

    def _describe(self, exc: BaseException) -> str:
        """A short reason that names what went wrong without quoting the URL (its query may hold a key)."""
        if isinstance(exc, TimeoutError):
            return f"timeout after {self._timeout_s:g} s"
        if isinstance(exc, aiohttp.ClientConnectorError):
            if exc.os_error.errno == errno.ECONNREFUSED:
                return f"connection refused by {exc.host}:{exc.port}"
            reason = exc.os_error.strerror or type(exc.os_error).__name__
            return f"cannot connect to {exc.host}:{exc.port}: {reason}"
        if isinstance(exc, aiohttp.ServerDisconnectedError):
            return "connection closed by the bot before it answered"
        if isinstance(exc, aiohttp.ClientOSError):
            return f"connection error: {exc.strerror or 'reset'}"
        if isinstance(exc, aiohttp.InvalidURL):
            return "invalid bot webhook URL"
        return f"{type(exc).__name__} while sending"


def safe_url(url: str) -> str:
    """The URL without its query, fragment and credentials, fit for a log."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP-date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            at = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        seconds = (at - now).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(seconds, 0.0)


async def _drain(resp: aiohttp.ClientResponse) -> None:
    """Read the answer so the connection can be reused; the bot has accepted whatever follows."""
    try:
        await resp.read()
    except (aiohttp.ClientError, TimeoutError):
        pass


async def _snippet(resp: aiohttp.ClientResponse) -> str:
    try:
        raw = await resp.content.read(_ERROR_BODY_CHARS * 4)
    except (aiohttp.ClientError, TimeoutError):
        return ""
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= _ERROR_BODY_CHARS else text[: _ERROR_BODY_CHARS - 1] + "…"


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
