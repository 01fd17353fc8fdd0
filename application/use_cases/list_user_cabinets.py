"""ListUserCabinets: the cabinets a user is in, as the bot shows them (seed 000 §0.4, §5.3)."""

from collections.abc import Sequence
from datetime import datetime

import attrs

from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.sync.sources import SOURCE_NAMES
from application.use_cases.access import UserRef, find_user, member_cabinets
from domain.identity import Cabinet, Role


@attrs.frozen
class Member:
    telegram_id: int
    username: str | None
    role: Role


@attrs.frozen
class SourceSync:
    source: str
    last_success_at: datetime | None
    last_error: str | None


@attrs.frozen
class UserCabinet:
    """One cabinet as its member sees it. Nothing of the key but its facts (expiry, categories)."""

    cabinet: Cabinet
    role: Role
    members: Sequence[Member]
    sources: Sequence[SourceSync]
    delete_after: datetime | None


@attrs.frozen
class ListUserCabinets:
    """The user's cabinets, oldest membership first, each with the user's role, its members (oldest first),
    the last sync of every source (in sync order, never-synced ones included) and when it will be deleted
    if its last member left. Read-only; NotFound('user') for an unknown user."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self, ref: UserRef) -> list[UserCabinet]:
        async with self.uow_factory() as uow:
            user = await find_user(uow, ref)
            assert user.id is not None
            return [await _view(uow, user.id, c) for c in await member_cabinets(uow, user)]


async def _view(uow: UnitOfWork, user_id: int, cabinet: Cabinet) -> UserCabinet:
    members = []
    role = Role.MEMBER
    for membership in await uow.memberships.list_for_cabinet(cabinet.id):
        if membership.user_id == user_id:
            role = membership.role
        member = await uow.users.get(membership.user_id)
        if member is not None:
            members.append(Member(member.telegram_id, member.username, membership.role))
    states = {s.source: s for s in await uow.source_states.list_for_cabinet(cabinet.id)}
    sources = [
        SourceSync(name, states[name].last_success_at, states[name].last_error)
        if name in states
        else SourceSync(name, None, None)
        for name in SOURCE_NAMES
    ]
    delete_after = await uow.cabinets.deletion_scheduled_at(cabinet.id)
    return UserCabinet(cabinet, role, members, sources, delete_after)
