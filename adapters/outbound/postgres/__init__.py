"""Postgres adapters: schema (tables), Alembic migrations, engine, unit of work, repositories, health."""
