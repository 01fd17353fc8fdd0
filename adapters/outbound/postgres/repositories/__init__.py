"""Postgres implementations of the repository ports, over SQLAlchemy Core statements."""

from adapters.outbound.postgres.repositories.auth import (
    PostgresLoginCodeRepository,
    PostgresRefreshTokenRepository,
)
from adapters.outbound.postgres.repositories.cabinets import PostgresCabinetRepository
from adapters.outbound.postgres.repositories.feedback import PostgresClaimRepository, PostgresReviewRepository
from adapters.outbound.postgres.repositories.memberships import PostgresMembershipRepository
from adapters.outbound.postgres.repositories.notification_settings import (
    PostgresNotificationSettingsRepository,
)
from adapters.outbound.postgres.repositories.order_stats import (
    PostgresSaleRepository,
    PostgresStatOrderRepository,
)
from adapters.outbound.postgres.repositories.orders import PostgresOrderRepository
from adapters.outbound.postgres.repositories.outbox import PostgresNotificationRepository
from adapters.outbound.postgres.repositories.stocks import PostgresStockRepository
from adapters.outbound.postgres.repositories.sync_state import (
    PostgresEventRepository,
    PostgresSourceStateRepository,
)
from adapters.outbound.postgres.repositories.users import PostgresUserRepository

__all__ = [
    "PostgresCabinetRepository",
    "PostgresClaimRepository",
    "PostgresEventRepository",
    "PostgresLoginCodeRepository",
    "PostgresMembershipRepository",
    "PostgresNotificationRepository",
    "PostgresNotificationSettingsRepository",
    "PostgresOrderRepository",
    "PostgresRefreshTokenRepository",
    "PostgresReviewRepository",
    "PostgresSaleRepository",
    "PostgresSourceStateRepository",
    "PostgresStatOrderRepository",
    "PostgresStockRepository",
    "PostgresUserRepository",
]
