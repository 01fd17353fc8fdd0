"""hypothesis: no sequence of COGS writes through the use cases (create, correct, delete, bulk) leaves two
live windows of a SKU overlapping, and valid_at always equals the per-day model (in-memory store; the same
run on Postgres: tests/integration/test_cogs_write_sequences.py)."""

import asyncio
from typing import Any

from hypothesis import given, settings

from tests.unit.cogs.sequences import operations, run
from tests.unit.cogs.support import memory_cogs


async def _run(ops: list[tuple[Any, ...]]) -> None:
    await run(await memory_cogs(), ops, check_every_day_each_step=True)


@settings(max_examples=150, deadline=None)
@given(operations)
def test_writes_never_overlap_and_valid_at_is_the_models(ops: list[tuple[Any, ...]]) -> None:
    asyncio.run(_run(ops))
