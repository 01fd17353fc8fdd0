"""stock_alert_levels (notifications issue): each nm_id's critical-stock level after the last snapshot

Critical stock is told when an nm_id's level falls across a member's threshold, once, and again only after
it has recovered (decision 0007, its notifications update), instead of once a Moscow day while it stays
critical. The level per (cabinet, nm_id) is what tells a fall from a stock that stays where it was. A
cabinet synced before has no levels: its next snapshot sets them and tells nothing.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_alert_levels",
        sa.Column("cabinet_id", sa.Uuid(), nullable=False),
        sa.Column("nm_id", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level >= 0", name=op.f("ck_stock_alert_levels_level")),
        sa.ForeignKeyConstraint(
            ["cabinet_id"],
            ["cabinets.id"],
            name=op.f("fk_stock_alert_levels_cabinet_id_cabinets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cabinet_id", "nm_id", name=op.f("pk_stock_alert_levels")),
    )


def downgrade() -> None:
    op.drop_table("stock_alert_levels")
