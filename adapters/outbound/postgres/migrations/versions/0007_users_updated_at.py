"""users.updated_at (bot API issue, part A)

`POST /users/` answers the user with `updated_at`: when the bot last changed the user's names (their
`created_at` until then). Existing users take their `created_at`.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.execute("UPDATE users SET updated_at = created_at")


def downgrade() -> None:
    op.drop_column("users", "updated_at")
