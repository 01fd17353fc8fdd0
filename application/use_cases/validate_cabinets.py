"""ValidateAllCabinets: the daily re-check of every active cabinet's key."""

import logging
from collections.abc import Callable
from uuid import UUID

import attrs

from application.ports.system import Clock, SecretBox
from application.ports.unit_of_work import UnitOfWorkFactory
from application.ports.wb import WbApiError, WbAuthError, WbRateLimited, WbSellerApi
from application.use_cases.invalidation import invalidate_cabinet
from domain.errors import InvalidValue
from domain.wb_token import decode_wb_token

log = logging.getLogger(__name__)


@attrs.frozen
class ValidationSummary:
    checked: int
    invalid: int
    skipped: int
    remaining: int = 0
    """Cabinets not reached because WB rate-limited us; the next run covers them."""


@attrs.frozen
class ValidateAllCabinets:
    """Re-check every active cabinet's key, one at a time.

    A key that WB rejects (WbAuthError) or that has expired by its own `exp` (no WB call) makes the
    cabinet invalid, with one cabinet_invalid event in the outbox in the same unit of work. WbRateLimited
    stops the run (`remaining` says how many were not reached); WbUnavailable, other WB errors and a
    stored key that cannot be decrypted skip that cabinet without judging it. Idempotent: an invalid
    cabinet is not checked again, so a second run adds no event.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    id_factory: Callable[[], UUID]

    async def __call__(self) -> ValidationSummary:
        async with self.uow_factory() as uow:
            cabinets = list(await uow.cabinets.list_active())
            keys = {c.id: await uow.cabinets.get_encrypted_key(c.id) for c in cabinets}
        checked = invalid = skipped = 0
        for index, cabinet in enumerate(cabinets):
            try:
                reason = await self._rejection(keys[cabinet.id])
            except WbRateLimited:
                return ValidationSummary(checked, invalid, skipped, remaining=len(cabinets) - index)
            except (WbApiError, ValueError) as exc:
                log.warning("key check skipped for cabinet %s: %s", cabinet.id, exc)
                skipped += 1
                continue
            checked += 1
            if reason is not None:
                await invalidate_cabinet(
                    self.uow_factory, cabinet.id, reason, self.clock.now(), self.id_factory
                )
                invalid += 1
        return ValidationSummary(checked, invalid, skipped)

    async def _rejection(self, encrypted: bytes | None) -> str | None:
        """Why the key is dead, or None if WB accepts it. ValueError if the key cannot be decrypted."""
        if encrypted is None:
            raise ValueError("no stored key")
        api_key = self.secret_box.decrypt(encrypted)
        try:
            token = decode_wb_token(api_key)
        except InvalidValue as exc:
            return exc.reason
        if token.is_expired(self.clock.now()):
            return f"the key expired at {token.expires_at.isoformat()}"
        try:
            await self.wb_api.check_key(api_key)
        except WbAuthError as exc:
            return exc.detail
        return None
