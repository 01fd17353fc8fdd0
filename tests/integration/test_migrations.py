"""The Alembic migrations: they build the schema tables/ describes, undo it, survive concurrent runs, and
the constraints that carry business rules hold (no overlapping COGS versions, sales keyed by saleID)."""

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from adapters.outbound.postgres import tables
from adapters.outbound.postgres.engine import create_engine
from adapters.outbound.postgres.migrate import alembic_config
from adapters.outbound.postgres.migrations import (
    current_revision,
    downgrade_to,
    head_revision,
    is_at_head,
    upgrade_to_head,
)
from adapters.outbound.postgres.url import to_sqlalchemy_url

ROOT = Path(__file__).resolve().parents[2]


def public_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {name for (name,) in rows}


def test_upgrade_of_a_fresh_database_reaches_head(fresh_database_url: str) -> None:
    assert current_revision(fresh_database_url) is None
    upgrade_to_head(fresh_database_url)
    assert current_revision(fresh_database_url) == head_revision()
    assert {t.name for t in tables.metadata.sorted_tables} <= public_tables(fresh_database_url)


def test_migrated_schema_matches_the_tables_module(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, tables.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(fresh_database_url: str) -> None:
    upgrade_to_head(fresh_database_url)
    downgrade_to(fresh_database_url, "base")
    assert current_revision(fresh_database_url) is None
    assert public_tables(fresh_database_url) <= {"alembic_version"}
    upgrade_to_head(fresh_database_url)
    assert current_revision(fresh_database_url) == head_revision()


def test_upgrades_started_by_several_processes_at_once_all_succeed(fresh_database_url: str) -> None:
    code = (
        "import sys; from adapters.outbound.postgres.migrations import upgrade_to_head as up; up(sys.argv[1])"
    )
    command = [sys.executable, "-c", code, fresh_database_url]
    processes = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)]  # noqa: S603
    failures = [p.stderr.read() for p in processes if p.wait(timeout=120) != 0]  # type: ignore[union-attr]
    assert failures == []
    assert current_revision(fresh_database_url) == head_revision()


async def test_is_at_head_tells_a_migrated_database_from_an_empty_one(
    database_url: str, fresh_database_url: str
) -> None:
    for url, expected in ((database_url, True), (fresh_database_url, False)):
        engine = create_engine(url)
        try:
            assert await is_at_head(engine) is expected
        finally:
            await engine.dispose()


# --- constraints -----------------------------------------------------------------------------------------


def _fallback_module() -> object:
    return ScriptDirectory.from_config(alembic_config()).get_revision("0001").module


@pytest.fixture(params=["btree_gist", "built-in fallback"])
def cogs_db(request: pytest.FixtureRequest, fresh_database_url: str) -> Iterator[psycopg.Connection]:
    """A migrated database whose COGS no-overlap constraint is the btree_gist one or the fallback."""
    upgrade_to_head(fresh_database_url)
    engine = sa.create_engine(to_sqlalchemy_url(fresh_database_url))
    if request.param != "btree_gist":
        with engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE cogs_versions DROP CONSTRAINT ex_cogs_versions_no_overlap"))
            _fallback_module().add_cogs_no_overlap_fallback(conn)  # type: ignore[attr-defined]
    engine.dispose()
    with psycopg.connect(fresh_database_url, autocommit=True) as conn:
        yield conn


def add_cabinet(conn: psycopg.Connection) -> uuid.UUID:
    cabinet_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO cabinets (id, name, key_fingerprint, encrypted_key, seller_id, token_expires_at)"
        " VALUES (%s, 'shop', %s, '\\x00', %s, now())",
        (cabinet_id, uuid.uuid4().hex, f"seller-{cabinet_id}"),
    )
    return cabinet_id


def add_cogs(
    conn: psycopg.Connection, cabinet_id: uuid.UUID, nm_id: int, start: date, end: date | None
) -> uuid.UUID:
    version_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO cogs_versions (id, cabinet_id, nm_id, unit_cost, valid_from, valid_to)"
        " VALUES (%s, %s, %s, 100, %s, %s)",
        (version_id, cabinet_id, nm_id, start, end),
    )
    return version_id


def test_overlapping_live_cogs_versions_are_rejected(cogs_db: psycopg.Connection) -> None:
    cabinet_id, other_cabinet = add_cabinet(cogs_db), add_cabinet(cogs_db)
    first = add_cogs(cogs_db, cabinet_id, 42, date(2026, 1, 1), None)
    with pytest.raises(psycopg.errors.ExclusionViolation):
        add_cogs(cogs_db, cabinet_id, 42, date(2026, 2, 1), date(2026, 2, 28))
    add_cogs(cogs_db, cabinet_id, 43, date(2026, 2, 1), None)  # another SKU
    add_cogs(cogs_db, other_cabinet, 42, date(2026, 2, 1), None)  # another cabinet
    cogs_db.execute("UPDATE cogs_versions SET deleted_at = now() WHERE id = %s", (first,))
    add_cogs(cogs_db, cabinet_id, 42, date(2026, 2, 1), date(2026, 2, 28))  # the overlap was soft-deleted


