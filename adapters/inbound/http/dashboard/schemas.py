"""Types the dashboard's answers share: roubles as JSON numbers, instants as `2026-01-04T10:30:00.000Z`."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Roubles = Annotated[
    Decimal,
    PlainSerializer(lambda d: float(d.quantize(Decimal("0.01"), ROUND_HALF_UP)), return_type=float),
    Field(description="Roubles, rounded to the kopeck (a JSON number with at most 2 decimals)."),
]
Instant = Annotated[
    datetime,
    PlainSerializer(_instant, return_type=str),
    Field(description="UTC, ISO 8601 with milliseconds (`2026-01-04T10:30:00.000Z`)."),
]
