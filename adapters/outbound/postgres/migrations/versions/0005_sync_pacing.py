"""deferred continuations of a source: `sync_cursors.continues_at` (sync-truth issue, part C)

A source whose run ended because WB's pace would have made it wait is not failing: it continues from its
position at the next run at or after `continues_at` (docs/decisions/0006-sync-pacing-and-scale.md).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sync_cursors", sa.Column("continues_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("sync_cursors", "continues_at")
