"""Who is asking, and which cabinets they may see: the lookups every bot and dashboard use case starts with.

The bot names a user by `telegram_id` or by `user_id` (seed 000 uses both); an unknown one is NotFound, never
silently created. A cabinet asked for by a user who is not its member is NotMember (a 403), so one seller
never sees another's data.
"""

from collections.abc import Sequence
from uuid import UUID

import attrs

from application.errors import ApplicationError
from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidValue, NotFound
from domain.identity import Cabinet, User

MAX_ID = 2**63 - 1  # ids are BIGINT: a larger one names nobody


class NotMember(ApplicationError):
    """The user is not a member of the cabinet they asked about."""

    def __init__(self, cabinet_id: UUID) -> None:
        super().__init__(f"the user is not a member of cabinet {cabinet_id}")
        self.cabinet_id = cabinet_id


@attrs.frozen
class UserRef:
    """A user as the bot names them: exactly one of the two ids."""

    telegram_id: int | None = None
    user_id: int | None = None

    def __attrs_post_init__(self) -> None:
        if (self.telegram_id is None) == (self.user_id is None):
            raise InvalidValue("telegram_id", "give telegram_id or user_id (one of them)")
        for name in ("telegram_id", "user_id"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= MAX_ID:
                raise InvalidValue(name, f"must be a positive integer up to {MAX_ID}")


async def find_user(uow: UnitOfWork, ref: UserRef) -> User:
    """The user, or NotFound('user')."""
    if ref.user_id is not None:
        user = await uow.users.get(ref.user_id)
    else:
        assert ref.telegram_id is not None  # UserRef guarantees one of the two
        user = await uow.users.get_by_telegram_id(ref.telegram_id)
    if user is None or user.id is None:
        raise NotFound("user", ref.user_id if ref.user_id is not None else ref.telegram_id)
    return user


async def member_cabinets(uow: UnitOfWork, user: User, cabinet_id: UUID | None = None) -> Sequence[Cabinet]:
    """The user's cabinets (all of them, oldest membership first), or just `cabinet_id`: NotFound if there is
    no such cabinet, NotMember if the user is not in it."""
    assert user.id is not None
    if cabinet_id is not None:
        cabinet = await uow.cabinets.get(cabinet_id)
        if cabinet is None:
            raise NotFound("cabinet", str(cabinet_id))
        if await uow.memberships.get(user.id, cabinet_id) is None:
            raise NotMember(cabinet_id)
        return [cabinet]
    found = []
    for membership in await uow.memberships.list_for_user(user.id):
        cabinet = await uow.cabinets.get(membership.cabinet_id)
        if cabinet is not None:
            found.append(cabinet)
    return found
