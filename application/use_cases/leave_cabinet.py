"""LeaveCabinet: a user leaves a cabinet; the last one out marks it for deletion after the retention."""

from datetime import datetime, timedelta
from uuid import UUID

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef, find_user, member_cabinets

DEFAULT_RETENTION = timedelta(days=30)


@attrs.frozen
class Departure:
    cabinet_id: UUID
    name: str
    members_left: int
    delete_after: datetime | None


@attrs.frozen
class LeaveCabinet:
    """Remove the user from the cabinet. When no member is left, the cabinet (with its data) is marked for
    deletion `retention` from now (CABINET_RETENTION_DAYS); a member joining again clears the mark
    (ConnectCabinet), so a seller who leaves by mistake loses nothing within that time.

    NotFound('user') for an unknown user, NotFound('cabinet') for an unknown cabinet, NotMember if the user
    is not in it (so leaving twice is a NotMember the second time: the bot shows it, nothing changes).
    """

    uow_factory: UnitOfWorkFactory
    clock: Clock
    retention: timedelta = DEFAULT_RETENTION

    async def __call__(self, ref: UserRef, cabinet_id: UUID) -> Departure:
        async with self.uow_factory() as uow:
            user = await find_user(uow, ref)
            [cabinet] = await member_cabinets(uow, user, cabinet_id)  # NotFound / NotMember
            assert user.id is not None
            await uow.memberships.remove(user.id, cabinet_id)
            left = len(await uow.memberships.list_for_cabinet(cabinet_id))
            if left == 0:
                await uow.cabinets.schedule_deletion(cabinet_id, self.clock.now() + self.retention)
            delete_after = await uow.cabinets.deletion_scheduled_at(cabinet_id)
            await uow.commit()
        return Departure(cabinet_id, cabinet.name, left, delete_after)
