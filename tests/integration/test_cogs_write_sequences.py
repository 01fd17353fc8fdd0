"""hypothesis on Postgres: random sequences of COGS writes through the use cases never leave overlapping
live windows (the exclusion constraint would refuse them; the check reads them back too), and valid_at
equals the per-day model (tests/unit/cogs/sequences.py)."""

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings

from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from tests.unit.cogs.sequences import operations, run
from tests.unit.cogs.support import cogs_over


async def _run(database_url: str, ops: list[tuple[Any, ...]]) -> None:
    engine = create_engine(database_url, pool_size=2)
    try:
        await run(await cogs_over(PostgresUnitOfWorkFactory(engine)), ops, check_every_day_each_step=False)
    finally:
        await engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_writes_on_postgres_never_overlap_and_valid_at_is_the_models(
    database_url: str, ops: list[tuple[Any, ...]]
) -> None:
    asyncio.run(_run(database_url, ops))
