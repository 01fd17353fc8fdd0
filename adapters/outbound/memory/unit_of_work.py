"""In-memory unit of work: reads see the state as of `async with` plus the unit's own writes; the writes
reach the shared store only on commit, all or nothing, and are discarded otherwise."""

from types import TracebackType
from typing import Self

from adapters.outbound.memory.auth import InMemoryLoginCodeRepository, InMemoryRefreshTokenRepository
from adapters.outbound.memory.cogs import InMemoryCogsRepository
from adapters.outbound.memory.finance import InMemoryFinanceReportRepository, InMemoryPaidStorageRepository
from adapters.outbound.memory.identity import (
    InMemoryCabinetRepository,
    InMemoryMembershipRepository,
    InMemoryUserRepository,
)
from adapters.outbound.memory.notifications import InMemoryNotificationSettingsRepository
from adapters.outbound.memory.outbox import InMemoryNotificationRepository
from adapters.outbound.memory.rollups import InMemoryRollupRepository
from adapters.outbound.memory.store import InMemoryStore, Tables, Write
from adapters.outbound.memory.sync import (
    InMemoryClaimRepository,
    InMemoryEventRepository,
    InMemoryOrderRepository,
    InMemoryReviewRepository,
    InMemorySaleRepository,
    InMemorySourceStateRepository,
    InMemoryStatOrderRepository,
    InMemoryStockRepository,
)
from application.ports.system import Clock


class InMemoryUnitOfWork:
    def __init__(self, shared: InMemoryStore) -> None:
        self._store = shared
        self._view: Tables | None = None
        self._writes: list[Write] = []
        self._users = InMemoryUserRepository(self)
        self._cabinets = InMemoryCabinetRepository(self)
        self._memberships = InMemoryMembershipRepository(self)
        self._login_codes = InMemoryLoginCodeRepository(self)
        self._refresh_tokens = InMemoryRefreshTokenRepository(self)
        self._orders = InMemoryOrderRepository(self)
        self._stat_orders = InMemoryStatOrderRepository(self)
        self._sales = InMemorySaleRepository(self)
        self._stocks = InMemoryStockRepository(self)
        self._reviews = InMemoryReviewRepository(self)
        self._claims = InMemoryClaimRepository(self)
        self._source_states = InMemorySourceStateRepository(self)
        self._events = InMemoryEventRepository(self)
        self._notification_settings = InMemoryNotificationSettingsRepository(self)
        self._notifications = InMemoryNotificationRepository(self)
        self._rollups = InMemoryRollupRepository(self)
        self._cogs = InMemoryCogsRepository(self)
        self._finance_rows = InMemoryFinanceReportRepository(self)
        self._paid_storage = InMemoryPaidStorageRepository(self)

    @property
    def users(self) -> InMemoryUserRepository:
        return self._users

    @property
    def cabinets(self) -> InMemoryCabinetRepository:
        return self._cabinets

    @property
    def memberships(self) -> InMemoryMembershipRepository:
        return self._memberships

    @property
    def login_codes(self) -> InMemoryLoginCodeRepository:
        return self._login_codes

    @property
    def refresh_tokens(self) -> InMemoryRefreshTokenRepository:
        return self._refresh_tokens

    @property
    def orders(self) -> InMemoryOrderRepository:
        return self._orders

    @property
    def stat_orders(self) -> InMemoryStatOrderRepository:
        return self._stat_orders

    @property
    def sales(self) -> InMemorySaleRepository:
        return self._sales

    @property
    def stocks(self) -> InMemoryStockRepository:
        return self._stocks

    @property
    def reviews(self) -> InMemoryReviewRepository:
        return self._reviews

    @property
    def claims(self) -> InMemoryClaimRepository:
        return self._claims

    @property
    def source_states(self) -> InMemorySourceStateRepository:
        return self._source_states

    @property
    def events(self) -> InMemoryEventRepository:
        return self._events

    @property
    def notification_settings(self) -> InMemoryNotificationSettingsRepository:
        return self._notification_settings

    @property
    def notifications(self) -> InMemoryNotificationRepository:
        return self._notifications

    @property
    def rollups(self) -> InMemoryRollupRepository:
        return self._rollups

    @property
    def finance_rows(self) -> InMemoryFinanceReportRepository:
        return self._finance_rows

    @property
    def paid_storage(self) -> InMemoryPaidStorageRepository:
        return self._paid_storage

    @property
    def cogs(self) -> InMemoryCogsRepository:
        return self._cogs

    @property
    def store(self) -> InMemoryStore:
        return self._store

    @property
    def view(self) -> Tables:
        if self._view is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._view

    def stage(self, write: Write) -> object:
        """Apply a write to this unit's view (raising Conflict/NotFound at once, as Postgres does) and
        remember it for commit."""
        result = write(self.view)
        self._writes.append(write)
        return result

    async def __aenter__(self) -> Self:
        if self._view is not None:
            raise RuntimeError("this unit of work is already in use")
        self._begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._view, self._writes = None, []

    async def commit(self) -> None:
        self.view  # noqa: B018 - raises outside `async with`
        self._store.commit(self._writes)
        self._begin()

    def _begin(self) -> None:
        self._view, self._writes = self._store.tables.copy(), []


class InMemoryUnitOfWorkFactory:
    """Units of work over one shared in-memory store (pass `store` to share it with other factories)."""

    def __init__(self, store: InMemoryStore | None = None, clock: Clock | None = None) -> None:
        self.store = store or InMemoryStore(clock)

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)
