"""Errors of the cabinet use cases, for inbound adapters to turn into a clear message."""

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

from application.errors import ApplicationError
from domain.wb_token import WbCategory, WbTokenType


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


class KeyTypeRefused(ApplicationError):
    """A Base or Test token: refused at connect, without a WB call (docs/decisions/0008)."""

    _WHY: ClassVar[dict[WbTokenType, str]] = {
        WbTokenType.BASE: "a Base token has WB's lowest limits (statistics once every 2-3 hours, reviews 5 "
        "times an hour) and no access to some reports, too little to keep a cabinet up to date",
        WbTokenType.TEST: "a Test token works only in WB's sandbox, not with a real cabinet",
    }

    def __init__(self, token_type: WbTokenType) -> None:
        self.token_type = token_type
        why = self._WHY.get(token_type, "this token type is not supported")
        super().__init__(
            f"the WB API key is a {token_type.name.title()} token: {why}; create a Personal token "
            "(or a Service token of a catalogue service) in the seller cabinet instead"
        )
