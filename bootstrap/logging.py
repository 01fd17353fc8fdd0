"""Logs on stderr, with secrets masked and the current request id on every record.

Services log one JSON object per line; on a terminal (or with LOG_FORMAT=console) each record is one
readable line instead: time, level, message, extras as key=value, a traceback indented below.

Redaction runs on the finished record (message with its args merged, extras, formatted traceback), just
before output, in both formats, so whatever path a secret took into a log line it is masked there. It
masks the configured secret values, JWT-looking strings (WB API keys are JWTs), Authorization-style header
values, `password=`-style pairs and passwords in URLs.
"""

import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import IO, Any
from uuid import UUID

from pythonjsonlogger.json import JsonFormatter

MASK = "[REDACTED]"
LOG_FORMATS = ("json", "console", "auto")
HANDLER_NAME = "wbpulse"
request_id_var: ContextVar[str | None] = ContextVar("wbpulse_request_id", default=None)

_JWT = re.compile(
    r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}"  # a JWT header always starts {"
    r"|\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}"
)
# Names whose value is masked where they appear as `name: value` / `name=value` in text...
_SENSITIVE_NAMES = (
    r"proxy-authorization|authorization|x-api-secret-key|set-cookie|cookie|password|passwd"
    r"|api[_-]?key|access[_-]?token|refresh[_-]?token|api_secret_key|jwt_secret|webhook_secret"
    r"|encryption_key|client_secret"
)
_HEADER_VALUE = re.compile(rf"(?i)\b({_SENSITIVE_NAMES})([\"']?\s*[:=]\s*[\"']?)([^\"'\r\n,;&}}]+)")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/?#@]*:)([^\s@/?#]+)(@)")
# ...and, more broadly, as keys of structured extras (headers, payloads).
_SENSITIVE_KEY = re.compile(rf"(?i)^({_SENSITIVE_NAMES}|.*secret.*|.*password.*|(.*[_-])?token)$")
_SAFE_TYPES = (bool, int, float, Decimal, datetime, date, UUID, Enum, type(None))
# What every record has; anything else on a record came in through `extra=` (or a filter).
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_NEEDS_QUOTES = re.compile(r'[\s"=]')


def bind_request_id(value: str) -> Callable[[], None]:
    """Put `value` on every log record of the current context; returns the function that undoes it."""
    token = request_id_var.set(value)
    return lambda: request_id_var.reset(token)


class Redactor:
    """Masks secrets in text and, recursively, in the values of mappings and sequences."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole. Tiny values would mask noise.
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _JWT.sub(MASK, text)
        text = _URL_PASSWORD.sub(lambda m: f"{m[1]}{MASK}{m[3]}", text)
        return _HEADER_VALUE.sub(lambda m: f"{m[1]}{m[2]}{MASK}", text)

    def value(self, value: object, key: object = None) -> object:
        if isinstance(key, str) and _SENSITIVE_KEY.match(key) and value not in (None, ""):
            return MASK
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, _SAFE_TYPES):
            return value
        if isinstance(value, Mapping):
            return {str(k): self.value(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.value(item) for item in value]
        return self.text(str(value))


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) unless the record already carries one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class RedactingJsonFormatter(JsonFormatter):
    """python-json-logger's formatter with every field passed through a Redactor."""

    def __init__(self, redactor: Redactor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._redactor = redactor

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: self._redactor.value(value, key) for key, value in log_data.items()}


class RedactingConsoleFormatter(logging.Formatter):
    """One readable line per record (`12:03:04 INFO  message  key=value ...`), masked like the JSON."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        head = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<5} "
        line = head + self._redactor.text(record.getMessage())
        pairs = [f"{key}={_shown(self._redactor.value(value, key))}" for key, value in _extras(record)]
        if pairs:
            line += "  " + " ".join(pairs)
        return line + "".join(f"\n    {text}" for text in self._detail_lines(record))

    def _detail_lines(self, record: logging.LogRecord) -> list[str]:
        # Formatted here rather than through record.exc_text, which another handler may have cached unmasked.
        details = []
        if record.exc_info:
            details.append(self.formatException(record.exc_info))
        if record.stack_info:
            details.append(self.formatStack(record.stack_info))
        return self._redactor.text("\n".join(details)).splitlines()


def _extras(record: logging.LogRecord) -> list[tuple[str, object]]:
    """The record's extras in the order they were given, then request_id when one is bound."""
    pairs = [(k, v) for k, v in vars(record).items() if k not in _STANDARD_ATTRS and k != "request_id"]
    request_id = getattr(record, "request_id", None)
    return pairs if request_id is None else [*pairs, ("request_id", request_id)]


def _shown(value: object) -> str:
    """A (redacted) extra as it reads after `key=`: bare when unambiguous, else JSON-quoted."""
    if isinstance(value, str):
        return value if value and not _NEEDS_QUOTES.search(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def json_handler(secrets: Iterable[str] = (), stream: IO[str] | None = None) -> logging.Handler:
    """A stderr (or `stream`) handler writing one redacted JSON object per record."""
    formatter = RedactingJsonFormatter(
        Redactor(secrets),
        fmt=["levelname", "name", "message", "request_id"],
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
    )
    return _handler(formatter, stream)


def console_handler(secrets: Iterable[str] = (), stream: IO[str] | None = None) -> logging.Handler:
    """A stderr (or `stream`) handler writing one redacted readable line per record."""
    return _handler(RedactingConsoleFormatter(Redactor(secrets)), stream)


def _handler(formatter: logging.Formatter, stream: IO[str] | None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter)
    handler.set_name(HANDLER_NAME)
    return handler


def resolve_format(fmt: str, stream: IO[str]) -> str:
    """`json` or `console`; `auto` means console when `stream` is a terminal (a person reads it)."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)} (got {fmt!r})")
    if fmt == "auto":
        return "console" if stream.isatty() else "json"
    return fmt


def configure_logging(
    level: str, secrets: Iterable[str] = (), stream: IO[str] | None = None, fmt: str = "auto"
) -> None:
    """Route every logger to one handler on stderr (replacing one set up before) at `level`, writing
    `fmt` (json, console, or auto: console on a terminal). Raises ValueError for an unknown format."""
    stream = stream or sys.stderr
    make = console_handler if resolve_format(fmt, stream) == "console" else json_handler
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(make(secrets, stream))
    root.setLevel(level)
    # Alembic announces its plugins and dialect at INFO on every start; only its warnings matter to us.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    logging.captureWarnings(True)
