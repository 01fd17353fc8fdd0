"""Base classes of the HTTP schemas: pydantic models that are at once the parser, the serializer and the
OpenAPI description of a request or a response.

Response models are built by field name in Python and leave by alias, so the wire names are the contract's
(camelCase where it uses it), whatever Python calls them.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

BIGINT = 2**63 - 1
"""The largest id a BIGINT column holds: an id above it names nothing."""
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
"""The days a date parameter may name."""

Roubles = Annotated[
    Decimal,
    PlainSerializer(lambda d: float(d.quantize(Decimal("0.01"), ROUND_HALF_UP)), return_type=float),
    Field(description="Roubles, rounded to the kopeck (a JSON number with at most 2 decimals)."),
]


class Schema(BaseModel):
    """A body, parameter set or part of one, whose wire names are its field names (or explicit aliases)."""

    model_config = ConfigDict(frozen=True, validate_by_name=True, validate_by_alias=True)


class CamelSchema(Schema):
    """A schema whose wire names are the camelCase of its field names (`rows_taken` -> `rowsTaken`)."""

    model_config = ConfigDict(alias_generator=to_camel, serialize_by_alias=True)
