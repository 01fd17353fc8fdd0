"""missing_cogs_setting (issue 11 part 5): each user's switch for the missing_cogs notification

A closed week that sold SKUs without a cost is told to every member of the cabinet who has the switch on
(decision 0021). On by default, like every other type: existing users hear it without changing anything.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "notification_settings",
        sa.Column("missing_cogs_enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("notification_settings", "missing_cogs_enabled")
