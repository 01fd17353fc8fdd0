"""What the use-case tests share: a world of the in-memory adapters (the contract-tested ones), WB keys,
and readers that look at the store only through the ports."""

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import attrs

from adapters.outbound.memory import InMemoryCabinetLock, InMemoryUnitOfWorkFactory
from adapters.outbound.memory.clock import ManualClock
from adapters.outbound.memory.reports import InMemoryReports
from adapters.outbound.memory.system import RecordingSyncScheduler
from adapters.outbound.memory.wb import FakeWbSellerApi
from adapters.outbound.secret_box import FernetSecretBox, generate_secret_key
from application.ports.notifications import StoredEvent
from application.sync.run import SyncSettings
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.register_user import RegisterUser
from application.use_cases.sync_cabinet import SyncCabinet
from domain.identity import Cabinet, User
from domain.wb_token import WbCategory, mask_from_categories

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ALL = frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS, WbCategory.ANALYTICS, WbCategory.FEEDBACKS,
                 WbCategory.RETURNS, WbCategory.FINANCE})  # fmt: skip
SMALL = SyncSettings(
    fbs_page_limit=2, stocks_page_size=2, feedbacks_take=2, claims_limit=2, stats_page_rows=2, lock_wait_s=0.3
)


def wb_key(
    sid: str = "seller-1",
    exp: datetime = T0 + timedelta(days=180),
    categories: Iterable[WbCategory] = ALL,
    acc: int = 3,
) -> str:
    """An unsigned WB-style JWT (header.payload.signature, base64url), as WB's keys look to us."""

    def b64(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    mask = mask_from_categories(set(categories))
    payload = {"exp": int(exp.timestamp()), "sid": sid, "s": mask, "acc": acc}
    return f"{b64({'alg': 'ES256'})}.{b64(payload)}.c2ln"


@attrs.define
class World:
    """One seller's world: WB as a script, and our store, lock and clock in memory."""

    clock: ManualClock = attrs.Factory(lambda: ManualClock(T0))
    wb: FakeWbSellerApi = attrs.Factory(FakeWbSellerApi)
    box: FernetSecretBox = attrs.Factory(lambda: FernetSecretBox(generate_secret_key()))
    lock: InMemoryCabinetLock = attrs.Factory(InMemoryCabinetLock)
    scheduler: RecordingSyncScheduler = attrs.Factory(RecordingSyncScheduler)
    uow: InMemoryUnitOfWorkFactory = attrs.field()
    settings: SyncSettings = SMALL

    @uow.default
    def _uow(self) -> InMemoryUnitOfWorkFactory:
        return InMemoryUnitOfWorkFactory(clock=self.clock)

    @property
    def connect(self) -> ConnectCabinet:
        return ConnectCabinet(self.uow, self.wb, self.box, self.clock, uuid4, self.scheduler)

    @property
    def sync(self) -> SyncCabinet:
        return SyncCabinet(self.uow, self.wb, self.box, self.clock, self.lock, self.settings, uuid4)

    @property
    def reports(self) -> InMemoryReports:
        return InMemoryReports(self.uow.store)

    async def user(self, telegram_id: int = 111) -> User:
        return (await RegisterUser(self.uow, self.clock)(telegram_id)).user

    async def cabinet(
        self, telegram_id: int = 111, sid: str = "seller-1", categories: Iterable[WbCategory] = ALL
    ) -> UUID:
        """A connected cabinet (its user registered first), with WB's calls so far forgotten."""
        await self.user(telegram_id)
        result = await self.connect(telegram_id, wb_key(sid, categories=categories), sid)
        self.wb.calls.clear()
        return result.cabinet.id

    async def get_cabinet(self, cabinet_id: UUID) -> Cabinet | None:
        async with self.uow() as uow:
            return await uow.cabinets.get(cabinet_id)

    async def active_cabinets(self) -> list[Cabinet]:
        async with self.uow() as uow:
            return list(await uow.cabinets.list_active())

    async def events(self, cabinet_id: UUID) -> list[StoredEvent]:
        async with self.uow() as uow:
            return list(await uow.events.list_for_cabinet(cabinet_id))
