"""The unit of work: one transaction over every repository."""

from types import TracebackType
from typing import Protocol, Self

from application.ports.auth import LoginCodeRepository, RefreshTokenRepository
from application.ports.cogs import CogsRepository
from application.ports.finance import FinanceReportRepository, PaidStorageRepository
from application.ports.identity import CabinetRepository, MembershipRepository, UserRepository
from application.ports.notifications import (
    EventRepository,
    NotificationRepository,
    NotificationSettingsRepository,
)
from application.ports.rollups import RollupRepository
from application.ports.sync import (
    ClaimRepository,
    OrderRepository,
    ReviewRepository,
    SaleRepository,
    SourceStateRepository,
    StatOrderRepository,
    StockRepository,
)


class UnitOfWork(Protocol):
    """One transaction. Leaving the `async with` block without `commit()` rolls everything back; after a
    commit the unit may be used again for a new transaction. Never shared between tasks."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def cabinets(self) -> CabinetRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    @property
    def login_codes(self) -> LoginCodeRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def stat_orders(self) -> StatOrderRepository: ...

    @property
    def sales(self) -> SaleRepository: ...

    @property
    def stocks(self) -> StockRepository: ...

    @property
    def reviews(self) -> ReviewRepository: ...

    @property
    def claims(self) -> ClaimRepository: ...

    @property
    def source_states(self) -> SourceStateRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def notification_settings(self) -> NotificationSettingsRepository: ...

    @property
    def notifications(self) -> NotificationRepository: ...

    @property
    def rollups(self) -> RollupRepository: ...

    @property
    def cogs(self) -> CogsRepository: ...

    @property
    def finance_rows(self) -> FinanceReportRepository: ...

    @property
    def paid_storage(self) -> PaidStorageRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None:
        """Make the unit's writes durable, all or nothing. Raises Conflict if a racing unit won."""
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use-case call; units of work are never shared between tasks."""

    def __call__(self) -> UnitOfWork: ...
