"""Alembic environment, configured in code (see adapters/outbound/postgres/migrate.py): a sync psycopg 3
engine, and the Core metadata of tables/ as the target for autogenerate."""

import sqlalchemy as sa
from alembic import context
from sqlalchemy.pool import NullPool

from adapters.outbound.postgres import tables
from adapters.outbound.postgres.url import to_sqlalchemy_url

config = context.config
target_metadata = tables.metadata


def _configure_and_run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = to_sqlalchemy_url(config.get_main_option("sqlalchemy.url") or "")
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            _configure_and_run(connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
