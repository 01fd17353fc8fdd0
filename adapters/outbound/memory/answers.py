"""The in-memory answer cache and request budget (decision 0017), on an injectable clock."""

from application.ports.answers import StoredAnswer
from application.ports.system import Clock


class InMemoryAnswerCache:
    """Implements AnswerCache: a dict of (answer, expiry); `gets` and `puts` count calls for tests."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[StoredAnswer, float]] = {}
        self.gets = 0
        self.puts = 0

    def keys(self) -> list[str]:
        return sorted(self._entries)

    async def get(self, key: str) -> StoredAnswer | None:
        self.gets += 1
        entry = self._entries.get(key)
        if entry is None or entry[1] <= self._clock.now().timestamp():
            return None
        return entry[0]

    async def put(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        self.puts += 1
        self._entries[key] = (answer, self._clock.now().timestamp() + ttl_s)


class InMemoryRequestBudget:
    """Implements RequestBudget: a fixed window per key, aligned to multiples of window_s as in Redis."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._spent: dict[tuple[str, int], int] = {}

    async def spend(self, key: str, limit: int, window_s: int) -> float:
        now = int(self._clock.now().timestamp())
        start = now - now % window_s
        spent = self._spent[(key, start)] = self._spent.get((key, start), 0) + 1
        return float(start + window_s - now) if spent > limit else 0.0
