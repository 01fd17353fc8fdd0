"""ListActiveCabinets: which cabinets the scheduler should sync."""

from collections.abc import Sequence
from uuid import UUID

import attrs

from application.ports.unit_of_work import UnitOfWorkFactory


@attrs.frozen
class ListActiveCabinets:
    """Ids of every cabinet whose key is not known to be dead, oldest first. Read-only."""

    uow_factory: UnitOfWorkFactory

    async def __call__(self) -> Sequence[UUID]:
        async with self.uow_factory() as uow:
            return [c.id for c in await uow.cabinets.list_active()]
