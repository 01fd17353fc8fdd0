"""The shared in-memory state and the writes on it, each checking the constraints Postgres checks.

Entities are stored as private copies and handed out as copies, so a caller's object never changes
stored state behind a repository's back, just as with a database.
"""

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import attrs

from adapters.outbound.clock import SystemClock
from application.ports.system import Clock
from domain.errors import Conflict, NotFound
from domain.identity import Cabinet, Membership, User
from domain.notifications import NotificationSettings
from domain.orders import StatusChange


@attrs.define
class Tables:
    """One consistent state of every in-memory table."""

    users: dict[int, User] = attrs.Factory(dict)
    cabinets: dict[UUID, Cabinet] = attrs.Factory(dict)
    encrypted_keys: dict[UUID, bytes] = attrs.field(factory=dict, repr=False)
    memberships: dict[tuple[int, UUID], Membership] = attrs.Factory(dict)
    deletion_marks: dict[UUID, datetime] = attrs.Factory(dict)
    notification_settings: dict[int, NotificationSettings] = attrs.Factory(dict)  # by user id
    login_codes: dict[str, Any] = attrs.Factory(dict)  # by code hash (adapters/outbound/memory/auth.py)
    refresh_tokens: dict[UUID, Any] = attrs.Factory(dict)  # by id
    # Synced data, keyed as the Postgres primary keys (see adapters/outbound/memory/sync_writes.py).
    orders: dict[tuple[UUID, int], Any] = attrs.Factory(dict)
    final_orders: set[tuple[UUID, int]] = attrs.Factory(set)
    order_history: dict[tuple[Any, ...], StatusChange] = attrs.Factory(dict)
    stat_orders: dict[tuple[UUID, str], Any] = attrs.Factory(dict)
    sales: dict[tuple[UUID, str], Any] = attrs.Factory(dict)
    stocks: dict[tuple[UUID, int, int, int], Any] = attrs.Factory(dict)
    stock_alert_levels: dict[tuple[UUID, int], int | None] = attrs.Factory(dict)
    reviews: dict[tuple[UUID, str], Any] = attrs.Factory(dict)
    claims: dict[tuple[UUID, str], Any] = attrs.Factory(dict)
    finance_rows: dict[tuple[UUID, int], Any] = attrs.Factory(dict)  # by (cabinet_id, rrd_id)
    paid_storage: dict[tuple[Any, ...], Any] = attrs.Factory(dict)  # by PaidStorageRow.key
    source_states: dict[tuple[UUID, str], Any] = attrs.Factory(dict)
    events: dict[str, Any] = attrs.Factory(dict)
    notifications: dict[UUID, Any] = attrs.Factory(dict)  # adapters/outbound/memory/outbox.py
    delivery_attempts: list[Any] = attrs.Factory(list)
    # Order rollups (adapters/outbound/memory/rollups.py), keyed as their Postgres primary keys.
    rollup_days: dict[tuple[Any, ...], Any] = attrs.Factory(dict)
    rollup_hours: dict[tuple[Any, ...], int] = attrs.Factory(dict)
    rollup_sku_days: dict[tuple[Any, ...], Any] = attrs.Factory(dict)
    data_versions: dict[UUID, int] = attrs.Factory(dict)  # cabinets.data_version (decision 0017)
    cogs_versions: dict[tuple[UUID, UUID], Any] = attrs.Factory(dict)  # (cabinet, id): memory/cogs.py

    def copy(self) -> "Tables":
        # Stored entities are never mutated in place (writes replace them), so shallow copies suffice.
        return Tables(**{f.name: copy.copy(getattr(self, f.name)) for f in attrs.fields(Tables)})


Write = Callable[[Tables], object]


