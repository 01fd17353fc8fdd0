"""Fernet secret box: WB keys encrypt and decrypt, tampering is detected, fingerprints are keyed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.outbound.secret_box import FernetSecretBox, generate_secret_key

WB_KEY = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjUwNTIwdjEifQ.eyJzaWQiOiJzZWxsZXItMSJ9.c2lnbmF0dXJl"
BOX = FernetSecretBox(generate_secret_key())


@given(st.text())
def test_round_trip(plaintext: str) -> None:
    assert BOX.decrypt(BOX.encrypt(plaintext)) == plaintext


def test_ciphertext_does_not_contain_the_plaintext() -> None:
    ciphertext = BOX.encrypt(WB_KEY)
    for part in WB_KEY.split("."):
        assert part.encode() not in ciphertext
    assert BOX.encrypt(WB_KEY) != ciphertext  # a fresh IV each time


def test_tampered_ciphertext_is_a_value_error() -> None:
    ciphertext = bytearray(BOX.encrypt(WB_KEY))
    ciphertext[len(ciphertext) // 2] ^= 0x01
    with pytest.raises(ValueError, match="invalid"):
        BOX.decrypt(bytes(ciphertext))


def test_ciphertext_of_another_key_or_garbage_is_a_value_error() -> None:
    foreign = FernetSecretBox(generate_secret_key()).encrypt(WB_KEY)
    for bad in (foreign, b"", b"not a token"):
        with pytest.raises(ValueError):
            BOX.decrypt(bad)


def test_fingerprint_is_deterministic_hex_and_depends_on_the_key() -> None:
    key = generate_secret_key()
    first, again = FernetSecretBox(key).fingerprint(WB_KEY), FernetSecretBox(key).fingerprint(WB_KEY)
    assert first == again
    assert len(first) == 64 and int(first, 16) >= 0
    assert FernetSecretBox(generate_secret_key()).fingerprint(WB_KEY) != first
    assert FernetSecretBox(key).fingerprint(WB_KEY + "x") != first
    assert WB_KEY not in first


def test_a_malformed_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError) as refused:
        FernetSecretBox("not-a-fernet-key")
    assert "not-a-fernet-key" not in str(refused.value)


def test_repr_hides_the_key() -> None:
    key = generate_secret_key()
    assert key not in repr(FernetSecretBox(key))
