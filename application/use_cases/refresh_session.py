"""Rotating refresh tokens with reuse detection, and logout (docs/decisions/0014-dashboard-auth.md)."""

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.auth_session import InvalidRefreshToken, SessionIssuer, Tokens
from domain.auth import RefreshState, secret_hash


@attrs.frozen
class RefreshSession:
    """A new access token and a new refresh token of the same family for an active refresh token, which
    is marked used. A used one presented again means it leaked (or a client raced itself): the whole
    family is revoked, so the newer token stops working too, and the call fails. InvalidRefreshToken for
    an unknown, used, revoked or expired token alike. Not idempotent by design: a token works once."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    sessions: SessionIssuer

    async def __call__(self, refresh_token: str) -> Tokens:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            token = await uow.refresh_tokens.get_by_hash(secret_hash(refresh_token), for_update=True)
            state = None if token is None else token.state_at(now)
            if token is not None and state is RefreshState.USED:
                await uow.refresh_tokens.revoke_family(token.family_id, now)
                await uow.commit()
            if token is None or state is not RefreshState.ACTIVE:
                raise InvalidRefreshToken()
            await uow.refresh_tokens.mark_used(token.id, now)
            tokens = await self.sessions.issue(uow, token.user_id, now, family_id=token.family_id)
            await uow.commit()
        return tokens


@attrs.frozen
class Logout:
    """Revoke the session the refresh token belongs to (every token of its family). Idempotent, and
    silent about tokens it does not know (RFC 7009): logging out never fails."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, refresh_token: str) -> None:
        async with self.uow_factory() as uow:
            token = await uow.refresh_tokens.get_by_hash(secret_hash(refresh_token), for_update=True)
            if token is not None:
                await uow.refresh_tokens.revoke_family(token.family_id, self.clock.now())
                await uow.commit()
