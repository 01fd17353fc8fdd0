"""The dashboard's answers served from a cache that can never be stale (issue 10 part 6, decision 0017),
and the per-user request budget.

A cached answer is keyed by the cabinet, the cabinet's data version, the Moscow day, the operation and
its parsed inputs. Every write that can change an answer bumps the version in its own transaction
(`RollupRepository.bump_version`), so the next request misses and recomputes; the TTL (the contract's)
only bounds how long an unused entry stays in Redis. A "last N days" default cannot outlive midnight:
the Moscow day is in the key. The version is read before the answer is computed, so a write committed in
between makes the stored answer newer than its key, never older.
"""

import hashlib
from collections.abc import Awaitable, Callable
from uuid import UUID

import attrs

from application.errors import ApplicationError
from application.ports.answers import AnswerCache, CabinetFacts, RequestBudget, StoredAnswer
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.moscow_time import moscow_day

KEY_PREFIX = "dash:"
RATE_WINDOW_S = 60


@attrs.frozen
class Answer:
    """An answer's serialized body and its digest (the ETag's text); `hit` when it came from the cache."""

    body: bytes
    digest: str
    hit: bool


def digest_of(body: bytes) -> str:
    """The first 128 bits of the body's SHA-256, in hex."""
    return hashlib.sha256(body).hexdigest()[:32]


def answer_key(cabinet_id: UUID, version: int, day: str, operation: str, inputs: str) -> str:
    """`dash:{cabinet}:{version}:{day}:{operation}:{sha256 of the canonical inputs}`."""
    digest = hashlib.sha256(inputs.encode()).hexdigest()
    return f"{KEY_PREFIX}{cabinet_id}:{version}:{day}:{operation}:{digest}"


@attrs.frozen
class ServeCachedAnswer:
    """One dashboard answer of a cabinet: from the cache when an answer for the same cabinet, data
    version, Moscow day, operation and inputs is there, else computed by `compute` and stored for ttl_s.

    `inputs` must be a canonical text of everything the answer depends on besides the cabinet (the
    parsed query and path). `compute`'s errors pass through and nothing is stored. A cache that is down
    only costs the computation (the port never raises). Idempotent: the same request stores the same
    answer under the same key."""

    facts: CabinetFacts
    cache: AnswerCache
    clock: Clock

    async def __call__(
        self,
        cabinet_id: UUID,
        operation: str,
        inputs: str,
        ttl_s: int,
        compute: Callable[[], Awaitable[bytes]],
    ) -> Answer:
        version = await self.facts.data_version(cabinet_id)
        day = moscow_day(self.clock.now()).isoformat()
        key = answer_key(cabinet_id, version, day, operation, inputs)
        cached = await self.cache.get(key)
        if cached is not None:
            return Answer(cached.body, cached.digest, hit=True)
        body = await compute()
        stored = StoredAnswer(body, digest_of(body))
        await self.cache.put(key, stored, ttl_s)
        return Answer(body, stored.digest, hit=False)


@attrs.frozen
class StoredCabinetFacts:
    """CabinetFacts read from the store on every call: one unit of work, one primary-key read each. The
    plain implementation (and the one the in-process cache falls back to)."""

    uow_factory: UnitOfWorkFactory

    async def is_member(self, user_id: int, cabinet_id: UUID) -> bool:
        async with self.uow_factory() as uow:
            return await uow.memberships.get(user_id, cabinet_id) is not None

    async def data_version(self, cabinet_id: UUID) -> int:
        async with self.uow_factory() as uow:
            return await uow.rollups.version(cabinet_id)


class RateLimited(ApplicationError):
    """The user spent their requests of the current window; `retry_after_s` until the next one."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"too many requests: retry in {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s


@attrs.frozen
class AdmitRequest:
    """Spend one of the user's `per_minute` dashboard requests; raises RateLimited once they are spent
    (a fixed one-minute window, shared by every API process). A budget store that is down admits."""

    budget: RequestBudget
    per_minute: int

    async def __call__(self, user_id: int) -> None:
        wait = await self.budget.spend(f"user:{user_id}", self.per_minute, RATE_WINDOW_S)
        if wait > 0:
            raise RateLimited(wait)
