"""WB API keys at rest: Fernet encryption plus a keyed fingerprint to find a cabinet by its key."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_FINGERPRINT_INFO = b"wb-pulse/api-key-fingerprint/v1"


def generate_secret_key() -> str:
    """A fresh Fernet key (url-safe base64 text) for the SECRET_KEY-style setting."""
    return Fernet.generate_key().decode("ascii")


class FernetSecretBox:
    """Implements the SecretBox port.

    `fingerprint` is HMAC-SHA256 under a subkey derived from the Fernet key with HKDF, so it is stable for
    one deployment, useless without the key, and independent of the encryption subkeys. The key never
    appears in repr() or in error messages.
    """

    __slots__ = ("_fernet", "_fingerprint_key")

    def __init__(self, key: str) -> None:
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ValueError("secret key must be 32 url-safe base64-encoded bytes (a Fernet key)") from exc
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_FINGERPRINT_INFO)
        self._fingerprint_key = hkdf.derive(raw)

    def __repr__(self) -> str:
        return "FernetSecretBox(<key hidden>)"

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode("utf-8"))

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode("utf-8")
        except (InvalidToken, TypeError, UnicodeDecodeError):
            raise ValueError("ciphertext is invalid or was made with another key") from None

    def fingerprint(self, plaintext: str) -> str:
        return hmac.new(self._fingerprint_key, plaintext.encode("utf-8"), hashlib.sha256).hexdigest()
