"""CabinetOverview: one cabinet as its member sees it on the dashboard (decision 0023, the dashboard page)."""

from uuid import UUID

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef
from application.use_cases.cabinet_data_health import CabinetDataHealth, CabinetHealth
from application.use_cases.list_user_cabinets import ListUserCabinets, UserCabinet
from domain.errors import NotFound


@attrs.frozen
class CabinetView:
    cabinet: UserCabinet
    health: CabinetHealth
    token_expires_in_days: int
    """Whole days until the key expires, rounded down by the clock: 0 within the last day, negative once
    expired (as the token_expiring notification counts them)."""


@attrs.frozen
class CabinetOverview:
    """The cabinet as ListUserCabinets shows it to the user (role, members, key facts), its data health as
    CabinetDataHealth reports it, and the days left of its key. NotFound('cabinet') when the user is not
    (or no longer) its member, NotFound('user') for an unknown user. Read-only."""

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(self, user_id: int, cabinet_id: UUID) -> CabinetView:
        mine = await ListUserCabinets(self.uow_factory)(UserRef(user_id=user_id))
        found = next((c for c in mine if c.cabinet.id == cabinet_id), None)
        if found is None:
            raise NotFound("cabinet", str(cabinet_id))
        health = await CabinetDataHealth(self.uow_factory)(cabinet_id)
        left = found.cabinet.token_expires_at - self.clock.now()
        return CabinetView(found, health, left.days)
