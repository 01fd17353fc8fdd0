"""cabinet retention: `cabinets.delete_after` (bot API issue, part B)

A cabinet whose key died or whose last member left keeps its data for CABINET_RETENTION_DAYS; the mark says
when the daily purge deletes it with everything that cascades from it (docs/decisions/ on cabinet retention).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cabinets", sa.Column("delete_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("cabinets", "delete_after")
