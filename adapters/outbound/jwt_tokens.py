"""Access tokens as JWTs (PyJWT): HS256 only, with `sub`, `iat`, `exp`, `aud` and `iss` required.

PyJWT checks `exp` and `iat` against the wall clock, which cannot be injected; so it checks the signature,
the algorithm, the presence of every claim, the audience, the issuer and `sub`'s type, and the two times are
checked here against the `now` the caller passes (the application's Clock), with no leeway on `exp`.

A token that passed those checks once is remembered (its claims, by its exact text) so that the next
request with it skips the HMAC and the JSON: the times are still checked on every use.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from application.ports.auth import InvalidToken, IssuedToken

ALGORITHM = "HS256"  # pinned: a token's own `alg` never chooses how it is checked (no `none`, no RS/HS mix)
AUDIENCE = "wb-pulse-dashboard"
ISSUER = "wb-pulse"
LIFETIME = timedelta(minutes=15)
REQUIRED = ["sub", "iat", "exp", "aud", "iss"]
IAT_SKEW_S = 60  # a token "issued" further in the future than this is refused
REMEMBERED = 10_000  # verified tokens kept; the memo starts over when full

_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.MissingRequiredClaimError, "a required claim is missing"),
    (jwt.InvalidAudienceError, "the token is not meant for this API"),
    (jwt.InvalidIssuerError, "the token was issued by someone else"),
    (jwt.InvalidAlgorithmError, "the token's algorithm is not accepted"),
    (jwt.InvalidSignatureError, "the signature does not match"),
)


class JwtAccessTokens:
    """`AccessTokens` over PyJWT, signed with JWT_SECRET. Pure: usable in unit tests as it is."""

    def __init__(self, secret: str, lifetime: timedelta = LIFETIME) -> None:
        self._secret = secret
        self.lifetime = lifetime
        self._verified: dict[str, dict[str, Any]] = {}

    def issue(self, user_id: int, now: datetime) -> IssuedToken:
        issued_at = int(now.timestamp())
        expires_at = issued_at + int(self.lifetime.total_seconds())
        claims = {"sub": str(user_id), "iat": issued_at, "exp": expires_at, "aud": AUDIENCE, "iss": ISSUER}
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token, datetime.fromtimestamp(expires_at, UTC))

    def verify(self, token: str, now: datetime) -> int:
        claims = self._verified.get(token) or self._decode(token)
        exp, iat = claims["exp"], claims["iat"]
        if not _is_int(exp) or not _is_int(iat):
            raise InvalidToken("exp and iat must be integers")
        if now.timestamp() >= exp:
            raise InvalidToken("the token has expired")
        if iat > now.timestamp() + IAT_SKEW_S:
            raise InvalidToken("the token is issued in the future")
        sub = claims["sub"]
        if not sub.isascii() or not sub.isdigit() or not 0 < int(sub) < 2**63:
            raise InvalidToken("the token names no user")
        if token not in self._verified:
            if len(self._verified) >= REMEMBERED:
                self._verified.clear()
            self._verified[token] = claims
        return int(sub)

    def _decode(self, token: str) -> dict[str, Any]:
        options: Any = {"require": REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False}
        try:
            return jwt.decode(
                token, self._secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER, options=options
            )
        except jwt.PyJWTError as exc:
            reason = next((why for kind, why in _REASONS if isinstance(exc, kind)), "the token is malformed")
            raise InvalidToken(reason) from exc


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
