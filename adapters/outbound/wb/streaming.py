"""Incremental parsing of a top-level JSON array (the statistics answers, up to ~80,000 rows) with ijson:
bytes go in as they arrive, parsed items come out, so a whole page never sits in memory at once."""

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import ijson

READ_SIZE = 64 * 1024


class NotAnArray(Exception):
    """The 2xx body does not start with `[`; `head` is what arrived first (for the error detail)."""

    def __init__(self, head: bytes) -> None:
        super().__init__("expected a JSON array")
        self.head = head

    @property
    def is_json(self) -> bool:
        """True when the head is complete JSON of another shape (an object): WB said something else."""
        try:
            json.loads(self.head)
        except ValueError:
            return False
        return True


class ArrayParser:
    """Push parser: `feed(bytes)` returns the array items completed so far; `close()` the rest.

    Raises NotAnArray for a body that is not an array, ijson.JSONError for a malformed or truncated one.
    Numbers with a fraction come back as Decimal (no float ever touches money).
    """

    def __init__(self) -> None:
        self._out = ijson.sendable_list()
        self._coro: Any = None
        self._head = b""

    def feed(self, data: bytes) -> list[Any]:
        if self._coro is None:
            self._head += data
            stripped = self._head.lstrip()
            if not stripped:
                return []
            if not stripped.startswith(b"["):
                raise NotAnArray(self._head)
            self._coro = ijson.items_coro(self._out, "item", use_float=False)
            data, self._head = self._head, b""
        self._coro.send(data)
        return self._take()

    def close(self) -> list[Any]:
        if self._coro is None:
            raise NotAnArray(self._head)
        self._coro.close()
        return self._take()

    def _take(self) -> list[Any]:
        items = list(self._out)
        del self._out[:]
        return items


async def array_chunks(content: aiohttp.StreamReader, chunk_size: int) -> AsyncIterator[list[Any]]:
    """The items of the JSON array in `content`, in lists of at most `chunk_size` (the last may be shorter;
    an empty array yields nothing)."""
    parser, batch = ArrayParser(), []
    async for data in content.iter_chunked(READ_SIZE):
        batch.extend(parser.feed(data))
        while len(batch) >= chunk_size:
            yield batch[:chunk_size]
            batch = batch[chunk_size:]
    batch.extend(parser.close())
    for start in range(0, len(batch), chunk_size):
        yield batch[start : start + chunk_size]
