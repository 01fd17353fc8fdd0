"""Per-user notification settings and the outbox: events, per-recipient notifications, delivery log."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from adapters.outbound.postgres.tables._base import JSONB, TIMESTAMP, cabinet_fk, metadata, now_default


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean, nullable=False, server_default=sa.true())


def _small(name: str, default: int) -> sa.Column:
    return sa.Column(name, sa.SmallInteger, nullable=False, server_default=sa.text(str(default)))


notification_settings = sa.Table(
    "notification_settings",
    metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    _flag("notifications_enabled"),
    _flag("new_orders_enabled"),
    _flag("order_buyouts_enabled"),
    _flag("order_cancellations_enabled"),
    _flag("order_returns_enabled"),
    _flag("negative_reviews_enabled"),
    _flag("critical_stocks_enabled"),
    _flag("missing_cogs_enabled"),  # migration 0014
    _small("review_rating_threshold", 3),
    _small("stock_analysis_days", 3),
    _flag("grouping_enabled"),
    _small("max_group_size", 5),
    sa.Column("group_timeout", sa.Integer, nullable=False, server_default=sa.text("300")),  # seconds
    sa.Column(
        "excluded_stock_nm_ids", pg.ARRAY(sa.BigInteger), nullable=False, server_default=sa.text("'{}'")
    ),
    sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.CheckConstraint("review_rating_threshold BETWEEN 0 AND 5", name="review_rating_threshold"),
    sa.CheckConstraint("stock_analysis_days IN (1, 3, 7, 10, 14)", name="stock_analysis_days"),
    sa.CheckConstraint("max_group_size BETWEEN 1 AND 50", name="max_group_size"),
    sa.CheckConstraint("group_timeout BETWEEN 1 AND 300", name="group_timeout"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    cabinet_fk(),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("subject", sa.Text),  # what the event is about, e.g. an order id
    # Detecting the same change twice (a re-run sync) inserts nothing: ON CONFLICT (dedupe_key) DO NOTHING.
    sa.Column("dedupe_key", sa.Text, nullable=False, unique=True),
    sa.Column("payload", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("occurred_at", TIMESTAMP, nullable=False),
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.Index("ix_events_cabinet_id_occurred_at", "cabinet_id", "occurred_at"),
)

notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),  # the stable delivery id the bot dedupes on
    # NULL for a test notification, a grouped summary and a resend (they come from no one event).
    sa.Column("event_id", sa.Uuid, sa.ForeignKey("events.id", ondelete="CASCADE")),
    sa.Column("cabinet_id", sa.Uuid, sa.ForeignKey("cabinets.id", ondelete="CASCADE")),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("telegram_id", sa.BigInteger, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("data", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
    sa.Column("reason", sa.Text),  # why a suppressed row was not sent
    sa.Column("is_test", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_summary", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("notifications.id", ondelete="SET NULL")),
    sa.Column("resend_of", sa.Uuid, sa.ForeignKey("notifications.id", ondelete="SET NULL")),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("next_attempt_at", TIMESTAMP),
    sa.Column("occurred_at", TIMESTAMP),
    sa.Column("sent_at", TIMESTAMP),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'suppressed')", name="status"),
    sa.CheckConstraint("(status = 'suppressed') = (reason IS NOT NULL)", name="reason_iff_suppressed"),
    sa.CheckConstraint("status <> 'pending' OR next_attempt_at IS NOT NULL", name="pending_is_due"),
    sa.UniqueConstraint("event_id", "user_id"),
    sa.Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    sa.Index("ix_notifications_cabinet_id", "cabinet_id"),
    sa.Index("ix_notifications_group_id", "group_id", postgresql_where=sa.text("group_id IS NOT NULL")),
    sa.Index(
        "ix_notifications_due_next_attempt_at",
        "next_attempt_at",
        postgresql_where=sa.text("status = 'pending'"),
    ),
    # At most one open summary per member and type (open: pending and never claimed).
    sa.Index(
        "uq_notifications_open_summary",
        "user_id",
        "type",
        unique=True,
        postgresql_where=sa.text("is_summary AND status = 'pending' AND attempts = 0"),
    ),
)

delivery_attempts = sa.Table(
    "delivery_attempts",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column(
        "notification_id", sa.Uuid, sa.ForeignKey("notifications.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("attempted_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.Column("http_status", sa.SmallInteger),
    sa.Column("error", sa.Text),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Index("ix_delivery_attempts_notification_id", "notification_id"),
)
