"""Access tokens (PyJWT): HS256 pinned, every claim required, expiry from the injected time."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from adapters.outbound.jwt_tokens import AUDIENCE, ISSUER, JwtAccessTokens
from application.ports.auth import InvalidToken

SECRET = "s" * 32
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TOKENS = JwtAccessTokens(SECRET)


def claims(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sub": "42", "iat": int(NOW.timestamp()), "exp": int((NOW + timedelta(minutes=15)).timestamp()),
        "aud": AUDIENCE, "iss": ISSUER,
    }  # fmt: skip
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_an_issued_token_names_its_user_for_15_minutes() -> None:
    issued = TOKENS.issue(42, NOW)
    assert issued.expires_at == NOW + timedelta(minutes=15)
    assert TOKENS.verify(issued.token, NOW + timedelta(minutes=14, seconds=59)) == 42
    header = jwt.get_unverified_header(issued.token)
    assert header["alg"] == "HS256"
    assert jwt.decode(issued.token, options={"verify_signature": False}) == claims()
    with pytest.raises(InvalidToken, match="expired"):
        TOKENS.verify(issued.token, NOW + timedelta(minutes=15))


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (jwt.encode(claims(), "another-secret-of-32-characters!"), "signature"),
        (jwt.encode(claims(), "", algorithm="none"), "algorithm"),
        (jwt.encode(claims(), SECRET * 2, algorithm="HS512"), "algorithm"),
        (jwt.encode(claims(aud="someone-else"), SECRET), "not meant for this API"),
        (jwt.encode(claims(iss="someone-else"), SECRET), "issued by someone else"),
        (jwt.encode(claims(exp=int(NOW.timestamp()) - 1), SECRET), "expired"),
        (jwt.encode(claims(iat=int(NOW.timestamp()) + 3600), SECRET), "future"),
        (jwt.encode(claims(sub="ann"), SECRET), "names no user"),
        (jwt.encode(claims(sub="0"), SECRET), "names no user"),
        (jwt.encode(claims(exp="soon"), SECRET), "integers"),
        ("not.a.token", "malformed"),
        ("", "malformed"),
    ],
)
def test_a_token_that_proves_nothing_is_refused(token: str, why: str) -> None:
    with pytest.raises(InvalidToken, match=why):
        TOKENS.verify(token, NOW)


@pytest.mark.parametrize("claim", ["sub", "iat", "exp", "aud", "iss"])
def test_every_claim_is_required(claim: str) -> None:
    with pytest.raises(InvalidToken, match="required claim"):
        TOKENS.verify(jwt.encode(claims(**{claim: None}), SECRET), NOW)


def test_a_remembered_token_is_still_refused_once_it_expires_and_a_forged_twin_is_not_remembered() -> None:
    tokens = JwtAccessTokens(SECRET)
    issued = tokens.issue(7, NOW)
    assert tokens.verify(issued.token, NOW) == 7
    assert tokens.verify(issued.token, NOW + timedelta(minutes=1)) == 7  # from the memo
    with pytest.raises(InvalidToken, match="expired"):
        tokens.verify(issued.token, NOW + timedelta(minutes=15))
    forged = issued.token[:-2] + ("AA" if not issued.token.endswith("AA") else "BB")
    with pytest.raises(InvalidToken):
        tokens.verify(forged, NOW)
    with pytest.raises(InvalidToken):
        tokens.verify(forged, NOW)  # a refusal is never remembered as a success
