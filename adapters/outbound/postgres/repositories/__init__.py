"""Postgres implementations of the repository ports, over SQLAlchemy Core statements."""

from adapters.outbound.postgres.repositories.cabinets import PostgresCabinetRepository
from adapters.outbound.postgres.repositories.memberships import PostgresMembershipRepository
from adapters.outbound.postgres.repositories.users import PostgresUserRepository

__all__ = ["PostgresCabinetRepository", "PostgresMembershipRepository", "PostgresUserRepository"]
