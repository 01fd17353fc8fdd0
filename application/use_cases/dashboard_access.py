"""Who is calling the dashboard, and may they see this cabinet: what its guards ask on every request;
and `GetMe`, the signed-in user with their cabinets."""

from collections.abc import Sequence
from uuid import UUID

import attrs

from application.ports.answers import CabinetFacts
from application.ports.auth import AccessTokens
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import NotMember, UserRef, find_user
from domain.identity import Cabinet, Role, User


@attrs.frozen
class Authenticate:
    """The user id an access token names. InvalidToken (missing, malformed, forged, expired...). Pure:
    the token is trusted for its 15 minutes without a database read."""

    access_tokens: AccessTokens
    clock: Clock

    async def __call__(self, token: str) -> int:
        return self.access_tokens.verify(token, self.clock.now())


@attrs.frozen
class AuthorizeCabinet:
    """Passes if the user is a member of the cabinet. NotMember otherwise, and also for a cabinet that does
    not exist, so that the answer says nothing about other sellers' cabinets. Read-only."""

    facts: CabinetFacts

    async def __call__(self, user_id: int, cabinet_id: UUID) -> None:
        if not await self.facts.is_member(user_id, cabinet_id):
            raise NotMember(cabinet_id)


@attrs.frozen
class MemberCabinet:
    cabinet: Cabinet
    role: Role


@attrs.frozen
class Me:
    user: User
    cabinets: Sequence[MemberCabinet]


@attrs.frozen
class GetMe:
    """The signed-in user and the cabinets they belong to with their role, oldest membership first.
    NotFound if the user no longer exists. Read-only."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self, user_id: int) -> Me:
        async with self.uow_factory() as uow:
            user = await find_user(uow, UserRef(user_id=user_id))
            found = []
            for membership in await uow.memberships.list_for_user(user_id):
                cabinet = await uow.cabinets.get(membership.cabinet_id)
                if cabinet is not None:
                    found.append(MemberCabinet(cabinet, membership.role))
        return Me(user, found)
