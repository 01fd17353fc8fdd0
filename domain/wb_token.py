"""Reading a WB API key locally: the key is a JWT whose payload says expiry, seller and scope.

The signature is WB's and cannot be checked here; this only decodes the payload so that an expired
key or one lacking a needed category is refused before any request is made (reference/wb-api.md §1.2).
"""

import base64
import binascii
import enum
import json
from datetime import UTC, datetime

import attrs

from domain.errors import InvalidValue


class WbCategory(enum.IntEnum):
    """Bit positions of the `s` claim, 1-based as in WB's "About the token" table."""

    CONTENT = 1
    ANALYTICS = 2
    PRICES = 3
    MARKETPLACE = 4
    STATISTICS = 5
    PROMOTION = 6
    FEEDBACKS = 7
    BUYERS_CHAT = 9
    SUPPLIES = 10
    RETURNS = 11
    DOCUMENTS = 12
    FINANCE = 13
    USERS = 16
    READ_ONLY = 30


class WbTokenType(enum.IntEnum):
    BASE = 1
    TEST = 2
    PERSONAL = 3
    SERVICE = 4


@attrs.frozen
class WbTokenInfo:
    """What a WB key says about itself."""

    seller_id: str
    token_id: str | None
    expires_at: datetime
    categories: frozenset[WbCategory]
    token_type: WbTokenType | None
    read_only: bool

    def is_expired(self, at: datetime) -> bool:
        return at >= self.expires_at

    def missing(self, needed: frozenset[WbCategory]) -> frozenset[WbCategory]:
        return needed - self.categories


def categories_from_mask(mask: int) -> frozenset[WbCategory]:
    return frozenset(c for c in WbCategory if mask & (1 << (c.value - 1)))


def mask_from_categories(categories: frozenset[WbCategory] | set[WbCategory]) -> int:
    mask = 0
    for c in categories:
        mask |= 1 << (c.value - 1)
    return mask


def decode_wb_token(raw: str) -> WbTokenInfo:
    """Decode the payload of a WB key; raise InvalidValue('api_key', reason) if it is not one."""
    parts = raw.strip().split(".")
    if len(parts) != 3:
        raise InvalidValue("api_key", "not a WB API key (expected a JWT with three parts)")
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidValue("api_key", "not a WB API key (payload is not base64 JSON)") from exc
    if not isinstance(payload, dict):
        raise InvalidValue("api_key", "not a WB API key (payload is not an object)")
    exp, sid, mask = payload.get("exp"), payload.get("sid"), payload.get("s", 0)
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise InvalidValue("api_key", "WB API key has no expiry (exp)")
    if not isinstance(sid, str) or not sid:
        raise InvalidValue("api_key", "WB API key has no seller id (sid)")
    if not isinstance(mask, int) or isinstance(mask, bool) or mask < 0:
        raise InvalidValue("api_key", "WB API key has a malformed scope mask (s)")
    acc = payload.get("acc")
    token_type = WbTokenType(acc) if acc in {t.value for t in WbTokenType} else None
    categories = categories_from_mask(mask)
    return WbTokenInfo(
        seller_id=sid,
        token_id=payload.get("id") if isinstance(payload.get("id"), str) else None,
        expires_at=datetime.fromtimestamp(exp, tz=UTC),
        categories=categories - {WbCategory.READ_ONLY},
        token_type=token_type,
        read_only=WbCategory.READ_ONLY in categories,
    )
