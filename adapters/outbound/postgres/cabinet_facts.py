"""CabinetFacts kept in process and told of every change by Postgres (decision 0019).

Migration 0013's triggers `NOTIFY wbpulse_cabinet` from inside the transaction that changes a cabinet's
data version (`v:<cabinet>`) or any of its memberships (`m:<cabinet>`, cascades included), so a notice is
delivered when, and only if, that transaction commits. One connection per process LISTENs (opened at the
first question, not at start-up); while it is up, answers are kept until a notice about their cabinet
arrives. While it is down (not yet connected, lost, Postgres restarting) every question reads the store,
and whatever was kept is dropped when it comes back, since notices sent meanwhile are lost.

A read racing a notice must not be kept: each read notes the epoch (bumped by every notice and every
connect or loss) before asking the store, and keeps its answer only if the epoch has not moved.

The process that commits a change does not wait for its own notice: a unit of work that bumped a version or
changed a membership (`mark_changed`) calls `forget_cabinets` right after its commit, so a dashboard user's
read right after their own write (a COGS upload, then its history) sees it.
"""

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

import psycopg

from adapters.outbound.postgres.url import to_libpq_url
from application.ports.answers import CabinetFacts

logger = logging.getLogger(__name__)

_Memo = TypeVar("_Memo", bound=dict[UUID, Any])
CHANNEL = "wbpulse_cabinet"
MAX_CABINETS = 100_000  # entries kept per kind before the memo starts over
_CONNECT: dict[str, Any] = {
    "connect_timeout": 5,
    "application_name": "wb-pulse-listen",
    # a peer that vanished without a FIN is noticed within ~40 s instead of never
    "keepalives": 1,
    "keepalives_idle": 20,
    "keepalives_interval": 5,
    "keepalives_count": 4,
}


_CHANGED = "wbpulse_changed_cabinets"  # the key in a SQLAlchemy session's `info`
_INSTANCES: "weakref.WeakSet[ListeningCabinetFacts]" = weakref.WeakSet()


def mark_changed(info: dict[Any, Any], cabinet_id: UUID) -> None:
    """Note in a session's `info` that its transaction changes what the facts keep about the cabinet."""
    info.setdefault(_CHANGED, set()).add(cabinet_id)


def forget_changed(info: dict[Any, Any]) -> None:
    """After a commit: drop what this process keeps about the cabinets the transaction changed."""
    changed = info.pop(_CHANGED, None)
    if changed:
        forget_cabinets(changed)


def forget_cabinets(cabinet_ids: Iterable[UUID]) -> None:
    ids = list(cabinet_ids)
    for facts in list(_INSTANCES):
        facts.forget(ids)


class ListeningCabinetFacts:
    """Implements CabinetFacts over `store` (the plain reader), remembering answers while LISTENing."""

    def __init__(self, url: str, store: CabinetFacts, retry_s: float = 1.0) -> None:
        self._conninfo = to_libpq_url(url)
        self._store = store
        self._retry_s = retry_s
        self._versions: dict[UUID, int] = {}
        self._members: dict[UUID, dict[int, bool]] = {}
        self._epoch = 0
        self._live = False
        self._task: asyncio.Task[None] | None = None
        _INSTANCES.add(self)

    @property
    def live(self) -> bool:
        """Whether answers are being kept (the LISTEN connection is up)."""
        return self._live

    async def is_member(self, user_id: int, cabinet_id: UUID) -> bool:
        members = self._members.get(cabinet_id) if self._live else None
        known = None if members is None else members.get(user_id)
        if known is not None:
            return known
        epoch = self._begin()
        member = await self._store.is_member(user_id, cabinet_id)
        if self._live and epoch == self._epoch:
            self._bounded(self._members).setdefault(cabinet_id, {})[user_id] = member
        return member

    async def data_version(self, cabinet_id: UUID) -> int:
        known = self._versions.get(cabinet_id) if self._live else None
        if known is not None:
            return known
        epoch = self._begin()
        version = await self._store.data_version(cabinet_id)
        if self._live and epoch == self._epoch:
            self._bounded(self._versions)[cabinet_id] = version
        return version

    def forget(self, cabinet_ids: Iterable[UUID]) -> None:
        """Drop what is kept about these cabinets (a change committed by this process)."""
        self._epoch += 1
        for cabinet_id in cabinet_ids:
            self._versions.pop(cabinet_id, None)
            self._members.pop(cabinet_id, None)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _begin(self) -> int:
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="cabinet-facts-listen")
        return self._epoch

    @staticmethod
    def _bounded(memo: _Memo) -> _Memo:
        if len(memo) >= MAX_CABINETS:
            memo.clear()
        return memo

    def _reset(self, live: bool) -> None:
        self._versions.clear()
        self._members.clear()
        self._epoch += 1
        self._live = live

    def _on_notice(self, payload: str) -> None:
        self._epoch += 1
        kind, _, raw = payload.partition(":")
        try:
            cabinet_id = UUID(raw)
        except ValueError:
            kind = "?"
        if kind == "v":
            self._versions.pop(cabinet_id, None)
        elif kind == "m":
            self._members.pop(cabinet_id, None)
        else:
            self._reset(self._live)

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, **_CONNECT
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._reset(live=True)
                    async for notice in conn.notifies():
                        self._on_notice(notice.payload)
            except (psycopg.Error, OSError) as exc:
                if self._live:
                    logger.warning("cabinet change notices lost, reading the store: %s", type(exc).__name__)
            finally:
                self._reset(live=False)
            await asyncio.sleep(self._retry_s)
