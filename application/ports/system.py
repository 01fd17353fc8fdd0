"""System ports: time, secrets, readiness of our dependencies, and the worker's heartbeat."""

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The current time, always timezone-aware UTC. Injected so that tests control time. Never fails."""

    def now(self) -> datetime: ...


class SecretBox(Protocol):
    """Encrypts WB API keys at rest and fingerprints them.

    `fingerprint` is keyed (HMAC), deterministic for one deployment's key, and reveals nothing of the
    plaintext. `decrypt` raises ValueError on tampered or foreign ciphertext (e.g. after the deployment's
    key changed). Pure: no I/O.
    """

    def encrypt(self, plaintext: str) -> bytes: ...

    def decrypt(self, ciphertext: bytes) -> str: ...

    def fingerprint(self, plaintext: str) -> str: ...


class HealthCheck(Protocol):
    """One dependency's readiness (Postgres reachable and migrated, Redis reachable, ...).

    Returns None when ready, or a short human reason when not. Never raises, never blocks for more
    than its own timeout, and never includes secrets (no URLs with passwords) in the reason.
    """

    @property
    def name(self) -> str: ...

    async def __call__(self) -> str | None: ...


class WorkerHeartbeat(Protocol):
    """When a background worker last said it was alive, shared by every process.

    `record` is idempotent (last write wins) and expires after `ttl_s`, so a dead worker fleet reads as
    None. `last` never raises for a missing or unreadable value (None); it may raise if the store is down.
    """

    async def record(self, at: datetime, ttl_s: int) -> None: ...

    async def last(self) -> datetime | None: ...
