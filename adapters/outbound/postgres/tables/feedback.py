"""Buyers' reviews (feedbacks) and return claims."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from adapters.outbound.postgres.tables._base import MONEY, TIMESTAMP, cabinet_fk, metadata, synced_at

reviews = sa.Table(
    "reviews",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("review_id", sa.Text, primary_key=True),
    sa.Column("nm_id", sa.BigInteger),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("pros", sa.Text),
    sa.Column("cons", sa.Text),
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("is_answered", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("answer_text", sa.Text),
    sa.Column("product_name", sa.Text),
    sa.Column("supplier_article", sa.Text),
    sa.Column("user_name", sa.Text),
    sa.Column("order_status", sa.Text),
    # The versions of an edited review: WB's parentFeedbackId / childFeedbackId (decision 0007).
    sa.Column("parent_review_id", sa.Text),
    sa.Column("child_review_id", sa.Text),
    synced_at(),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    sa.Index("ix_reviews_cabinet_id_created_at", "cabinet_id", "created_at"),
    sa.Index("ix_reviews_cabinet_id_nm_id_created_at", "cabinet_id", "nm_id", "created_at"),
)

claims = sa.Table(
    "claims",
    metadata,
    cabinet_fk(primary_key=True),
    # Text, not uuid: WB's own example id is not a well-formed UUID.
    sa.Column("claim_id", sa.Text, primary_key=True),
    sa.Column("nm_id", sa.BigInteger),
    sa.Column("srid", sa.Text),
    sa.Column("claim_type", sa.SmallInteger),
    sa.Column("status", sa.SmallInteger),
    sa.Column("status_ex", sa.SmallInteger),
    sa.Column("user_comment", sa.Text),
    sa.Column("wb_comment", sa.Text),
    sa.Column("product_name", sa.Text),
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("updated_at", TIMESTAMP),
    sa.Column("order_date", TIMESTAMP),
    sa.Column("is_archive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("price", MONEY),
    sa.Column("currency_code", sa.Text),
    sa.Column("actions", pg.ARRAY(sa.Text), nullable=False, server_default=sa.text("'{}'")),
    synced_at(),
    sa.Index("ix_claims_cabinet_id_created_at", "cabinet_id", "created_at"),
    sa.Index("ix_claims_cabinet_id_srid", "cabinet_id", "srid"),
)
