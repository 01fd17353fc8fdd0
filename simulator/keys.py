"""WB-like API keys: a JWT whose payload carries `exp`, seller `sid`, key `id`, token type `acc` and the
category bitmask `s` (category at bit position p is `1 << (p - 1)`, WB reference §1.2).

Keys are signed with a per-process HS256 secret (WB uses ES256; clients only decode the payload).
"""

import secrets
import time
import uuid
import zlib
from dataclasses import dataclass

import jwt

CATEGORIES = {
    "content": 1,
    "analytics": 2,
    "prices": 3,
    "marketplace": 4,
    "statistics": 5,
    "promotion": 6,
    "feedbacks": 7,
    "chat": 9,
    "supplies": 10,
    "returns": 11,
    "documents": 12,
    "finance": 13,
    "users": 16,
    "read_only": 30,
}
DEFAULT_CATEGORIES = (1, 2, 4, 5, 7, 11, 13)
BASE, TEST, PERSONAL, SERVICE = 1, 2, 3, 4  # the `acc` claim
# Methods a Base token may not call at all (reference §3.2: stocks-report/wb-warehouses has no Base limit).
BASE_CLOSED = frozenset({"stocks"})
BASE_NOT_ALLOWED = "base token is not allowed"
DENIED = "access to this method is denied for the token"  # our wording: WB does not document one
MANAGE = "Manage tokens at https://seller.wildberries.ru/supplier-settings/access-to-api"


def bit(position: int) -> int:
    return 1 << (position - 1)


def mask_of(categories: list[int | str] | tuple[int | str, ...]) -> int:
    mask = 0
    for c in categories:
        pos = CATEGORIES[c] if isinstance(c, str) else int(c)
        if not 1 <= pos <= 31:
            raise ValueError(f"bad category position {c!r}")
        mask |= bit(pos)
    return mask


def positions(mask: int) -> list[int]:
    return [p for p in range(1, 32) if mask & bit(p)]


@dataclass(slots=True)
class KeyRecord:
    key_id: str
    sid: str
    exp: int
    mask: int
    acc: int
    revoked: bool = False
    forbidden: frozenset[str] = frozenset()  # groups WB refuses to this key (403), e.g. a paid subscription

    @property
    def tier(self) -> str:
        """Whose limits the key draws on: WB counts per seller account and token type (reference §3.3)."""
        return "base" if self.acc == BASE else ""


class AuthError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class KeyRegistry:
    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret or secrets.token_hex(32)
        self.records: dict[str, KeyRecord] = {}

    def issue(
        self, sid: str, exp: int, categories=DEFAULT_CATEGORIES, acc: int = 3, read_only=False, forbidden=()
    ) -> str:
        if acc not in (BASE, TEST, PERSONAL, SERVICE):
            raise ValueError(f"token_type must be 1 (base), 2 (test), 3 (personal) or 4 (service), got {acc}")
        mask = mask_of(categories) | (bit(30) if read_only else 0)
        key_id = str(uuid.uuid4())
        payload = {
            "acc": acc,
            "ent": 1,
            "exp": int(exp),
            "for": f"asid:{zlib.crc32(sid.encode()) % 1000}" if acc == SERVICE else "self",
            "id": key_id,
            "iid": uuid.UUID(key_id).int % 100_000_000,
            "oid": zlib.crc32(sid.encode()) % 10_000_000,
            "s": mask,
            "sid": sid,
            "t": acc == 2,
            "uid": zlib.crc32(sid.encode()[::-1]) % 100_000_000,
        }
        self.records[key_id] = KeyRecord(key_id, sid, int(exp), mask, acc, forbidden=frozenset(forbidden))
        return jwt.encode(payload, self.secret, algorithm="HS256", headers={"kid": "V1"})

    def revoke(self, sid: str, key: str | None = None) -> int:
        """Revoke one key (by token) or every key of the seller; returns how many were revoked."""
        wanted = None
        if key:
            wanted = decode_unverified(key).get("id")
        n = 0
        for rec in self.records.values():
            if rec.sid == sid and (wanted is None or rec.key_id == wanted) and not rec.revoked:
                rec.revoked = True
                n += 1
        return n

    def authenticate(self, header: str | None) -> KeyRecord:
        """Check signature and registry; raises AuthError with WB's `detail` text. Expiry is checked by the
        caller (it needs the seller's sim clock)."""
        token = (header or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token:
            raise AuthError("token problem; empty Authorization header")
        try:
            payload = jwt.decode(token, self.secret, algorithms=["HS256"], options={"verify_exp": False})
        except jwt.InvalidSignatureError:
            raise AuthError("token problem; token signature is invalid") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"token problem; token is malformed: {exc}") from None
        rec = self.records.get(str(payload.get("id")))
        if rec is None:
            raise AuthError("token problem; token not found")
        if rec.revoked:
            raise AuthError(f"token withdrawn; {MANAGE}")
        return rec


def check_expiry(rec: KeyRecord, sim_clock: float) -> None:
    """Expired when `exp` has passed on the real clock or on the seller's sim clock."""
    if rec.exp <= max(time.time(), sim_clock):
        raise AuthError(f"token expired; {MANAGE}")


def check_scope(rec: KeyRecord, category: int | None) -> None:
    if rec.acc == 2:  # a test (sandbox) token on a production host
        raise AuthError("token scope not allowed")
    if category is not None and not rec.mask & bit(category):
        raise AuthError("token scope not allowed")


def refusal(rec: KeyRecord, group: str) -> str | None:
    """WB's 403 detail when the method is closed to this key (its token type, or a `forbidden` group)."""
    if rec.acc == BASE and group in BASE_CLOSED:
        return BASE_NOT_ALLOWED
    if group in rec.forbidden:
        return DENIED
    return None


def decode_unverified(token: str) -> dict:
    token = token.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    return jwt.decode(token, options={"verify_signature": False})
