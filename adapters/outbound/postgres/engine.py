"""The process-wide async engine (one per process; bootstrap disposes it on shutdown)."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.outbound.postgres.url import to_sqlalchemy_url

CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 10
POOL_RECYCLE_S = 1800


def create_engine(url: str, pool_size: int = 5, max_overflow: int | None = None) -> AsyncEngine:
    """An async psycopg 3 engine for a libpq or SQLAlchemy URL; `max_overflow` defaults to `pool_size`.

    Connections are checked before use (a restarted server costs one retry, not an error), bounded in
    how long they wait to connect or for a free slot, and speak UTC so timestamptz values come back in UTC.
    Raises ValueError for a URL that is not a PostgreSQL one.
    """
    return create_async_engine(
        to_sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_pre_ping=True,
        pool_timeout=POOL_TIMEOUT_S,
        pool_recycle=POOL_RECYCLE_S,
        hide_parameters=True,  # error messages and logs never carry bound values (keys, personal data)
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "wb-pulse",
            "options": "-c timezone=UTC",
        },
    )
