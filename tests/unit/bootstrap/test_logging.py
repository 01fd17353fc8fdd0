"""Log lines are JSON (or, for a person at a terminal, readable lines), carry the request id, and never
contain a secret, however it got into the record."""

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bootstrap.logging import MASK, bind_request_id, configure_logging, console_handler, json_handler

CONFIGURED_SECRET = "CnWvwoDwwGKh-jwt-secret-value"
# Shaped like a WB API key: a JWT (header.payload.signature, base64url).
WB_KEY = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjUwOTA0djEiLCJ0eXAiOiJKV1QifQ"
    ".eyJlbnQiOjEsImV4cCI6MTc4MDAwMDAwMCwiaWQiOiIwMTkyIiwic2lkIjoiYWJjIn0"
    ".MEUCIQDd3Yb0v6n2yXo4N_9Vq1s8kHc-8xZ1"
)


class TerminalStream(io.StringIO):
    """A stream that says it is a terminal, as stderr does when a person runs wbpulse by hand."""

    def isatty(self) -> bool:
        return True


def _attached(handler: logging.Handler) -> Iterator[logging.Logger]:
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger
    logger.removeHandler(handler)


@pytest.fixture
def emitted() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    for logger in _attached(json_handler([CONFIGURED_SECRET], stream)):
        yield logger, stream


@pytest.fixture
def console() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    for logger in _attached(console_handler([CONFIGURED_SECRET], stream)):
        yield logger, stream


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


@pytest.fixture
def root_restored() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield root
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
    root.setLevel(level)


def test_configure_logging_installs_one_json_handler_on_the_root(root_restored) -> None:
    stream = io.StringIO()
    configure_logging("WARNING", [CONFIGURED_SECRET], stream)
    configure_logging("WARNING", [CONFIGURED_SECRET], stream)  # again: replaces, does not add
    logging.getLogger("some.library").warning("leaked %s", CONFIGURED_SECRET)
    logging.getLogger("some.library").info("below the level")
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == [f"leaked {MASK}"]
    assert len([h for h in root_restored.handlers if h.get_name() == "wbpulse"]) == 1


def test_switching_format_replaces_the_handler_set_up_before(root_restored) -> None:
    json_stream, console_stream = io.StringIO(), io.StringIO()
    configure_logging("INFO", (), json_stream, fmt="json")
    configure_logging("INFO", (), console_stream, fmt="console")
    logging.getLogger("some.library").warning("only once")
    assert json_stream.getvalue() == ""
    assert console_stream.getvalue().count("only once") == 1


@pytest.mark.parametrize(("stream", "expect_json"), [(TerminalStream(), False), (io.StringIO(), True)])
def test_auto_format_is_console_on_a_terminal_and_json_otherwise(
    root_restored, stream: io.StringIO, expect_json: bool
) -> None:
    configure_logging("INFO", (), stream)  # fmt defaults to auto
    logging.getLogger("some.library").info("hello", extra={"n": 1})
    line = stream.getvalue().strip()
    assert line.startswith("{") is expect_json
    if not expect_json:
        assert line.endswith("hello  n=1")


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_an_explicit_format_wins_over_the_terminal_check(root_restored, fmt: str) -> None:
    stream = TerminalStream()
    configure_logging("INFO", (), stream, fmt=fmt)
    logging.getLogger("some.library").info("hello")
    assert stream.getvalue().startswith("{") is (fmt == "json")


def test_an_unknown_format_is_refused(root_restored) -> None:
    with pytest.raises(ValueError, match="xml"):
        configure_logging("INFO", (), io.StringIO(), fmt="xml")


# --- console format -----------------------------------------------------------------------------------


def test_console_line_is_time_level_message_then_extras(console) -> None:
    logger, stream = console
    logger.info("sync source done", extra={"cabinet_id": 7, "source": "stocks", "taken": 120})
    logger.warning("slow")
    info, warning = stream.getvalue().splitlines()
    assert re.fullmatch(r"\d\d:\d\d:\d\d INFO  sync source done  cabinet_id=7 source=stocks taken=120", info)
    assert re.fullmatch(r"\d\d:\d\d:\d\d WARNING slow", warning)


def test_console_quotes_extras_that_would_be_ambiguous_and_shows_structures_as_json(console) -> None:
    logger, stream = console
    logger.info("x", extra={"reason": "rate limited", "empty": "", "ids": [1, 2], "at": None})
    assert stream.getvalue().endswith('x  reason="rate limited" empty="" ids=[1, 2] at=None\n')


def test_console_shows_request_id_only_while_bound(console) -> None:
    logger, stream = console
    unbind = bind_request_id("req-42")
    logger.info("inside", extra={"n": 1})
    unbind()
    logger.info("outside")
    inside, outside = stream.getvalue().splitlines()
    assert inside.endswith("inside  n=1 request_id=req-42")
    assert outside.endswith("outside") and "request_id" not in outside


def test_console_masks_secrets_in_message_extras_and_traceback(console) -> None:
    logger, stream = console
    headers = {"Authorization": "Bearer opaque-token-123", "Accept": "application/json"}
    extra = {"detail": f"key={CONFIGURED_SECRET}", "headers": headers, "api_key": "plain-api-key-1"}
    try:
        raise RuntimeError(f"failed with {WB_KEY} and {CONFIGURED_SECRET}")
    except RuntimeError:
        logger.exception("using %s and %s", CONFIGURED_SECRET, WB_KEY, extra=extra)
    text = stream.getvalue()
    for secret in (CONFIGURED_SECRET, WB_KEY, "opaque-token-123", "plain-api-key-1"):
        assert secret not in text
    first, *traceback = text.splitlines()
    assert f"using {MASK} and {MASK}  detail=" in first and f"api_key={MASK}" in first
    assert f'"Authorization": "{MASK}"' in first
    assert traceback[0] == "    Traceback (most recent call last):"
    assert traceback[-1].startswith("    RuntimeError: failed with ") and MASK in traceback[-1]
