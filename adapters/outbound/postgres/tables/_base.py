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
