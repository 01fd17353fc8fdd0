"""In-memory user, cabinet and membership repositories. They read the unit of work's view and stage their
writes in it; nothing reaches the shared store before the unit commits."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

import attrs

from adapters.outbound.memory import store as db
from domain.identity import Cabinet, CabinetStatus, Membership, User


class Staging(Protocol):
    """What a repository needs from its unit of work."""

    @property
    def view(self) -> db.Tables: ...

    @property
    def store(self) -> db.InMemoryStore: ...

    def stage(self, write: db.Write) -> object: ...


class InMemoryUserRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add(self, user: User) -> User:
        by_telegram_id = await self.get_by_telegram_id(user.telegram_id)
        if by_telegram_id is None:  # take an id only for a user that can be stored, as Postgres does
            user.id = self._unit.store.next_user_id()
            user.created_at = user.created_at or self._unit.store.clock.now()
            user.updated_at = user.updated_at or user.created_at
        self._unit.stage(db.add_user(attrs.evolve(user)))
        return user

    async def get(self, user_id: int) -> User | None:
        found = self._unit.view.users.get(user_id)
        return None if found is None else attrs.evolve(found)

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        found = next((u for u in self._unit.view.users.values() if u.telegram_id == telegram_id), None)
        return None if found is None else attrs.evolve(found)

    async def update(self, user: User) -> None:
        self._unit.stage(db.update_user(attrs.evolve(user)))


class InMemoryCabinetRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add(self, cabinet: Cabinet, encrypted_key: bytes) -> None:
        self._unit.stage(db.add_cabinet(attrs.evolve(cabinet), bytes(encrypted_key)))

    async def get(self, cabinet_id: UUID) -> Cabinet | None:
        found = self._unit.view.cabinets.get(cabinet_id)
        return None if found is None else attrs.evolve(found)

    async def get_by_seller_id(self, seller_id: str) -> Cabinet | None:
        cabinets = self._unit.view.cabinets.values()
        found = next((c for c in cabinets if c.seller_id == seller_id), None)
        return None if found is None else attrs.evolve(found)

    async def get_encrypted_key(self, cabinet_id: UUID) -> bytes | None:
        return self._unit.view.encrypted_keys.get(cabinet_id)

    async def update(self, cabinet: Cabinet) -> None:
        self._unit.stage(db.update_cabinet(attrs.evolve(cabinet)))

    async def replace_key(self, cabinet_id: UUID, encrypted_key: bytes) -> None:
        self._unit.stage(db.replace_key(cabinet_id, bytes(encrypted_key)))

    async def list_active(self) -> Sequence[Cabinet]:
        ordered = sorted(self._unit.view.cabinets.values(), key=lambda c: (c.created_at, c.id))
        return [attrs.evolve(c) for c in ordered if c.status is CabinetStatus.ACTIVE]

    async def list_all(self) -> Sequence[Cabinet]:
        ordered = sorted(self._unit.view.cabinets.values(), key=lambda c: (c.created_at, c.id))
        return [attrs.evolve(c) for c in ordered]

    async def schedule_deletion(self, cabinet_id: UUID, at: datetime) -> None:
        self._unit.stage(db.schedule_deletion(cabinet_id, at))

    async def cancel_deletion(self, cabinet_id: UUID) -> None:
        self._unit.stage(db.cancel_deletion(cabinet_id))

    async def deletion_scheduled_at(self, cabinet_id: UUID) -> datetime | None:
        return self._unit.view.deletion_marks.get(cabinet_id)

    async def list_due_for_deletion(self, now: datetime) -> Sequence[UUID]:
        due = [(at, c) for c, at in self._unit.view.deletion_marks.items() if at <= now]
        return [c for _, c in sorted(due)]

    async def delete_if_due(self, cabinet_id: UUID, now: datetime) -> bool:
        return bool(self._unit.stage(db.delete_cabinet_if_due(cabinet_id, now)))


class InMemoryMembershipRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add(self, membership: Membership) -> None:
        self._unit.stage(db.add_membership(membership))

    async def get(self, user_id: int, cabinet_id: UUID) -> Membership | None:
        return self._unit.view.memberships.get((user_id, cabinet_id))

    async def remove(self, user_id: int, cabinet_id: UUID) -> bool:
        return bool(self._unit.stage(db.remove_membership(user_id, cabinet_id)))

    async def list_for_user(self, user_id: int) -> Sequence[Membership]:
        found = [m for m in self._unit.view.memberships.values() if m.user_id == user_id]
        return sorted(found, key=lambda m: (m.joined_at, m.cabinet_id))

    async def list_for_cabinet(self, cabinet_id: UUID) -> Sequence[Membership]:
        found = [m for m in self._unit.view.memberships.values() if m.cabinet_id == cabinet_id]
        return sorted(found, key=lambda m: (m.joined_at, m.user_id))
