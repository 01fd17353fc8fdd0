"""PollNewOrders: the fast lane for new FBS orders, between full syncs (issue 9, point 3)."""

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

import attrs

from application.notifications.outbox import record_events
from application.ports.sync import CabinetLock, SourceState
from application.ports.system import Clock, SecretBox
from application.ports.unit_of_work import UnitOfWorkFactory
from application.ports.wb import WbApiError, WbAuthError, WbCredentials, WbSellerApi
from application.sync.fbs import store_orders
from application.sync.run import EVENTS_FROM, SyncSettings, from_iso
from domain.identity import Cabinet
from domain.orders import Order
from domain.wb_token import WbCategory

log = logging.getLogger(__name__)

# The full sync's source whose orders these are: its state says when news starts (`events_from`).
SOURCE = "fbs_orders"
SYNC_RUNNING = "sync running"


@attrs.frozen
class NewOrdersReport:
    """What one poll did. `new_orders`: NEW_ORDER events detected (orders stored for the first time);
    `notified`: PENDING notifications written for them (0 when the outbox already held the event, or
    every member has them off)."""

    cabinet_id: UUID
    listed: int = 0  # orders WB's /orders/new listed
    written: int = 0
    new_orders: int = 0
    notified: int = 0
    skipped: str | None = None
    error: str | None = None


@attrs.frozen
class PollNewOrders:
    """Store one cabinet's orders from WB's `/api/v3/orders/new` and their NEW_ORDER events (fanned out to
    the members by the outbox), so that an FBS seller hears of an order within NEW_ORDERS_INTERVAL, not
    SYNC_INTERVAL. Orders, events and notifications commit in one unit of work, through the same
    `store_orders` as the full sync: an order is told once whichever of the two sees it first.

    Skipped, without a WB call: the cabinet's lock is held ("sync running": the full sync reads
    /orders/new itself); the cabinet is missing, invalid or its key expired; the key lacks the
    MARKETPLACE category; WB refuses the FBS source to the key; the `fbs_orders` source has not run yet
    (its first sync decides what is backfill) or is rate limited. The source's position is never touched:
    the full sync's windows still read every order. WB errors are logged and end the poll (no retries of
    our own beyond the client's): WbRateLimited and WbPacingWait (the WB client's pacing bucket is the
    full sync's too), WbUnavailable, other 4xx; a WbAuthError is left to the full sync, which judges keys.
    Idempotent: a re-run stores nothing new and tells nothing twice.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    lock: CabinetLock
    settings: SyncSettings = attrs.field(factory=SyncSettings)
    id_factory: Callable[[], UUID] = uuid.uuid4

    async def __call__(self, cabinet_id: UUID) -> NewOrdersReport:
        async with self.lock.hold(cabinet_id) as acquired:
            if not acquired:
                return NewOrdersReport(cabinet_id, skipped=SYNC_RUNNING)
            return await self._poll(cabinet_id)

    async def _poll(self, cabinet_id: UUID) -> NewOrdersReport:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(cabinet_id)
            encrypted = await uow.cabinets.get_encrypted_key(cabinet_id)
            state = await uow.source_states.get(cabinet_id, SOURCE)
        if cabinet is None or encrypted is None:
            return NewOrdersReport(cabinet_id, skipped="cabinet not found")
        events_from = from_iso(state.position or {}, EVENTS_FROM) if state is not None else None
        skipped = self._skip_reason(cabinet, state, events_from)
        if skipped is not None or events_from is None:
            return NewOrdersReport(cabinet_id, skipped=skipped)
        try:
            creds = WbCredentials(cabinet_id, self.secret_box.decrypt(encrypted), cabinet.seller_id)
        except ValueError:  # the full sync logs it; the poll would repeat it every minute
            return NewOrdersReport(cabinet_id, skipped="stored key cannot be decrypted")
        try:
            orders = await self.wb_api.new_fbs_orders(creds)
        except WbAuthError as exc:
            log.info("new orders of cabinet %s: %s (left to the full sync)", cabinet_id, exc)
            return NewOrdersReport(cabinet_id, error=f"{type(exc).__name__}: {exc}")
        except WbApiError as exc:  # rate limited, paced, unavailable: the next poll tries again
            log.warning("new orders of cabinet %s: %s", cabinet_id, exc)
            return NewOrdersReport(cabinet_id, error=f"{type(exc).__name__}: {exc}")
        return await self._store(cabinet_id, orders, events_from)

    async def _store(
        self, cabinet_id: UUID, orders: Sequence[Order], events_from: datetime
    ) -> NewOrdersReport:
        async with self.uow_factory() as uow:
            written, events = await store_orders(uow, cabinet_id, orders, events_from)
            notified = await record_events(
                uow, events, self.clock.now(), self.id_factory, self.settings.notify_max_age
            )
            await uow.rollups.refresh_touched()
            await uow.commit()
        return NewOrdersReport(cabinet_id, len(orders), written, len(events), notified)

    def _skip_reason(
        self, cabinet: Cabinet, state: SourceState | None, events_from: datetime | None
    ) -> str | None:
        now = self.clock.now()
        if not cabinet.is_active:
            return "cabinet is invalid"
        if now >= cabinet.token_expires_at:
            return "the key expired"  # the full sync marks the cabinet invalid
        if WbCategory.MARKETPLACE not in cabinet.categories:
            return f"the key lacks the {WbCategory.MARKETPLACE.name} category"
        if (block := cabinet.block_of(SOURCE, now)) is not None:
            return f"WB refuses it to this key: {block.reason}"
        if state is None or events_from is None:
            return "the first sync has not run"
        if state.backoff_until is not None and now < state.backoff_until:
            return f"rate limited until {state.backoff_until.isoformat()}"
        return None
