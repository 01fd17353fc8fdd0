"""A process-local CabinetLock for tests and the in-memory wiring ONLY: it excludes holders within one
event loop's process, not across processes (production uses PostgresCabinetLock)."""

from uuid import UUID


class InMemoryCabinetLockHandle:
    def __init__(self, held: set[UUID], cabinet_id: UUID) -> None:
        self._held = held
        self._cabinet_id = cabinet_id
        self._holding = False

    async def __aenter__(self) -> bool:
        # No await between the check and the add, so two tasks cannot both take it.
        if self._cabinet_id in self._held:
            return False
        self._held.add(self._cabinet_id)
        self._holding = True
        return True

    async def __aexit__(self, *exc: object) -> None:
        if self._holding:
            self._held.discard(self._cabinet_id)
            self._holding = False


class InMemoryCabinetLock:
    """Handles from one InMemoryCabinetLock exclude each other; separate instances do not."""

    def __init__(self) -> None:
        self._held: set[UUID] = set()

    def hold(self, cabinet_id: UUID) -> InMemoryCabinetLockHandle:
        return InMemoryCabinetLockHandle(self._held, cabinet_id)