def test_valid_to_is_an_inclusive_last_day(cogs_db: psycopg.Connection) -> None:
    cabinet_id = add_cabinet(cogs_db)
    add_cogs(cogs_db, cabinet_id, 42, date(2026, 1, 1), date(2026, 1, 31))
    add_cogs(cogs_db, cabinet_id, 42, date(2026, 2, 1), None)  # the next day: adjacent, not overlapping
    with pytest.raises(psycopg.errors.ExclusionViolation):
        add_cogs(cogs_db, cabinet_id, 42, date(2026, 1, 31), date(2026, 1, 31))


def test_cogs_window_must_not_end_before_it_starts(cogs_db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        add_cogs(cogs_db, add_cabinet(cogs_db), 42, date(2026, 2, 1), date(2026, 1, 31))


def test_a_sale_and_its_return_share_an_srid_and_both_persist(database_url: str) -> None:
    insert = (
        "INSERT INTO sales (cabinet_id, sale_id, srid, kind, date, last_change_date, for_pay)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (cabinet_id, sale_id) DO UPDATE SET for_pay = excluded.for_pay"
    )
    at = datetime(2026, 1, 5, 12, tzinfo=UTC)
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        cabinet_id = add_cabinet(conn)
        conn.execute(insert, (cabinet_id, "S9993700024", "11.rf9ef", "sale", at, at, 1284.01))
        conn.execute(insert, (cabinet_id, "R9993700025", "11.rf9ef", "return", at, at, -1284.01))
        conn.execute(insert, (cabinet_id, "S9993700024", "11.rf9ef", "sale", at, at, 1300))  # re-sync
        rows = conn.execute(
            "SELECT sale_id, kind, for_pay FROM sales WHERE cabinet_id = %s ORDER BY sale_id", (cabinet_id,)
        ).fetchall()
    assert [(r[0], r[1], float(r[2])) for r in rows] == [
        ("R9993700025", "return", -1284.01),
        ("S9993700024", "sale", 1300.0),
    ]


def test_cabinets_of_one_seller_made_by_earlier_versions_are_merged_into_the_oldest(
    fresh_database_url: str,
) -> None:
    upgrade_to_head(fresh_database_url)
    downgrade_to(fresh_database_url, "0003")  # before seller ids were unique
    old, new, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cabinet = (
        "INSERT INTO cabinets (id, name, key_fingerprint, encrypted_key, seller_id, token_expires_at,"
        " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    with psycopg.connect(fresh_database_url, autocommit=True) as conn:
        conn.execute(cabinet, (old, "old", "fp-old", b"key-old", "s1", datetime(2026, 6, 1, tzinfo=UTC),
                               datetime(2026, 1, 1, tzinfo=UTC)))  # fmt: skip
        conn.execute(cabinet, (new, "new", "fp-new", b"key-new", "s1", datetime(2026, 9, 1, tzinfo=UTC),
                               datetime(2026, 3, 1, tzinfo=UTC)))  # fmt: skip
        conn.execute(cabinet, (other, "other", "fp-o", b"k", "s2", datetime(2026, 9, 1, tzinfo=UTC),
                               datetime(2026, 2, 1, tzinfo=UTC)))  # fmt: skip
        users = conn.execute("INSERT INTO users (telegram_id) VALUES (1), (2) RETURNING id").fetchall()
        member = "INSERT INTO memberships (user_id, cabinet_id, role) VALUES (%s, %s, 'owner')"
        conn.execute(member, (users[0][0], old))
        conn.execute(member, (users[1][0], new))
    upgrade_to_head(fresh_database_url)
    with psycopg.connect(fresh_database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT id, name, key_fingerprint, encrypted_key, invalidations FROM cabinets ORDER BY name"
        ).fetchall()
        members = conn.execute("SELECT user_id, cabinet_id, role FROM memberships ORDER BY 1").fetchall()
        with pytest.raises(psycopg.errors.UniqueViolation):
            at = datetime(2026, 9, 1, tzinfo=UTC)
            conn.execute(cabinet, (uuid.uuid4(), "dup", "fp-dup", b"k", "s2", at, at))
    assert [(r[0], r[1], r[2], bytes(r[3]), r[4]) for r in rows] == [
        (old, "old", "fp-new", b"key-new", 0),  # the oldest cabinet, with the newest key
        (other, "other", "fp-o", b"k", 0),
    ]
    assert members == [(users[0][0], old, "owner"), (users[1][0], old, "member")]
