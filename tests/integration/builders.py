"""Rows the repository contract tests store before testing something else: one cabinet builder for all."""

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from application.ports.unit_of_work import UnitOfWorkFactory
from domain.identity import Cabinet
from domain.wb_token import WbCategory

T0 = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)


def a_cabinet(**overrides: object) -> Cabinet:
    """A valid cabinet with a fresh id, seller and fingerprint; override what a test is about."""
    fields: dict = {
        "id": uuid.uuid4(),
        "name": "Main shop",
        "key_fingerprint": secrets.token_hex(32),
        "seller_id": "seller-" + secrets.token_hex(4),
        "token_expires_at": T0 + timedelta(days=180),
        "categories": frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS, WbCategory.FEEDBACKS}),
        "read_only": True,
        "created_at": T0,
    }
    return Cabinet(**{**fields, **overrides})


async def stored_cabinet(uow: UnitOfWorkFactory, key: bytes = b"ciphertext", **overrides: object) -> Cabinet:
    """`a_cabinet(**overrides)`, committed with `key` as its stored ciphertext."""
    cabinet = a_cabinet(**overrides)
    async with uow() as unit:
        await unit.cabinets.add(cabinet, key)
        await unit.commit()
    return cabinet
