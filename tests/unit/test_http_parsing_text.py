"""Text no column can hold (NUL, lone surrogates) is a 400 naming where it is, found anywhere in an input
(schemathesis found a NUL in a name answered with a 500 from Postgres)."""

import json

from adapters.inbound.http.parsing import _unstorable_text


def test_a_nul_anywhere_is_named() -> None:
    body = {"first_name": "Ann\x00", "tags": ["ok", "b\x00d"], "nested": {"k": "fine"}}
    found = [(d.field, d.reason) for d in _unstorable_text(body, "body")]
    assert found == [
        ("body.first_name", "must not contain NUL characters"),
        ("body.tags.1", "must not contain NUL characters"),
    ]


def test_a_lone_surrogate_from_a_json_escape_is_named() -> None:
    body = json.loads('{"username": "x\\ud9a0y", "ok": "Привет, мир"}')
    found = [(d.field, d.reason) for d in _unstorable_text(body, "body")]
    assert found == [("body.username", "is not valid Unicode text (a lone surrogate)")]


def test_ordinary_text_and_other_values_pass() -> None:
    assert list(_unstorable_text({"a": "Ромашка 🌼", "b": 1, "c": None, "d": [1.5, True]}, "query")) == []
