"""Log lines are JSON, carry the request id, and never contain a secret, however it got into the record."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bootstrap.logging import MASK, bind_request_id, configure_logging, json_handler

CONFIGURED_SECRET = "CnWvwoDwwGKh-jwt-secret-value"
# Shaped like a WB API key: a JWT (header.payload.signature, base64url).
WB_KEY = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjUwOTA0djEiLCJ0eXAiOiJKV1QifQ"
    ".eyJlbnQiOjEsImV4cCI6MTc4MDAwMDAwMCwiaWQiOiIwMTkyIiwic2lkIjoiYWJjIn0"
    ".MEUCIQDd3Yb0v6n2yXo4N_9Vq1s8kHc-8xZ1"
)


@pytest.fixture
def emitted() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    handler = json_handler([CONFIGURED_SECRET], stream)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_configured_secret_is_masked_in_message_args_and_extra(emitted) -> None:
    logger, stream = emitted
    logger.info("using %s", CONFIGURED_SECRET, extra={"detail": f"key={CONFIGURED_SECRET}"})
    (record,) = records(stream)
    assert CONFIGURED_SECRET not in stream.getvalue()
    assert record["message"] == f"using {MASK}"


def test_jwt_looking_strings_are_masked(emitted) -> None:
    logger, stream = emitted
    logger.warning("WB answered 401 for key %s", WB_KEY, extra={"payload": {"token": WB_KEY, "n": 1}})
    logger.info(f"inline {WB_KEY[:-3]}!")  # no trailing context needed either
    text = stream.getvalue()
    assert WB_KEY not in text and WB_KEY[:-3] not in text
    assert records(stream)[0]["payload"] == {"token": MASK, "n": 1}


def test_authorization_header_values_are_masked(emitted) -> None:
    logger, stream = emitted
    headers = {"Authorization": "Bearer opaque-token-123", "Accept": "application/json"}
    logger.info("request headers", extra={"headers": headers})
    logger.info("raw header line Authorization: Basic dXNlcjpwYXNz, next")
    logger.info("X-API-SECRET-KEY: opaque-shared-key-1")
    text = stream.getvalue()
    for value in ("opaque-token-123", "dXNlcjpwYXNz", "opaque-shared-key-1"):
        assert value not in text
    assert records(stream)[0]["headers"] == {"Authorization": MASK, "Accept": "application/json"}


def test_passwords_in_urls_are_masked(emitted) -> None:
    logger, stream = emitted
    logger.error("cannot connect to %s", "postgresql://wbpulse:pg-pass-9@db:5432/wbpulse")
    extra = {"dsn": "x?password=q-pass-9&a=1"}
    logger.error("redis at %s", "redis://:redis-pass-9@cache:6379/0", extra=extra)
    text = stream.getvalue()
    assert "pg-pass-9" not in text and "redis-pass-9" not in text and "q-pass-9" not in text
    assert "postgresql://wbpulse:[REDACTED]@db:5432/wbpulse" in text


def test_tracebacks_are_masked_too(emitted) -> None:
    logger, stream = emitted
    try:
        raise RuntimeError(f"failed with {WB_KEY} and {CONFIGURED_SECRET}")
    except RuntimeError:
        logger.exception("job failed")
    (record,) = records(stream)
    assert "RuntimeError" in str(record["exc_info"])
    assert WB_KEY not in stream.getvalue() and CONFIGURED_SECRET not in stream.getvalue()


def test_ordinary_text_is_left_alone(emitted) -> None:
    logger, stream = emitted
    message = "synced marketplace-api.wildberries.ru in 1.5 s; token_expires_at checked; cabinet 42"
    logger.info(message)
    assert records(stream)[0]["message"] == message


def test_request_id_is_on_every_record_while_bound(emitted) -> None:
    logger, stream = emitted
    unbind = bind_request_id("req-42")
    logger.info("inside")
    unbind()
    logger.info("outside")
    inside, outside = records(stream)
    assert inside["request_id"] == "req-42" and outside["request_id"] is None
    assert {"level", "logger", "message", "timestamp"} <= inside.keys()


def test_configure_logging_installs_one_json_handler_on_the_root() -> None:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        configure_logging("WARNING", [CONFIGURED_SECRET], stream)
        configure_logging("WARNING", [CONFIGURED_SECRET], stream)  # again: replaces, does not add
        logging.getLogger("some.library").warning("leaked %s", CONFIGURED_SECRET)
        logging.getLogger("some.library").info("below the level")
        assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == [f"leaked {MASK}"]
        assert len([h for h in root.handlers if h.get_name() == "wbpulse-json"]) == 1
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
        root.setLevel(level)
