"""Errors of the cabinet use cases, for inbound adapters to turn into a clear message."""

from collections.abc import Iterable
from datetime import datetime

from application.errors import ApplicationError
from domain.wb_token import WbCategory


class KeyRejected(ApplicationError):
    """WB refused the key (401/403); `reason` is WB's own words."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"WB rejected the API key: {reason}")
        self.reason = reason


class KeyExpired(ApplicationError):
    """The key's own `exp` is in the past: refused without asking WB."""

    def __init__(self, expired_at: datetime) -> None:
        super().__init__(f"the WB API key expired at {expired_at.isoformat()}")
        self.expired_at = expired_at


class KeyLacksCategories(ApplicationError):
    """The key can reach none of the sources the dashboard is built from (Marketplace or Statistics)."""

    def __init__(self, missing: Iterable[WbCategory]) -> None:
        self.missing = frozenset(missing)
        names = ", ".join(sorted(c.name for c in self.missing))
        super().__init__(f"the WB API key needs at least one of these categories: {names}")
