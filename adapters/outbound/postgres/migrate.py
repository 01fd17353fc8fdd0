"""Running the Alembic migrations programmatically (there is no alembic.ini).

`upgrade_to_head` is what start-up and the test fixtures call; it is safe to run from several processes at
once: the upgrade runs in one transaction that first takes a Postgres advisory lock, so a second process
waits and then finds the schema already at head.
"""

import functools
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import NullPool

from adapters.outbound.postgres.url import to_sqlalchemy_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Arbitrary fixed key of the advisory lock that serialises schema migrations across processes.
MIGRATION_LOCK_KEY = 0x77625F70756C7365  # "wb_pulse"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic Config for our script directory; env.py runs on `connection` when one is given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its versions
        raise RuntimeError("no Alembic revisions found in " + str(MIGRATIONS_DIR))
    return head


def upgrade_to_head(url: str) -> None:
    """Migrate the database at `url` (libpq or SQLAlchemy spelling) to the newest revision."""
    _run_locked(url, lambda config: command.upgrade(config, "head"))


def downgrade_to(url: str, revision: str = "base") -> None:
    """Undo migrations down to `revision` ("base" empties the schema). For tests and emergencies."""
    _run_locked(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at, or None if it was never migrated."""
    engine = _sync_engine(url)
    try:
        with engine.connect() as connection:
            return _revision_of(connection)
    finally:
        engine.dispose()


async def is_at_head(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        return await revision_of_async(connection) == head_revision()


async def revision_of_async(connection: AsyncConnection) -> str | None:
    """The applied revision, read directly so that a readiness probe does not log Alembic's set-up lines."""
    exists = await connection.scalar(sa.text("SELECT to_regclass('alembic_version') IS NOT NULL"))
    if not exists:
        return None
    return await connection.scalar(sa.text("SELECT version_num FROM alembic_version LIMIT 1"))


def _revision_of(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _run_locked(url: str, run: Callable[[Config], None]) -> None:
    engine = _sync_engine(url)
    try:
        with engine.begin() as connection:
            # Transaction-scoped: released by the commit (or rollback) that ends the migration.
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            run(alembic_config(connection))
    finally:
        engine.dispose()


def _sync_engine(url: str) -> sa.Engine:
    return sa.create_engine(to_sqlalchemy_url(url), poolclass=NullPool)
