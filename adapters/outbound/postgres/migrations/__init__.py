"""The Alembic environment (env.py, versions/). Also re-exports the runner so that callers can write
`from adapters.outbound.postgres.migrations import upgrade_to_head`."""

from adapters.outbound.postgres.migrate import (
    current_revision,
    downgrade_to,
    head_revision,
    is_at_head,
    upgrade_to_head,
)

__all__ = ["current_revision", "downgrade_to", "head_revision", "is_at_head", "upgrade_to_head"]
