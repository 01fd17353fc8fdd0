"""Turning any WB error body into one message: WB answers errors as JSON objects of several shapes, as
JSON lists, or as plain text (reference/wb-api.md §1.4); none of them may crash the client."""

import json
from typing import Any

from application.ports.wb import WbApiError

_MAX_DETAIL = 500


def _from_object(body: dict[str, Any]) -> str | None:
    for key in ("detail", "message", "errorText", "error_description", "title"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return "; ".join(str(e) for e in errors)
    if isinstance(errors, str) and errors.strip():  # statistics: {"errors":"dateFrom: Value not validated"}
        return errors.strip()
    code = body.get("code")
    return str(code) if code else None


def error_detail(text: str) -> str:
    """WB's own reason from an error body, whatever its shape; never raises."""
    stripped = text.strip()
    try:
        body: Any = json.loads(stripped) if stripped else None
    except ValueError:
        body = None
    detail: str | None = None
    if isinstance(body, dict):
        detail = _from_object(body)
    elif isinstance(body, list) and body:
        parts = [_from_object(b) if isinstance(b, dict) else str(b) for b in body]
        detail = "; ".join(p for p in parts if p)
    elif isinstance(body, str):
        detail = body
    if not detail:
        detail = stripped or "empty response body"
    return detail[:_MAX_DETAIL]


class WbBadPayload(WbApiError):
    """A 2xx answer whose content is not what WB documents (wrong shape, a missing or mistyped field).
    Not retried: asking again gets the same answer. `what` names the object and field."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(None, f"unexpected WB payload: {what}: {reason}")
        self.what = what
        self.reason = reason
