"""a cabinet is a WB seller; per-source blocking; an invalidation count

A cabinet is identified by the token's seller id (`sid`), no longer by the key: `cabinets.seller_id` becomes
unique. Cabinets that an earlier version created for several keys of one seller are merged first: the oldest
cabinet of the seller stays (its history, COGS and id), takes the newest key (the one that expires last)
and every member of the others; the others' COGS move over for the SKUs the survivor has none of; the
others are then deleted with their synced rows (the same seller's WB data, which the survivor holds or
re-syncs). See docs/decisions/0008-cabinet-is-a-seller.md.

New columns: `invalidations` (each invalidation of the key is its own cabinet_invalid event) and
`blocked_sources` (sources WB refuses to the current key, with WB's reason and when to try again).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MERGE = (
    # keep: the seller's oldest cabinet; dup: each other cabinet of the same seller
    """CREATE TEMP TABLE _merge ON COMMIT DROP AS
       SELECT c.id AS dup, k.id AS keep FROM cabinets AS c
       JOIN LATERAL (SELECT id FROM cabinets AS o WHERE o.seller_id = c.seller_id
                     ORDER BY o.created_at, o.id LIMIT 1) AS k ON k.id <> c.id""",
    # the newest key of every merged seller
    """CREATE TEMP TABLE _newest ON COMMIT DROP AS
       SELECT DISTINCT ON (seller_id) seller_id, encrypted_key, key_fingerprint, token_expires_at,
              categories, read_only, status, invalid_reason
       FROM cabinets WHERE seller_id IN (SELECT c.seller_id FROM cabinets AS c JOIN _merge ON c.id = dup)
       ORDER BY seller_id, token_expires_at DESC, created_at DESC""",
    """INSERT INTO memberships (user_id, cabinet_id, role, joined_at)
       SELECT m.user_id, g.keep, 'member', m.joined_at
       FROM memberships AS m JOIN _merge AS g ON m.cabinet_id = g.dup
       ON CONFLICT DO NOTHING""",
    # one cabinet's COGS per SKU: the survivor's, else the first duplicate's that has any
    """UPDATE cogs_versions AS c SET cabinet_id = g.keep FROM _merge AS g
       WHERE c.cabinet_id = g.dup
         AND NOT EXISTS (SELECT 1 FROM cogs_versions AS k WHERE k.cabinet_id = g.keep AND k.nm_id = c.nm_id)
         AND g.dup = (SELECT g2.dup FROM _merge AS g2 JOIN cogs_versions AS c2 ON c2.cabinet_id = g2.dup
                      WHERE g2.keep = g.keep AND c2.nm_id = c.nm_id ORDER BY g2.dup LIMIT 1)""",
    "DELETE FROM cabinets WHERE id IN (SELECT dup FROM _merge)",
    """UPDATE cabinets AS c SET encrypted_key = n.encrypted_key, key_fingerprint = n.key_fingerprint,
              token_expires_at = n.token_expires_at, categories = n.categories, read_only = n.read_only,
              status = n.status, invalid_reason = n.invalid_reason, updated_at = now()
       FROM _newest AS n WHERE c.seller_id = n.seller_id""",
)


def upgrade() -> None:
    for statement in _MERGE:
        op.execute(statement)
    op.execute("DROP TABLE _merge")
    op.execute("DROP TABLE _newest")
    op.create_unique_constraint(op.f("uq_cabinets_seller_id"), "cabinets", ["seller_id"])
    op.add_column(
        "cabinets", sa.Column("invalidations", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column(
        "cabinets",
        sa.Column(
            "blocked_sources",
            pg.JSONB(none_as_null=True),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    # Merged cabinets stay merged: a downgrade cannot tell which keys they came from.
    op.drop_column("cabinets", "blocked_sources")
    op.drop_column("cabinets", "invalidations")
    op.drop_constraint(op.f("uq_cabinets_seller_id"), "cabinets", type_="unique")
