"""The dashboard's answer cache and per-user request budget (issue 10 part 6, decision 0017).

Both are best effort: they save work or shed load, and neither may take the dashboard down with it. A
store that cannot be reached reads as a miss, drops writes and admits every request, logging a warning;
no method raises.
"""

from typing import Protocol


class AnswerCache(Protocol):
    """Serialized answers by key, each kept for its own TTL. Keys carry everything an answer depends on
    (cabinet, data version, inputs), so an entry is never invalidated, only outlived: a stale key is
    simply never asked for again and expires. Putting a key twice is harmless (last write wins)."""

    async def get(self, key: str) -> bytes | None:
        """The stored answer, or None (absent, expired or unreachable)."""
        ...

    async def put(self, key: str, answer: bytes, ttl_s: int) -> None:
        """Store the answer for ttl_s seconds."""
        ...


class RequestBudget(Protocol):
    """A fixed-window counter per key (a user): `limit` requests per `window_s` seconds, shared by every
    API process. Each call spends one request, admitted or not."""

    async def spend(self, key: str, limit: int, window_s: int) -> float:
        """0 when admitted; else the seconds until the window ends and requests are admitted again."""
        ...
