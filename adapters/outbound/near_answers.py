"""An in-process tier in front of the shared answer cache (decision 0019).

Answer keys carry the cabinet's data version and the Moscow day (decision 0017), so an entry is never
wrong, only unused; a process may keep answers in memory as long as it likes without serving a stale one.
The most recently used answers stay here up to `max_bytes` in all; the rest are asked of `far` (Redis),
whose hits are kept here too. A hit costs a dict lookup instead of a Redis round trip.
"""

import time
from collections import OrderedDict
from collections.abc import Callable

from application.ports.answers import AnswerCache, StoredAnswer

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
FAR_HIT_TTL_S = 300  # how long a far hit is kept here (its remaining TTL over there is not asked)


class NearAnswerCache:
    """Implements AnswerCache over another AnswerCache, with a bounded LRU of this process's answers."""

    def __init__(
        self,
        far: AnswerCache,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._far = far
        self._max_bytes = max_bytes
        self._clock = clock
        self._entries: OrderedDict[str, tuple[StoredAnswer, float]] = OrderedDict()
        self._bytes = 0

    @property
    def held_bytes(self) -> int:
        return self._bytes

    async def get(self, key: str) -> StoredAnswer | None:
        entry = self._entries.get(key)
        if entry is not None:
            if entry[1] > self._clock():
                self._entries.move_to_end(key)
                return entry[0]
            self._drop(key)
        answer = await self._far.get(key)
        if answer is not None:
            self._keep(key, answer, FAR_HIT_TTL_S)
        return answer

    async def put(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        self._keep(key, answer, ttl_s)
        await self._far.put(key, answer, ttl_s)

    def _keep(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        size = len(answer.body) + len(key)
        if size > self._max_bytes // 8:
            return  # one huge answer must not push out everything else
        self._drop(key)
        self._entries[key] = (answer, self._clock() + ttl_s)
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0].body) + len(key)
