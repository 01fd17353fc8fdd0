"""Reviews and return claims, by the COPY bulk path; both report the ids that were new."""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.outbound.postgres.repositories._bulk import UpsertSpec, bulk_upsert
from adapters.outbound.postgres.repositories._common import count_rows
from adapters.outbound.postgres.tables import claims, reviews
from domain.claims import Claim
from domain.reviews import Review

REVIEW_SPEC = UpsertSpec(
    reviews,
    key=("cabinet_id", "review_id"),
    compare=(
        "nm_id", "rating", "text", "pros", "cons", "created_at", "is_answered", "product_name",
        "supplier_article", "parent_review_id", "child_review_id",
    ),
    # A version link, once WB told it, stays (an answer without it does not unlink the versions).
    keep_when_null=("parent_review_id", "child_review_id"),
)  # fmt: skip

CLAIM_SPEC = UpsertSpec(
    claims,
    key=("cabinet_id", "claim_id"),
    compare=(
        "nm_id", "srid", "claim_type", "status", "status_ex", "user_comment", "wb_comment", "product_name",
        "created_at", "updated_at", "order_date", "is_archive", "price",
    ),
)  # fmt: skip


def review_values(r: Review) -> tuple[Any, ...]:
    return (
        r.cabinet_id, r.id, r.nm_id, r.rating, r.text, r.pros, r.cons, r.created_at, r.is_answered,
        r.product_name, r.supplier_article, r.parent_id, r.child_id,
    )  # fmt: skip


def claim_values(c: Claim) -> tuple[Any, ...]:
    price = None if c.price is None else c.price.amount
    return (
        c.cabinet_id, c.id, c.nm_id, c.srid, c.claim_type, c.status, c.status_ex, c.user_comment,
        c.wb_comment, c.product_name, c.created_at, c.updated_at, c.order_date, c.is_archive, price,
    )  # fmt: skip


class PostgresReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[Review]) -> Sequence[str]:
        return (await bulk_upsert(self._session, REVIEW_SPEC, (review_values(r) for r in rows))).new_keys

    async def ratings(self, cabinet_id: UUID, review_ids: Sequence[str]) -> Mapping[str, int]:
        if not review_ids:
            return {}
        c = reviews.c
        stmt = sa.select(c.review_id, c.rating).where(
            c.cabinet_id == cabinet_id, c.review_id.in_(list(review_ids))
        )
        return {row.review_id: row.rating for row in await self._session.execute(stmt)}

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, reviews, cabinet_id)


class PostgresClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, rows: Sequence[Claim]) -> Sequence[str]:
        return (await bulk_upsert(self._session, CLAIM_SPEC, (claim_values(c) for c in rows))).new_keys

    async def count(self, cabinet_id: UUID) -> int:
        return await count_rows(self._session, claims, cabinet_id)
