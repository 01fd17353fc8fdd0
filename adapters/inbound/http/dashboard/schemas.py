"""Types the dashboard's answers share: instants as `2026-01-04T10:30:00.000Z` (roubles: `http.schemas`)."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import Field, PlainSerializer


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Instant = Annotated[
    datetime,
    PlainSerializer(_instant, return_type=str),
    Field(description="UTC, ISO 8601 with milliseconds (`2026-01-04T10:30:00.000Z`)."),
]
