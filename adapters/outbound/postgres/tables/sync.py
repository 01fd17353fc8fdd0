"""Where each WB source of a cabinet was last read up to, and how its last attempts went."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import JSONB, TIMESTAMP, cabinet_fk, metadata, now_default

sync_cursors = sa.Table(
    "sync_cursors",
    metadata,
    cabinet_fk(primary_key=True),
    sa.Column("source", sa.Text, primary_key=True),  # 'fbs_orders', 'stat_sales', 'feedbacks', ...
    sa.Column("cursor", JSONB),  # source-specific: a lastChangeDate, a `next` token, a report id...
    sa.Column("last_success_at", TIMESTAMP),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", TIMESTAMP),
    sa.Column("rows_taken", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    sa.Column("backoff_until", TIMESTAMP),
    sa.Column("continues_at", TIMESTAMP),  # a run paused by WB's pace resumes then (not an error)
    sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=now_default()),
)
