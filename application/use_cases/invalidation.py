"""Marking a cabinet's key dead, shared by ValidateAllCabinets and SyncCabinet."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from application.ports.unit_of_work import UnitOfWorkFactory
from domain.events import cabinet_invalid_event


async def invalidate_cabinet(
    uow_factory: UnitOfWorkFactory, cabinet_id: UUID, reason: str, at: datetime, new_id: Callable[[], UUID]
) -> bool:
    """Mark the cabinet invalid and put one cabinet_invalid event in the outbox, in one unit of work.

    Returns True if the cabinet was active. An already invalid cabinet gets the new reason but no second
    event, so re-running a check is idempotent.
    """
    async with uow_factory() as uow:
        cabinet = await uow.cabinets.get(cabinet_id)
        if cabinet is None:
            return False
        changed = cabinet.mark_invalid(reason)
        await uow.cabinets.update(cabinet)
        if changed:
            await uow.events.add_many([cabinet_invalid_event(cabinet_id, reason, at)], [new_id()], at)
        await uow.commit()
    return changed
