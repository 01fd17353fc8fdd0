"""In-memory implementations of the ports, with real transaction semantics; held honest by the same
contract tests as the Postgres adapters."""

from adapters.outbound.memory.cabinet_lock import InMemoryCabinetLock
from adapters.outbound.memory.identity import (
    InMemoryCabinetRepository,
    InMemoryMembershipRepository,
    InMemoryUserRepository,
)
from adapters.outbound.memory.store import InMemoryStore
from adapters.outbound.memory.unit_of_work import InMemoryUnitOfWork, InMemoryUnitOfWorkFactory

__all__ = [
    "InMemoryCabinetLock",
    "InMemoryCabinetRepository",
    "InMemoryMembershipRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "InMemoryUnitOfWorkFactory",
    "InMemoryUserRepository",
]
