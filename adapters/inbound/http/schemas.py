"""Base classes of the HTTP schemas: pydantic models that are at once the parser, the serializer and the
OpenAPI description of a request or a response.

Response models are built by field name in Python and leave by alias, so the wire names are the contract's
(camelCase where it uses it), whatever Python calls them.
"""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Schema(BaseModel):
    """A body, parameter set or part of one, whose wire names are its field names (or explicit aliases)."""

    model_config = ConfigDict(frozen=True, validate_by_name=True, validate_by_alias=True)


class CamelSchema(Schema):
    """A schema whose wire names are the camelCase of its field names (`rows_taken` -> `rowsTaken`)."""

    model_config = ConfigDict(alias_generator=to_camel, serialize_by_alias=True)
