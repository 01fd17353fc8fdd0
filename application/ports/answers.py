"""The dashboard's answer cache and per-user request budget (issue 10 part 6, decision 0017).

The cache and the budget are best effort: they save work or shed load, and neither may take the
dashboard down with it. A store that cannot be reached reads as a miss, drops writes and admits every
request, logging a warning; their methods never raise. `CabinetFacts` is not best effort: it answers
who may read a cabinet.
"""

from typing import Protocol
from uuid import UUID

import attrs


@attrs.frozen
class StoredAnswer:
    """A serialized answer and its digest (hex, 32 characters), computed once when it was made."""

    body: bytes
    digest: str


class AnswerCache(Protocol):
    """Serialized answers by key, each kept for its own TTL. Keys carry everything an answer depends on
    (cabinet, data version, inputs), so an entry is never invalidated, only outlived: a stale key is
    simply never asked for again and expires. Putting a key twice is harmless (last write wins)."""

    async def get(self, key: str) -> StoredAnswer | None:
        """The stored answer, or None (absent, expired or unreachable)."""
        ...

    async def put(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        """Store the answer for ttl_s seconds."""
        ...


class RequestBudget(Protocol):
    """A fixed-window counter per key (a user): `limit` requests per `window_s` seconds, shared by every
    API process. Each call spends one request, admitted or not."""

    async def spend(self, key: str, limit: int, window_s: int) -> float:
        """0 when admitted; else the seconds until the window ends and requests are admitted again."""
        ...


class CabinetFacts(Protocol):
    """The two facts every dashboard request asks about its cabinet before anything else: is the caller a
    member, and what is the cabinet's data version. An implementation may answer from memory, provided
    that a committed change (a membership added or removed, a version bumped) is seen by every request
    that starts after the change's notice reached the process, and that it reads the store whenever it
    cannot be sure of that. Read-only; these methods may raise the store's errors."""

    async def is_member(self, user_id: int, cabinet_id: UUID) -> bool:
        """Whether the user is a member of the cabinet (False for a cabinet that does not exist)."""
        ...

    async def data_version(self, cabinet_id: UUID) -> int:
        """The cabinet's data version (`RollupRepository.version`; 0 for an unknown cabinet)."""
        ...
