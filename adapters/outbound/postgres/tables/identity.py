"""Users, cabinets (one per WB seller) and memberships (many users per cabinet, many cabinets per user)."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import JSONB, TIMESTAMP, metadata, now_default

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("telegram_id", sa.BigInteger, nullable=False, unique=True),
    sa.Column("username", sa.Text),
    sa.Column("first_name", sa.Text),
    sa.Column("last_name", sa.Text),
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    # When the bot last changed the user's names (created_at until then).
    sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=now_default()),
)

cabinets = sa.Table(
    "cabinets",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    # HMAC of the current key: tells the same key from a new one without storing it in a searchable form.
    sa.Column("key_fingerprint", sa.Text, nullable=False, unique=True),
    # Fernet ciphertext of the WB key; the plaintext is never stored.
    sa.Column("encrypted_key", sa.LargeBinary, nullable=False),
    # The token's `sid`: a cabinet is one WB seller, whichever of its keys is stored.
    sa.Column("seller_id", sa.Text, nullable=False, unique=True),
    sa.Column("token_expires_at", TIMESTAMP, nullable=False),
    # Bitmask of domain.wb_token.WbCategory (mask_from_categories / categories_from_mask).
    sa.Column("categories", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("read_only", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'active'")),
    sa.Column("invalid_reason", sa.Text),
    # How often the key was found dead: each invalidation is its own cabinet_invalid event.
    sa.Column("invalidations", sa.Integer, nullable=False, server_default=sa.text("0")),
    # Sources WB refuses to the current key: {source: {"reason", "since", "retry_at"}}.
    sa.Column("blocked_sources", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    # Bumped by every sync that changed data: the dashboard's cache keys include it.
    sa.Column("data_version", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    # When the purge deletes the cabinet with its data: set when its key dies or its last member leaves,
    # cleared when it is active with a member again (CABINET_RETENTION_DAYS later; NULL: kept).
    sa.Column("delete_after", TIMESTAMP),
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.Column("updated_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.CheckConstraint("status IN ('active', 'invalid')", name="status"),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cabinet_id", sa.Uuid, sa.ForeignKey("cabinets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("joined_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.CheckConstraint("role IN ('owner', 'member')", name="role"),
    sa.Index("ix_memberships_cabinet_id", "cabinet_id"),
)
