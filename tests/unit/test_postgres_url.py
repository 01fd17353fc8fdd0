"""Database URLs: libpq spellings become SQLAlchemy psycopg URLs; passwords never reach a log line."""

import pytest

from adapters.outbound.postgres.url import redact_url, to_libpq_url, to_sqlalchemy_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgresql://u:p@db/app?sslmode=require", "postgresql+psycopg://u:p@db/app?sslmode=require"),
        (
            "postgresql://postgres:@/postgres?host=/tmp/dir",
            "postgresql+psycopg://postgres:@/postgres?host=/tmp/dir",
        ),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg2://u@db/app", "postgresql+psycopg://u@db/app"),
        ("  postgresql://u:p%40ss@db/app\n", "postgresql+psycopg://u:p%40ss@db/app"),
    ],
)
def test_to_sqlalchemy_url(given: str, expected: str) -> None:
    assert to_sqlalchemy_url(given) == expected
    assert to_libpq_url(given) == expected.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.parametrize(
    "bad", ["mysql://u:secret@db/app", "host=db password=secret", "postgresql+asyncpg://x/y"]
)
def test_other_urls_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(ValueError) as refused:
        to_sqlalchemy_url(bad)
    assert "secret" not in str(refused.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:s3cret@db:5432/app", "postgresql://u:***@db:5432/app"),
        ("postgresql+psycopg://u:p@ss@db/app", "postgresql+psycopg://u:***@db/app"),
        (
            "postgresql://u@db/app?password=s3cret&sslmode=require",
            "postgresql://u@db/app?password=***&sslmode=require",
        ),
        ("postgresql://postgres:@/postgres?host=/tmp/dir", "postgresql://postgres:@/postgres?host=/tmp/dir"),
        ("postgresql://db/app", "postgresql://db/app"),
    ],
)
def test_redact_url(given: str, expected: str) -> None:
    assert redact_url(given) == expected
