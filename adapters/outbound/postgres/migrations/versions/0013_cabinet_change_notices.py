"""cabinet change notices: NOTIFY wbpulse_cabinet when a data version or a membership changes

The API processes keep each cabinet's data version and its members in memory and drop them when told
(adapters/outbound/postgres/cabinet_facts.py, decision 0019). Triggers, not code, send the notices, so
no writer can forget one: a cascade from a deleted cabinet or user notifies as well. A notice is sent
from inside the changing transaction, so it is delivered when, and only if, that transaction commits.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = """
CREATE FUNCTION wbpulse_notify_cabinet_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'cabinets' THEN
        PERFORM pg_notify('wbpulse_cabinet', 'v:' || NEW.id::text);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('wbpulse_cabinet', 'm:' || OLD.cabinet_id::text);
    ELSE
        PERFORM pg_notify('wbpulse_cabinet', 'm:' || NEW.cabinet_id::text);
        IF TG_OP = 'UPDATE' AND OLD.cabinet_id IS DISTINCT FROM NEW.cabinet_id THEN
            PERFORM pg_notify('wbpulse_cabinet', 'm:' || OLD.cabinet_id::text);
        END IF;
    END IF;
    RETURN NULL;
END $$"""

_TRIGGERS = (
    "CREATE TRIGGER cabinets_data_version_notice AFTER UPDATE OF data_version ON cabinets FOR EACH ROW"
    " WHEN (OLD.data_version IS DISTINCT FROM NEW.data_version)"
    " EXECUTE FUNCTION wbpulse_notify_cabinet_change()",
    "CREATE TRIGGER memberships_notice AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH ROW"
    " EXECUTE FUNCTION wbpulse_notify_cabinet_change()",
)


def upgrade() -> None:
    op.execute(_FUNCTION)
    for statement in _TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS memberships_notice ON memberships")
    op.execute("DROP TRIGGER IF EXISTS cabinets_data_version_notice ON cabinets")
    op.execute("DROP FUNCTION IF EXISTS wbpulse_notify_cabinet_change()")
