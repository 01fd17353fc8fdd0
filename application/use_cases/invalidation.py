"""Is the key dead, or is one method refused to it? Marking a cabinet's key dead (shared by
ValidateAllCabinets and SyncCabinet), and judging a 401/403 of one sync source."""

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import attrs

from application.notifications.outbox import record_events
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.ports.wb import WbApiError, WbAuthError, WbCredentials, WbSellerApi
from domain.events import cabinet_invalid_event

# A method WB refuses to a good key (a category, a token type or a paid subscription it lacks) is asked
# again a day later, or at once when a new key of the seller is connected (docs/decisions/0008).
BLOCK_RETRY = timedelta(days=1)


async def invalidate_cabinet(
    uow_factory: UnitOfWorkFactory, cabinet_id: UUID, reason: str, at: datetime, new_id: Callable[[], UUID]
) -> bool:
    """Mark the cabinet invalid and put one cabinet_invalid event in the outbox, in one unit of work.

    Returns True if the cabinet was active. An already invalid cabinet gets the new reason but no second
    event, so re-running a check is idempotent; two units racing to invalidate the same active cabinet
    write the same dedupe key (its invalidation count), so one event. After a reconnect, the next
    invalidation is a new event.
    """
    async with uow_factory() as uow:
        cabinet = await uow.cabinets.get(cabinet_id)
        if cabinet is None:
            return False
        changed = cabinet.mark_invalid(reason)
        await uow.cabinets.update(cabinet)
        if changed:
            event = cabinet_invalid_event(cabinet_id, reason, at, cabinet.invalidations)
            await record_events(uow, [event], at, new_id)
        await uow.commit()
    return changed


@attrs.frozen
class AuthVerdict:
    """What a 401/403 of one source means: exactly one of the three fields is set."""

    key_rejected: str | None = None
    """WB's reason: the key check failed too, the key itself is dead."""
    blocked_until: datetime | None = None
    """The key is good and this method is refused to it: the source is blocked until then."""
    unjudged: str | None = None
    """The key check could not answer (WB unavailable, rate-limited...): nothing is judged this time."""


@attrs.define
class AuthErrorJudge:
    """Judges the 401/403s of one sync of one cabinet, asking WB's key check (`check_key`) at most once
    per sync however many sources (and concurrent lanes) were refused. A source refused to a good key is
    blocked on the cabinet with WB's reason (unless the cabinet's key changed meanwhile)."""

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    clock: Clock
    creds: WbCredentials
    key_fingerprint: str
    _check: "asyncio.Task[str | None] | None" = None

    async def judge(self, source: str, exc: WbAuthError) -> AuthVerdict:
        if self._check is None:
            self._check = asyncio.ensure_future(self._key_rejection())
        try:
            rejection = await asyncio.shield(self._check)
        except WbApiError as check_failed:  # unavailable, rate-limited, any other WB error
            why = f"{exc.detail} (the key check could not confirm it: {check_failed.detail})"
            return AuthVerdict(unjudged=why)
        if rejection is not None:
            return AuthVerdict(key_rejected=rejection)
        until = self.clock.now() + BLOCK_RETRY
        await self._block(source, exc.detail, until)
        return AuthVerdict(blocked_until=until)

    async def _key_rejection(self) -> str | None:
        try:
            await self.wb_api.check_key(self.creds.api_key)
        except WbAuthError as exc:
            return exc.detail
        return None

    async def _block(self, source: str, reason: str, until: datetime) -> None:
        async with self.uow_factory() as uow:
            cabinet = await uow.cabinets.get(self.creds.cabinet_id)
            if cabinet is None or cabinet.key_fingerprint != self.key_fingerprint:
                return  # a new key arrived during the sync: it gets its own chance
            cabinet.block_source(source, reason, self.clock.now(), until)
            await uow.cabinets.update(cabinet)
            await uow.commit()
