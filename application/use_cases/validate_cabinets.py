"""ValidateAllCabinets: the daily (and the bot's on-demand) re-check of every cabinet's key."""

import enum
import logging
from collections.abc import Callable
from typing import Literal
from uuid import UUID

import attrs

from application.ports.system import Clock, SecretBox
from application.ports.unit_of_work import UnitOfWorkFactory
from application.ports.wb import WbApiError, WbAuthError, WbRateLimited, WbSellerApi
from application.use_cases.invalidation import invalidate_cabinet
from application.use_cases.purge_cabinets import PurgeCabinets
from domain.errors import InvalidValue
from domain.identity import Cabinet, CabinetStatus
from domain.wb_token import decode_wb_token

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    VALID = "valid"  # WB accepted the key
    INVALID = "invalid"  # WB rejected it, or it expired: the cabinet is (now) invalid
    ALREADY_INVALID = "already_invalid"  # not asked again: only a reconnect revives a dead key
    UNCHECKED = "unchecked"  # WB could not answer (timeout, 5xx, other error): nothing judged
    NOT_REACHED = "not_reached"  # WB rate-limited the run before this cabinet: the next run covers it
    REMOVED = "removed"  # deleted with its data by the purge: invalid or memberless past the retention


@attrs.frozen
class CabinetCheck:
    """One cabinet's line in the summary. Never carries the key."""

    cabinet_id: UUID
    name: str
    status_before: CabinetStatus
    outcome: Outcome
    reason: str | None = None

    @property
    def status_after(self) -> Literal["active", "invalid", "removed"]:
        if self.outcome is Outcome.REMOVED:
            return "removed"
        return "invalid" if self.outcome in (Outcome.INVALID, Outcome.ALREADY_INVALID) else "active"


@attrs.frozen
class ValidationSummary:
    checks: tuple[CabinetCheck, ...]

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for c in self.checks if c.outcome in outcomes)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def valid(self) -> int:
        return self.count(Outcome.VALID)

    @property
    def invalid(self) -> int:
        """Cabinets this run found dead (not those already invalid)."""
        return self.count(Outcome.INVALID)

    @property
    def removed(self) -> int:
        return self.count(Outcome.REMOVED)

    @property
    def errors(self) -> tuple[CabinetCheck, ...]:
        """The cabinets WB could not judge this time: unchecked or not reached."""
        return tuple(c for c in self.checks if c.outcome in (Outcome.UNCHECKED, Outcome.NOT_REACHED))


@attrs.frozen
class ValidateAllCabinets:
    """Re-check every active cabinet's key, one at a time, then run the purge (if given).

    A key that WB rejects (WbAuthError) or that has expired by its own `exp` (no WB call) makes the
    cabinet invalid, with one cabinet_invalid event in the outbox in the same unit of work; its data stays
    for the retention period. WbRateLimited stops the checks (the rest are NOT_REACHED); WbUnavailable (a
    timeout or a 5xx), other WB errors and a stored key that cannot be decrypted leave that cabinet
    UNCHECKED: none of them ever changes a cabinet. Already invalid cabinets are listed, not asked again.
    Idempotent: a second run adds no event. The purge then deletes only cabinets whose retention ran out.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    id_factory: Callable[[], UUID]
    purge: PurgeCabinets | None = None

    async def __call__(self) -> ValidationSummary:
        async with self.uow_factory() as uow:
            cabinets = list(await uow.cabinets.list_all())
            keys = {c.id: await uow.cabinets.get_encrypted_key(c.id) for c in cabinets if c.is_active}
        checks: list[CabinetCheck] = []
        limited: str | None = None
        for cabinet in cabinets:
            if not cabinet.is_active:
                checks.append(_check(cabinet, Outcome.ALREADY_INVALID, cabinet.invalid_reason))
            elif limited is not None:
                checks.append(_check(cabinet, Outcome.NOT_REACHED, limited))
            else:
                check = await self._validate(cabinet, keys[cabinet.id])
                limited = check.reason if check.outcome is Outcome.NOT_REACHED else None
                checks.append(check)
        return ValidationSummary(await self._purged(checks))

    async def _validate(self, cabinet: Cabinet, encrypted: bytes | None) -> CabinetCheck:
        try:
            reason = await self._rejection(encrypted)
        except WbRateLimited as exc:
            return _check(cabinet, Outcome.NOT_REACHED, f"WB rate-limited the check: {exc.detail}")
        except (WbApiError, ValueError) as exc:
            why = exc.detail if isinstance(exc, WbApiError) else str(exc)
            log.warning("key check skipped", extra={"cabinet_id": str(cabinet.id), "reason": why})
            return _check(cabinet, Outcome.UNCHECKED, f"the key could not be checked: {why}")
        if reason is None:
            return _check(cabinet, Outcome.VALID)
        await invalidate_cabinet(self.uow_factory, cabinet.id, reason, self.clock.now(), self.id_factory)
        return _check(cabinet, Outcome.INVALID, reason)

    async def _purged(self, checks: list[CabinetCheck]) -> tuple[CabinetCheck, ...]:
        if self.purge is None:
            return tuple(checks)
        removed = {r.cabinet_id for r in (await self.purge()).removed}
        return tuple(_as_removed(c) if c.cabinet_id in removed else c for c in checks)

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


def _check(cabinet: Cabinet, outcome: Outcome, reason: str | None = None) -> CabinetCheck:
    return CabinetCheck(cabinet.id, cabinet.name, cabinet.status, outcome, reason)


def _as_removed(check: CabinetCheck) -> CabinetCheck:
    why = f"deleted with its data after the retention period ({check.reason or 'no member left'})"
    return attrs.evolve(check, outcome=Outcome.REMOVED, reason=why)
