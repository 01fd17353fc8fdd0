"""The in-process answer tier (decision 0019): a hit never asks the far cache, a far hit is kept here,
entries expire with their TTL, and the tier holds at most `max_bytes`, dropping the least recently used."""

import attrs

from adapters.outbound.near_answers import NearAnswerCache
from application.ports.answers import StoredAnswer


@attrs.define
class Far:
    entries: dict[str, StoredAnswer] = attrs.Factory(dict)
    gets: int = 0

    async def get(self, key: str) -> StoredAnswer | None:
        self.gets += 1
        return self.entries.get(key)

    async def put(self, key: str, answer: StoredAnswer, ttl_s: int) -> None:
        self.entries[key] = answer


@attrs.define
class Ticks:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def answer(size: int, tag: str = "a") -> StoredAnswer:
    return StoredAnswer(tag.encode() * size, tag * 32)


async def test_a_put_answer_is_served_here_and_written_through() -> None:
    far = Far()
    near = NearAnswerCache(far, max_bytes=10_000)
    await near.put("k", answer(10), 60)
    assert far.entries == {"k": answer(10)}
    assert await near.get("k") == answer(10) and far.gets == 0


async def test_a_far_hit_is_kept_and_a_miss_is_asked_again() -> None:
    far = Far({"k": answer(5)})
    near = NearAnswerCache(far, max_bytes=10_000)
    assert (await near.get("k"), await near.get("k"), far.gets) == (answer(5), answer(5), 1)
    assert (await near.get("none"), await near.get("none"), far.gets) == (None, None, 3)


async def test_entries_expire_with_their_ttl() -> None:
    far, ticks = Far(), Ticks()
    near = NearAnswerCache(far, max_bytes=10_000, clock=ticks)
    await near.put("k", answer(10), 60)
    ticks.now = 59.9
    assert await near.get("k") is not None and far.gets == 0
    far.entries.clear()
    ticks.now = 60.0
    assert await near.get("k") is None and near.held_bytes == 0


async def test_the_tier_stays_within_max_bytes_dropping_the_least_recently_used() -> None:
    far = Far()
    near = NearAnswerCache(far, max_bytes=1_000)
    for i in range(10):  # 99 bytes of body and a 2-character key each: the tenth does not fit
        await near.put(f"k{i}", answer(99), 60)
        await near.get("k0")  # k0 stays the most recently used
    assert near.held_bytes == 9 * 101
    far.entries.clear()  # from here on, only what is held here can be found
    kept = [i for i in range(10) if await near.get(f"k{i}") is not None]
    assert kept == [0, 2, 3, 4, 5, 6, 7, 8, 9]


async def test_an_answer_larger_than_an_eighth_of_the_tier_is_only_written_through() -> None:
    far = Far()
    near = NearAnswerCache(far, max_bytes=800)
    await near.put("big", answer(200), 60)
    assert near.held_bytes == 0 and "big" in far.entries
