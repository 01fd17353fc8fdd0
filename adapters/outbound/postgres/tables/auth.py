"""Dashboard sign-in: one-time login codes and refresh tokens, both only as SHA-256 of the secret the
client holds (docs/decisions/0014-dashboard-auth.md)."""

import sqlalchemy as sa

from adapters.outbound.postgres.tables._base import TIMESTAMP, metadata, now_default


def _user_fk() -> sa.Column:
    return sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


login_codes = sa.Table(
    "login_codes",
    metadata,
    sa.Column("code_hash", sa.Text, primary_key=True),
    _user_fk(),
    sa.Column("expires_at", TIMESTAMP, nullable=False),
    sa.Column("used_at", TIMESTAMP),
    sa.Column("created_at", TIMESTAMP, nullable=False, server_default=now_default()),
    sa.Index("ix_login_codes_user_id", "user_id"),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    # One login (a login code or a Telegram sign-in) and every token rotated from it.
    sa.Column("family_id", sa.Uuid, nullable=False),
    _user_fk(),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("expires_at", TIMESTAMP, nullable=False),
    sa.Column("used_at", TIMESTAMP),
    sa.Column("revoked_at", TIMESTAMP),
    sa.Index("ix_refresh_tokens_family_id", "family_id"),
    sa.Index("ix_refresh_tokens_user_id", "user_id"),
)
