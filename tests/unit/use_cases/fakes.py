"""Fakes for the use-case tests: a scripted WB, a whole unit of work in memory, a lock, a clock.

The unit of work copies the committed state on entry and publishes its copy on commit, so rollback and
"crash before commit" behave as with a database. Entities go in and out as copies.
"""

import base64
import json
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import attrs

from application.errors import WbAuthError
from application.sync_ports import OrderStatusUpdate, SyncCursor
from application.wb_api import FbsOrdersPage, FbsStatus, SellerInfo, WbCredentials
from domain.errors import Conflict, NotFound
from domain.identity import Cabinet, Membership, User
from domain.orders import Order, StatusChange
from domain.wb_token import WbCategory, mask_from_categories

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ALL = frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS, WbCategory.ANALYTICS, WbCategory.FEEDBACKS,
                 WbCategory.RETURNS})  # fmt: skip


def wb_key(sid: str = "seller-1", exp: datetime = T0 + timedelta(days=180), categories=ALL) -> str:
    """An unsigned WB-style JWT: header.payload.signature, base64url."""

    def b64(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    payload = {"exp": int(exp.timestamp()), "sid": sid, "s": mask_from_categories(set(categories)), "acc": 3}
    return f"{b64({'alg': 'ES256'})}.{b64(payload)}.c2ln"


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> None:
        self.at += timedelta(**kw)


class FakeSecretBox:
    def encrypt(self, plaintext: str) -> bytes:
        return b"enc:" + plaintext.encode()

    def decrypt(self, ciphertext: bytes) -> str:
        if not ciphertext.startswith(b"enc:"):
            raise ValueError("foreign ciphertext")
        return ciphertext[4:].decode()

    def fingerprint(self, plaintext: str) -> str:
        return "fp:" + str(hash(plaintext))


class FakeLock:
    def __init__(self) -> None:
        self.held: set[UUID] = set()

    def hold(self, cabinet_id: UUID) -> "_Handle":
        return _Handle(self, cabinet_id)


@attrs.define
class _Handle:
    lock: FakeLock
    cabinet_id: UUID
    mine: bool = False

    async def __aenter__(self) -> bool:
        if self.cabinet_id in self.lock.held:
            return False
        self.lock.held.add(self.cabinet_id)
        self.mine = True
        return True

    async def __aexit__(self, *exc: object) -> None:
        if self.mine:
            self.lock.held.discard(self.cabinet_id)


TABLES = ("users", "cabinets", "keys", "memberships", "orders", "history", "stat_orders", "sales", "stocks",
          "reviews", "claims", "cursors", "events", "final")  # fmt: skip


def _same(a: object, b: object) -> bool:
    return attrs.asdict(a, recurse=False) == attrs.asdict(b, recurse=False)  # type: ignore[arg-type]


class FakeStore:
    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Any]] = {t: {} for t in TABLES}
        self.commits = 0
        self.next_user = 0

    def rows(self, table: str, cabinet_id: UUID) -> list[Any]:
        return [v for k, v in self.tables[table].items() if k[0] == cabinet_id]


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.t: dict[str, dict[Any, Any]] = {}
        repo = _Repos(self)
        self.users = self.cabinets = self.memberships = self.orders = repo
        self.stat_orders, self.sales, self.stocks = _Keyed(self, "stat_orders", "srid", False), _Keyed(
            self, "sales", "sale_id", True), _Stocks(self)  # fmt: skip
        self.reviews, self.claims = _Keyed(self, "reviews", "id", True), _Keyed(self, "claims", "id", True)
        self.sync_cursors, self.events = _Cursors(self), _Events(self)

    async def __aenter__(self) -> "FakeUnitOfWork":
        self.t = {k: dict(v) for k, v in self.store.tables.items()}
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.t = {}

    async def commit(self) -> None:
        self.store.tables = {k: dict(v) for k, v in self.t.items()}
        self.store.commits += 1

    async def rollback(self) -> None:
        await self.__aenter__()


class FakeUnitOfWorkFactory:
    def __init__(self, store: FakeStore | None = None) -> None:
        self.store = store or FakeStore()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store)


