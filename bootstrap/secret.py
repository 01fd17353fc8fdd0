"""A secret value that never shows itself."""

from typing import Final

_HIDDEN: Final = "Secret('**********')"


class Secret:
    """Wraps a secret string: repr() and str() are masked; `.reveal()` is the one way to the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return _HIDDEN

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))
