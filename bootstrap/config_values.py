"""Parsers for single settings. Each takes the variable's name and its (stripped, non-empty) text and
returns the value or raises ConfigError naming the variable. Reasons quote a value only when it cannot
be a secret, and then only its first characters."""

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import SplitResult, urlsplit

from adapters.outbound.postgres.url import redact_url, to_sqlalchemy_url
from bootstrap.errors import ConfigError

T = TypeVar("T")

_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
_AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
_REDIS_DB_PATH = re.compile(r"/?\d*")
FERNET_HINT = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def shown(value: str) -> str:
    """A non-secret value as quoted in an error: repr, cut to 40 characters."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def optional(env: Mapping[str, str], name: str, parse: Callable[[str, str], T]) -> T | None:
    value = env.get(name)
    return None if value is None else parse(name, value)


def integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name)
    if text is None:
        return default
    try:
        value = int(text, 10)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ConfigError(name, f"must be an integer between {low} and {high} (got {shown(text)})")
    return value


def fraction(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A decimal number in (low, high]."""
    text = env.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not low < value <= high:
        raise ConfigError(name, f"must be a number above {low:g} and at most {high:g} (got {shown(text)})")
    return value


def choice(env: Mapping[str, str], name: str, default: str, options: Sequence[str]) -> str:
    value = env.get(name, default).upper()
    if value not in options:
        raise ConfigError(name, f"must be one of {', '.join(options)} (got {shown(env[name])})")
    return value


def host(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, default)
    if len(value) > 253 or not _VISIBLE_ASCII.fullmatch(value) or "/" in value:
        raise ConfigError(name, f"must be a host name or IP address (got {shown(value)})")
    return value


def postgres_url(name: str, value: str) -> str:
    try:
        to_sqlalchemy_url(value)
        urlsplit(value)
    except ValueError as exc:
        reason = f"must be a PostgreSQL URL such as postgresql://user:pass@host/db ({exc})"
        raise ConfigError(name, reason) from None
    return value


def redis_url(name: str, value: str) -> str:
    parts = _split(name, value)
    if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.scheme == "unix"):
        raise ConfigError(name, "must be a Redis URL such as redis://127.0.0.1:6379/0")
    if parts.scheme != "unix" and not _REDIS_DB_PATH.fullmatch(parts.path):
        raise ConfigError(name, "the path of a Redis URL is a database number, e.g. redis://host:6379/0")
    _port(name, parts)
    return value


def http_url(name: str, value: str) -> str:
    parts = _split(name, value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(name, f"must be an http:// or https:// URL (got {shown(redact_url(value))})")
    _port(name, parts)
    return value.rstrip("/")


WHSEC_HINT = (
    'python -c "import base64, secrets; '
    "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\""
)


def auth_scheme(name: str, value: str) -> str:
    if not _AUTH_SCHEME.fullmatch(value):
        raise ConfigError(name, f"must be an HTTP auth scheme word such as Bearer (got {shown(value)})")
    return value


def header_token(name: str, value: str, *, min_length: int) -> str:
    long_secret(name, value, min_length=min_length)
    if not _VISIBLE_ASCII.fullmatch(value):
        raise ConfigError(name, "must be printable ASCII without spaces (it travels in an HTTP header)")
    return value


def long_secret(name: str, value: str, *, min_length: int) -> str:
    if len(value) < min_length:
        raise ConfigError(name, f"must be at least {min_length} characters long (got {len(value)})")
    return value


def webhook_secret(name: str, value: str) -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of at least 24 random bytes."""
    body = value.removeprefix("whsec_")
    try:
        raw = base64.b64decode(body.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if not value.startswith("whsec_") or len(raw) < 24:
        reason = (
            "must be a Standard Webhooks secret (whsec_ + base64 of >= 24 bytes); "
            f"make one with: {WHSEC_HINT}"
        )
        raise ConfigError(name, reason)
    return value


_TELEGRAM_BOT_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{30,}")
_TELEGRAM_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]", re.ASCII)


def telegram_bot_token(name: str, value: str) -> str:
    """A bot token as @BotFather gives it: `<bot id>:<secret>`. The value is never echoed."""
    if not _TELEGRAM_BOT_TOKEN.fullmatch(value):
        raise ConfigError(name, "must be a Telegram bot token as @BotFather gives it (<digits>:<secret>)")
    return value


def telegram_bot_username(name: str, value: str) -> str:
    """A bot's @username without the @: 5 to 32 letters, digits or underscores, ending in "bot"."""
    name_only = value.removeprefix("@")
    if not _TELEGRAM_BOT_USERNAME.fullmatch(name_only):
        raise ConfigError(name, "must be a bot's username (5-32 letters, digits or _, ending in bot)")
    return name_only


def fernet_key(name: str, value: str) -> str:
    try:
        raw = base64.b64decode(value.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        reason = f"must be a Fernet key (url-safe base64 of 32 bytes); make one with: {FERNET_HINT}"
        raise ConfigError(name, reason)
    return value


def redacted_url_repr(url: str | None) -> str:
    return repr(None if url is None else redact_url(url))


def _split(name: str, value: str) -> SplitResult:
    try:
        return urlsplit(value)
    except ValueError:
        raise ConfigError(name, "is not a valid URL") from None


def _port(name: str, parts: SplitResult) -> None:
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ConfigError(name, "has an invalid port number") from None
