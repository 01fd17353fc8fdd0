"""System ports: time, secrets, readiness of our dependencies, the worker's heartbeat, and asking the
workers for a sync now."""

from datetime import datetime
from typing import Protocol
from uuid import UUID


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


class SyncScheduler(Protocol):
    """Asks the workers to sync one cabinet now, instead of at the next cron tick (a newly connected
    cabinet, or one whose key was just replaced).

    Best effort and idempotent: a sync of the cabinet already queued is not queued twice (the job id is
    the cabinet's), and if the queue cannot be reached the request is dropped with a warning and the
    cron picks the cabinet up at its next tick. Never raises; call it after the commit that made the
    cabinet syncable.
    """

    async def sync_now(self, cabinet_id: UUID) -> None: ...
