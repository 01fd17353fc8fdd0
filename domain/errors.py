"""Domain errors: each names what was wrong, so adapters can turn it into a clear message."""


class DomainError(Exception):
    """Base of every rule the domain refuses."""


class InvalidValue(DomainError):
    """A value breaks an invariant; `field` names it, `reason` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class IllegalTransition(DomainError):
    """A status machine was asked for a move its table does not allow."""

    def __init__(self, machine: str, from_state: str, to_state: str) -> None:
        super().__init__(f"{machine}: illegal transition {from_state} -> {to_state}")
        self.machine = machine
        self.from_state = from_state
        self.to_state = to_state


class NotFound(DomainError):
    """An entity the caller named does not exist."""

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} not found")
        self.entity = entity
        self.key = key


class Conflict(DomainError):
    """The change collides with existing state (e.g. a duplicate unique key)."""