class _Repos:
    """users / cabinets / memberships / orders: dispatched by method name on one object for brevity."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.u = uow

    # users
    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return next(
            (attrs.evolve(u) for u in self.u.t["users"].values() if u.telegram_id == telegram_id), None
        )

    # cabinets
    async def get_by_fingerprint(self, fp: str) -> Cabinet | None:
        return next((attrs.evolve(c) for c in self.u.t["cabinets"].values() if c.key_fingerprint == fp), None)

    async def get_encrypted_key(self, cabinet_id: UUID) -> bytes | None:
        return self.u.t["keys"].get(cabinet_id)

    async def update(self, cabinet: Cabinet) -> None:
        if cabinet.id not in self.u.t["cabinets"]:
            raise NotFound("cabinet", cabinet.id)
        self.u.t["cabinets"][cabinet.id] = attrs.evolve(cabinet)

    async def replace_key(self, cabinet_id: UUID, encrypted_key: bytes) -> None:
        self.u.t["keys"][cabinet_id] = encrypted_key

    async def list_active(self) -> list[Cabinet]:
        return [attrs.evolve(c) for c in self.u.t["cabinets"].values() if c.is_active]

    async def add(self, item: Any, encrypted_key: bytes | None = None) -> Any:
        if isinstance(item, Cabinet):
            if any(c.key_fingerprint == item.key_fingerprint for c in self.u.t["cabinets"].values()):
                raise Conflict("fingerprint taken")
            self.u.t["cabinets"][item.id] = attrs.evolve(item)
            self.u.t["keys"][item.id] = encrypted_key
        elif isinstance(item, Membership):
            key = (item.user_id, item.cabinet_id)
            if key in self.u.t["memberships"]:
                raise Conflict("already a member")
            self.u.t["memberships"][key] = item
        return item

    async def get(self, *key: Any) -> Any:
        if len(key) == 2:
            return self.u.t["memberships"].get(key)
        found = self.u.t["cabinets"].get(key[0])
        return attrs.evolve(found) if found else None

    async def list_for_cabinet(self, cabinet_id: UUID) -> list[Membership]:
        return [m for m in self.u.t["memberships"].values() if m.cabinet_id == cabinet_id]

    # orders
    async def upsert_many(self, orders: Sequence[Order]) -> int:
        written = 0
        for o in orders:
            key = (o.cabinet_id, o.order_id)
            old = self.u.t["orders"].get(key)
            new = o if old is None else attrs.evolve(
                o, supplier_status=old.supplier_status, wb_status=old.wb_status,
                status_updated_at=old.status_updated_at)  # fmt: skip
            if old is None or not _same(old, new):
                self.u.t["orders"][key] = attrs.evolve(new)
                written += 1
        return written

    async def get_many(self, cabinet_id: UUID, order_ids: Sequence[int]) -> dict[int, Order]:
        t = self.u.t["orders"]
        return {i: attrs.evolve(t[(cabinet_id, i)]) for i in order_ids if (cabinet_id, i) in t}

    async def unfinished_ids(self, cabinet_id: UUID, after_id: int, limit: int) -> list[int]:
        final = self.u.t.setdefault("final", {})
        ids = sorted(k[1] for k in self.u.t["orders"] if k[0] == cabinet_id and not final.get(k))
        return [i for i in ids if i > after_id][:limit]

    async def apply_status_updates(self, cabinet_id: UUID, updates: Sequence[OrderStatusUpdate]) -> int:
        for up in updates:
            key = (cabinet_id, up.order_id)
            self.u.t["orders"][key] = attrs.evolve(
                self.u.t["orders"][key], supplier_status=up.supplier, wb_status=up.wb,
                status_updated_at=up.changed_at)  # fmt: skip
            self.u.t.setdefault("final", {})[key] = up.is_final
        return len(updates)

    async def add_history(self, cabinet_id: UUID, changes: Sequence[StatusChange]) -> int:
        new = [c for c in changes if (cabinet_id, c) not in self.u.t["history"]]
        self.u.t["history"].update({(cabinet_id, c): c for c in new})
        return len(new)


class _Keyed:
    def __init__(self, uow: FakeUnitOfWork, table: str, key: str, return_new_ids: bool) -> None:
        self.u, self.table, self.key, self.ids = uow, table, key, return_new_ids

    async def upsert_many(self, rows: Sequence[Any]) -> Any:
        t, new, written = self.u.t[self.table], [], 0
        for r in rows:
            k = (r.cabinet_id, getattr(r, self.key))
            old = t.get(k)
            if old is None:
                new.append(k[1])
            if old is None or not _same(old, r):
                t[k] = attrs.evolve(r)
                written += 1
        return new if self.ids else written

    async def count(self, cabinet_id: UUID) -> int:
        return sum(1 for k in self.u.t[self.table] if k[0] == cabinet_id)


class _Stocks:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.u = uow

    async def replace_all(self, cabinet_id: UUID, rows: Sequence[Any], at: datetime) -> int:
        old = self.u.t["stocks"].get((cabinet_id,), ())
        self.u.t["stocks"][(cabinet_id,)] = tuple(rows)
        return 0 if tuple(old) == tuple(rows) else len(set(rows) ^ set(old))

    async def list(self, cabinet_id: UUID) -> Sequence[Any]:
        return self.u.t["stocks"].get((cabinet_id,), ())


class _Cursors:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.u = uow

    async def get(self, cabinet_id: UUID, source: str) -> SyncCursor | None:
        c = self.u.t["cursors"].get((cabinet_id, source))
        return attrs.evolve(c) if c else None

    async def save(self, cursor: SyncCursor) -> None:
        self.u.t["cursors"][(cursor.cabinet_id, cursor.source)] = attrs.evolve(
            cursor, cursor=dict(cursor.cursor or {})
        )

    async def list_for_cabinet(self, cabinet_id: UUID) -> list[SyncCursor]:
        return [attrs.evolve(c) for k, c in self.u.t["cursors"].items() if k[0] == cabinet_id]


class _Events:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.u = uow

    async def add_many(self, events: Sequence[Any], ids: Sequence[UUID], at: datetime) -> int:
        t = self.u.t["events"]
        new = [e for e in events if e.dedupe_key not in t]
        t.update({e.dedupe_key: e for e in new})
        return len(new)


@attrs.define
class FakeWbSellerApi:
    """Behaves like WB on scripted data. `fail[method] = {call_number: exception}` injects failures
    (1-based, counted per method); `calls` records (method, args)."""

    rejected: dict[str, str] = attrs.Factory(dict)
    orders: list[Order] = attrs.Factory(list)
    new_orders: list[Order] = attrs.Factory(list)
    statuses: dict[int, FbsStatus] = attrs.Factory(dict)
    stat_rows: list[Any] = attrs.Factory(list)
    sale_rows: list[Any] = attrs.Factory(list)
    stock_rows: list[Any] = attrs.Factory(list)
    reviews: dict[bool | None, list[Any]] = attrs.Factory(dict)
    claim_rows: dict[bool, list[Any]] = attrs.Factory(dict)
    stat_cap: int = 80_000
    chunk: int = 3
    fail: dict[str, dict[int, Exception]] = attrs.Factory(dict)
    calls: list[tuple[str, tuple[Any, ...]]] = attrs.Factory(list)

    def _call(self, method: str, *args: Any) -> None:
        self.calls.append((method, args))
        n = sum(1 for m, _ in self.calls if m == method)
        exc = self.fail.get(method, {}).pop(n, None)
        if exc is not None:
            raise exc

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.calls if m == method)

    async def check_key(self, api_key: str) -> SellerInfo:
        self._call("check_key", api_key)
        if api_key in self.rejected:
            raise WbAuthError(401, self.rejected[api_key])
        return SellerInfo("seller-1", "ООО Ромашка", "Ромашка")

    async def new_fbs_orders(self, creds: WbCredentials) -> Sequence[Order]:
        self._call("new_fbs_orders")
        return list(self.new_orders)

    async def fbs_orders(
        self, creds: WbCredentials, date_from: datetime, date_to: datetime, next_: int, limit: int = 1000
    ) -> FbsOrdersPage:
        self._call("fbs_orders", date_from, date_to, next_)
        rows = sorted((o for o in self.orders if date_from <= o.created_at <= date_to and o.order_id > next_),
                      key=lambda o: o.order_id)[:limit]  # fmt: skip
        return FbsOrdersPage(rows, rows[-1].order_id if rows else next_)

    async def fbs_statuses(self, creds: WbCredentials, order_ids: Sequence[int]) -> Sequence[FbsStatus]:
        self._call("fbs_statuses", tuple(order_ids))
        return [self.statuses[i] for i in order_ids if i in self.statuses]

    async def _stat(self, method: str, rows: list[Any], date_from: datetime) -> AsyncIterator[Sequence[Any]]:
        self._call(method, date_from)
        page = sorted((r for r in rows if r.last_change_date >= date_from), key=lambda r: r.last_change_date)
        page = page[: self.stat_cap]
        for i in range(0, len(page), self.chunk):
            yield page[i : i + self.chunk]

    def stat_orders(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[Any]]:
        return self._stat("stat_orders", self.stat_rows, date_from)

    def stat_sales(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[Any]]:
        return self._stat("stat_sales", self.sale_rows, date_from)

    async def stocks(self, creds: WbCredentials, offset: int, limit: int) -> Sequence[Any]:
        self._call("stocks", offset, limit)
        return self.stock_rows[offset : offset + limit]

    async def feedbacks(self, creds: WbCredentials, *, is_answered: bool | None, take: int, skip: int) -> Any:
        self._call("feedbacks", is_answered, take, skip)
        return self.reviews.get(is_answered, [])[skip : skip + take]

    async def claims(self, creds: WbCredentials, *, is_archive: bool, limit: int, offset: int) -> Any:
        self._call("claims", is_archive, limit, offset)
        return self.claim_rows.get(is_archive, [])[offset : offset + limit]


def add_user(store: FakeStore, telegram_id: int) -> User:
    store.next_user += 1
    user = User(telegram_id=telegram_id, id=store.next_user, created_at=T0)
    store.tables["users"][user.id] = user
    return user


def add_cabinet(store: FakeStore, categories: frozenset[WbCategory] = ALL, sid: str = "seller-1") -> UUID:
    """A stored active cabinet whose key (FakeSecretBox ciphertext) WB accepts."""
    key = wb_key(sid, categories=categories)
    cabinet = Cabinet(
        id=UUID(int=len(store.tables["cabinets"]) + 1),
        name="Shop",
        key_fingerprint=FakeSecretBox().fingerprint(key),
        seller_id=sid,
        token_expires_at=T0 + timedelta(days=180),
        categories=categories,
        read_only=False,
        created_at=T0,
    )
    store.tables["cabinets"][cabinet.id] = cabinet
    store.tables["keys"][cabinet.id] = FakeSecretBox().encrypt(key)
    return cabinet.id
