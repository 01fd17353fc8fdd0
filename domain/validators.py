"""attrs validators shared by the entities: each raises InvalidValue naming the field."""

from typing import TYPE_CHECKING, Any

import attrs

from domain.errors import InvalidValue

if TYPE_CHECKING:  # generic in attrs' stubs only, not at run time
    Field = attrs.Attribute[Any]


def non_blank(instance: object, attribute: "Field", value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(attribute.name, "must be a non-blank string")


def positive(instance: object, attribute: "Field", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValue(attribute.name, "must be a positive integer")


def non_negative(instance: object, attribute: "Field", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(attribute.name, f"must be a non-negative int, got {value!r}")
