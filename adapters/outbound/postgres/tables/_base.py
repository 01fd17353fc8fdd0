"""The one MetaData of the schema, with a naming convention so that every constraint has a stable name."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Money in roubles (WB FBS kopecks are divided by 100 on the way in).
MONEY = sa.Numeric(14, 2)
# Finance-report amounts and coefficients, which WB sends with more decimals.
FINANCE = sa.Numeric(18, 4)
PERCENT = sa.Numeric(7, 2)
TIMESTAMP = sa.DateTime(timezone=True)
JSONB = pg.JSONB(none_as_null=True)


def now_default() -> Any:
    return sa.text("now()")


def cabinet_fk(**kwargs: Any) -> sa.Column:
    """The owning cabinet: every synced row goes when its cabinet is deleted."""
    return sa.Column(
        "cabinet_id", sa.Uuid, sa.ForeignKey("cabinets.id", ondelete="CASCADE"), nullable=False, **kwargs
    )


def synced_at() -> sa.Column:
    return sa.Column("synced_at", TIMESTAMP, nullable=False, server_default=now_default())


def product_columns() -> list[sa.Column[Any]]:
    """The product a statistics row (order or sale) is about, as the statistics API names it."""
    return [
        sa.Column("nm_id", sa.BigInteger),
        sa.Column("supplier_article", sa.Text),
        sa.Column("barcode", sa.Text),
        sa.Column("tech_size", sa.Text),
        sa.Column("brand", sa.Text),
        sa.Column("category", sa.Text),
        sa.Column("subject", sa.Text),
    ]


def place_columns() -> list[sa.Column[Any]]:
    """Where a statistics row's goods went from and to, and the supply it came with."""
    return [
        sa.Column("warehouse_name", sa.Text),
        sa.Column("warehouse_type", sa.Text),  # 'Склад WB' (FBW) or 'Склад продавца' (FBS)
        sa.Column("country_name", sa.Text),
        sa.Column("oblast_okrug_name", sa.Text),
        sa.Column("region_name", sa.Text),
        sa.Column("income_id", sa.BigInteger),
        sa.Column("is_supply", sa.Boolean),
        sa.Column("is_realization", sa.Boolean),
    ]


def sticker_columns() -> list[sa.Column[Any]]:
    return [sa.Column("sticker", sa.Text), sa.Column("g_number", sa.Text)]
