"""One transaction per use-case call, on one pooled connection, rolled back unless committed."""

from types import TracebackType
from typing import Self, TypeAlias, TypeVar

import attrs
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.outbound.postgres.cabinet_facts import forget_changed
from adapters.outbound.postgres.repositories import (
    PostgresCabinetRepository,
    PostgresClaimRepository,
    PostgresEventRepository,
    PostgresLoginCodeRepository,
    PostgresMembershipRepository,
    PostgresNotificationRepository,
    PostgresNotificationSettingsRepository,
    PostgresOrderRepository,
    PostgresRefreshTokenRepository,
    PostgresReviewRepository,
    PostgresSaleRepository,
    PostgresSourceStateRepository,
    PostgresStatOrderRepository,
    PostgresStockRepository,
    PostgresUserRepository,
)
from adapters.outbound.postgres.repositories.cogs import PostgresCogsRepository
from adapters.outbound.postgres.repositories.finance import (
    PostgresFinanceReportRepository,
    PostgresPaidStorageRepository,
)
from adapters.outbound.postgres.repositories.rollups import PostgresRollupRepository

SessionSource: TypeAlias = async_sessionmaker[AsyncSession] | AsyncEngine
T = TypeVar("T")


def session_factory_for(source: SessionSource) -> async_sessionmaker[AsyncSession]:
    if isinstance(source, AsyncEngine):
        return async_sessionmaker(source, expire_on_commit=False)
    return source


@attrs.frozen
class _Repositories:
    """Every repository of one unit, all on its one session."""

    users: PostgresUserRepository
    cabinets: PostgresCabinetRepository
    memberships: PostgresMembershipRepository
    login_codes: PostgresLoginCodeRepository
    refresh_tokens: PostgresRefreshTokenRepository
    orders: PostgresOrderRepository
    stat_orders: PostgresStatOrderRepository
    sales: PostgresSaleRepository
    stocks: PostgresStockRepository
    reviews: PostgresReviewRepository
    claims: PostgresClaimRepository
    source_states: PostgresSourceStateRepository
    events: PostgresEventRepository
    notification_settings: PostgresNotificationSettingsRepository
    notifications: PostgresNotificationRepository
    rollups: PostgresRollupRepository
    cogs: PostgresCogsRepository
    finance_rows: PostgresFinanceReportRepository
    paid_storage: PostgresPaidStorageRepository

    @classmethod
    def on(cls, session: AsyncSession) -> "_Repositories":
        return cls(*(field.type(session) for field in attrs.fields(cls)))


class PostgresUnitOfWork:
    """`async with uow: ...; await uow.commit()`. Leaving the block without commit rolls back.

    Each `async with` is its own session (its own connection and transaction); never share one unit of
    work between tasks.
    """

    def __init__(self, session_factory: SessionSource) -> None:
        self._session_factory = session_factory_for(session_factory)
        self._session: AsyncSession | None = None
        self._repos: _Repositories | None = None

    @property
    def users(self) -> PostgresUserRepository:
        return _entered(self._repos).users

    @property
    def cabinets(self) -> PostgresCabinetRepository:
        return _entered(self._repos).cabinets

    @property
    def memberships(self) -> PostgresMembershipRepository:
        return _entered(self._repos).memberships

    @property
    def login_codes(self) -> PostgresLoginCodeRepository:
        return _entered(self._repos).login_codes

    @property
    def refresh_tokens(self) -> PostgresRefreshTokenRepository:
        return _entered(self._repos).refresh_tokens

    @property
    def orders(self) -> PostgresOrderRepository:
        return _entered(self._repos).orders

    @property
    def stat_orders(self) -> PostgresStatOrderRepository:
        return _entered(self._repos).stat_orders

    @property
    def sales(self) -> PostgresSaleRepository:
        return _entered(self._repos).sales

    @property
    def stocks(self) -> PostgresStockRepository:
        return _entered(self._repos).stocks

    @property
    def reviews(self) -> PostgresReviewRepository:
        return _entered(self._repos).reviews

    @property
    def claims(self) -> PostgresClaimRepository:
        return _entered(self._repos).claims

    @property
    def source_states(self) -> PostgresSourceStateRepository:
        return _entered(self._repos).source_states

    @property
    def events(self) -> PostgresEventRepository:
        return _entered(self._repos).events

    @property
    def notification_settings(self) -> PostgresNotificationSettingsRepository:
        return _entered(self._repos).notification_settings

    @property
    def notifications(self) -> PostgresNotificationRepository:
        return _entered(self._repos).notifications

    @property
    def rollups(self) -> PostgresRollupRepository:
        return _entered(self._repos).rollups

    @property
    def cogs(self) -> PostgresCogsRepository:
        return _entered(self._repos).cogs

    @property
    def finance_rows(self) -> PostgresFinanceReportRepository:
        return _entered(self._repos).finance_rows

    @property
    def paid_storage(self) -> PostgresPaidStorageRepository:
        return _entered(self._repos).paid_storage

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use")
        session = self._session = self._session_factory()
        self._repos = _Repositories.on(session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        self._repos = None
        if session is None:
            return
        try:
            await session.rollback()  # a no-op after commit()
        finally:
            await session.close()

    async def commit(self) -> None:
        session = _entered(self._session)
        await session.commit()
        forget_changed(session.info)  # this process reads its own writes at once (cabinet_facts.py)


class PostgresUnitOfWorkFactory:
    """Makes a fresh PostgresUnitOfWork per call, all sharing the engine's pool."""

    def __init__(self, engine: SessionSource) -> None:
        self._session_factory = session_factory_for(engine)

    def __call__(self) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self._session_factory)


def _entered(value: T | None) -> T:
    if value is None:
        raise RuntimeError("use the unit of work inside `async with`")
    return value
