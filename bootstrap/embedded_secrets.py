"""Secrets of the embedded default: generated on the first start, kept in DATA_DIR/secrets.env (mode 0600)
and reused afterwards, so that `wbpulse run` needs no setup and encrypted WB keys stay readable.

The file is read and written under an exclusive lock, so two processes starting at once agree on one set.
"""

import base64
import fcntl
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

SECRETS_FILE_NAME = "secrets.env"
_HEADER = (
    "# wb-pulse secrets for the embedded default, generated on first start and reused on every restart.\n"
    "# Keep this file private. Losing ENCRYPTION_KEY makes the stored WB API keys unreadable.\n"
)

GENERATORS: dict[str, Callable[[], str]] = {
    "API_SECRET_KEY": lambda: secrets.token_urlsafe(32),
    "JWT_SECRET": lambda: secrets.token_urlsafe(48),
    "ENCRYPTION_KEY": lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"),
    "WEBHOOK_SECRET": lambda: "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
}


def load_or_generate_secrets(data_dir: Path, names: Iterable[str]) -> dict[str, str]:
    """The values of `names` from DATA_DIR/secrets.env, generating (and storing) those not there yet."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(data_dir / SECRETS_FILE_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        os.fchmod(file.fileno(), 0o600)
        stored = parse_env_file(file.read())
        missing = [name for name in names if name not in stored]
        if missing:
            stored.update({name: GENERATORS[name]() for name in missing})
            file.seek(0)
            file.truncate()
            file.write(_HEADER + "".join(f"{key}={value}\n" for key, value in stored.items()))
            file.flush()
            os.fsync(file.fileno())
    return {name: stored[name] for name in names}


def parse_env_file(text: str) -> dict[str, str]:
    """`KEY=value` lines; blank lines and `#` comments are skipped."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key.strip()] = value.strip()
    return values
