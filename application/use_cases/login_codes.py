"""The bot's way into the dashboard: it asks for a one-time code for its user and sends them a link with
it; the dashboard exchanges the code for a session."""

from datetime import datetime

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef, find_user
from application.use_cases.auth_session import (
    InvalidLoginCode,
    SessionIssuer,
    SessionPolicy,
    Tokens,
    new_secret,
)
from domain.auth import LoginCode, secret_hash


@attrs.frozen
class IssuedLoginCode:
    code: str
    expires_at: datetime


@attrs.frozen
class IssueLoginCode:
    """A new one-time login code for a registered user, valid `policy.login_code_lifetime`; only its hash
    is stored. NotFound for an unknown user (the bot registers users first). Not idempotent: each call is
    a new code, and earlier codes stay valid until used or expired."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: SessionPolicy = attrs.Factory(SessionPolicy)

    async def __call__(self, user: UserRef) -> IssuedLoginCode:
        code = new_secret()
        async with self.uow_factory() as uow:
            found = await find_user(uow, user)
            assert found.id is not None
            expires_at = self.clock.now() + self.policy.login_code_lifetime
            await uow.login_codes.add(LoginCode(secret_hash(code), found.id, expires_at))
            await uow.commit()
        return IssuedLoginCode(code, expires_at)


@attrs.frozen
class ExchangeLoginCode:
    """A session for the code's user; the code is used up in the same transaction. InvalidLoginCode for
    an unknown, used or expired code alike. Not idempotent by design: a code works once."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    sessions: SessionIssuer

    async def __call__(self, code: str) -> Tokens:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            user_id = await uow.login_codes.consume(secret_hash(code), now)
            if user_id is None:
                raise InvalidLoginCode()
            tokens = await self.sessions.issue(uow, user_id, now)
            await uow.commit()
        return tokens