class InMemoryStore:
    """What the in-memory "database" holds, shared by every unit of work made from one factory."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.tables = Tables()
        self._last_user_id = 0

    def next_user_id(self) -> int:
        """Like a sequence: increasing, and never given back by a rollback."""
        self._last_user_id += 1
        return self._last_user_id

    def commit(self, writes: list[Write]) -> None:
        """Apply a unit's writes all or nothing. They are re-checked against the current state, so a unit
        that raced another one fails here with Conflict instead of overwriting it."""
        candidate = self.tables.copy()
        for write in writes:
            write(candidate)
        self.tables = candidate


def add_user(user: User) -> Write:
    def write(t: Tables) -> None:
        if user.id in t.users or any(u.telegram_id == user.telegram_id for u in t.users.values()):
            raise Conflict(f"a user with telegram_id {user.telegram_id} already exists")
        t.users[_known(user.id)] = user

    return write


def update_user(user: User) -> Write:
    def write(t: Tables) -> None:
        if user.id is None or (stored := t.users.get(user.id)) is None:
            raise NotFound("user", user.id)
        t.users[user.id] = attrs.evolve(
            stored,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            updated_at=user.updated_at or stored.updated_at,
        )

    return write


def add_cabinet(cabinet: Cabinet, encrypted_key: bytes) -> Write:
    def write(t: Tables) -> None:
        taken = _fingerprint_taken(t, cabinet.key_fingerprint, cabinet.id) or any(
            c.seller_id == cabinet.seller_id for c in t.cabinets.values()
        )
        if cabinet.id in t.cabinets or taken:
            raise Conflict("a cabinet of this seller (or with this key or id) already exists")
        t.cabinets[cabinet.id] = cabinet
        t.encrypted_keys[cabinet.id] = encrypted_key

    return write


def update_cabinet(cabinet: Cabinet) -> Write:
    def write(t: Tables) -> None:
        stored = t.cabinets.get(cabinet.id)
        if stored is None:
            raise NotFound("cabinet", cabinet.id)
        if _fingerprint_taken(t, cabinet.key_fingerprint, cabinet.id):
            raise Conflict("another cabinet already has this seller or API key")
        # The id, the seller and created_at never change, as in Postgres; a copy keeps the caller's
        # object (and its dict of blocked sources) out of the store.
        t.cabinets[cabinet.id] = attrs.evolve(
            cabinet,
            seller_id=stored.seller_id,
            created_at=stored.created_at,
            blocked_sources=dict(cabinet.blocked_sources),
        )

    return write


def replace_key(cabinet_id: UUID, encrypted_key: bytes) -> Write:
    def write(t: Tables) -> None:
        if cabinet_id not in t.cabinets:
            raise NotFound("cabinet", cabinet_id)
        t.encrypted_keys[cabinet_id] = encrypted_key

    return write


def schedule_deletion(cabinet_id: UUID, at: datetime) -> Write:
    def write(t: Tables) -> None:
        if cabinet_id not in t.cabinets:
            raise NotFound("cabinet", cabinet_id)
        t.deletion_marks[cabinet_id] = min(at, t.deletion_marks.get(cabinet_id, at))

    return write


def cancel_deletion(cabinet_id: UUID) -> Write:
    def write(t: Tables) -> None:
        t.deletion_marks.pop(cabinet_id, None)

    return write


# Synced tables keyed by (cabinet_id, …), as their Postgres primary keys: they go with the cabinet.
_KEYED_BY_CABINET = (
    "orders", "order_history", "stat_orders", "sales", "stocks", "stock_alert_levels", "reviews", "claims",
    "source_states", "rollup_days", "rollup_hours", "rollup_sku_days", "finance_rows", "paid_storage",
    "cogs_versions",
)  # fmt: skip


def delete_cabinet_if_due(cabinet_id: UUID, now: datetime) -> Write:
    """Like Postgres' ON DELETE CASCADE: the cabinet's key, mark, memberships, synced rows and events."""

    def write(t: Tables) -> bool:
        mark = t.deletion_marks.get(cabinet_id)
        if mark is None or mark > now or t.cabinets.pop(cabinet_id, None) is None:
            return False
        t.encrypted_keys.pop(cabinet_id, None)
        t.deletion_marks.pop(cabinet_id, None)
        t.data_versions.pop(cabinet_id, None)
        t.memberships = {k: m for k, m in t.memberships.items() if k[1] != cabinet_id}
        for name in _KEYED_BY_CABINET:
            setattr(t, name, {k: v for k, v in getattr(t, name).items() if k[0] != cabinet_id})
        t.final_orders = {k for k in t.final_orders if k[0] != cabinet_id}
        t.events = {k: r for k, r in t.events.items() if r.event.cabinet_id != cabinet_id}
        t.notifications = {k: n for k, n in t.notifications.items() if n.cabinet_id != cabinet_id}
        return True

    return write


def add_membership(membership: Membership) -> Write:
    def write(t: Tables) -> None:
        if membership.user_id not in t.users:
            raise NotFound("user", membership.user_id)
        if membership.cabinet_id not in t.cabinets:
            raise NotFound("cabinet", membership.cabinet_id)
        key = (membership.user_id, membership.cabinet_id)
        if key in t.memberships:
            raise Conflict(f"user {membership.user_id} is already in cabinet {membership.cabinet_id}")
        t.memberships[key] = membership

    return write


def remove_membership(user_id: int, cabinet_id: UUID) -> Write:
    def write(t: Tables) -> bool:
        return t.memberships.pop((user_id, cabinet_id), None) is not None

    return write


def _fingerprint_taken(t: Tables, fingerprint: str, own_id: UUID) -> bool:
    return any(c.key_fingerprint == fingerprint and c.id != own_id for c in t.cabinets.values())


def _known(user_id: int | None) -> int:
    if user_id is None:
        raise ValueError("a stored user needs an id")
    return user_id
