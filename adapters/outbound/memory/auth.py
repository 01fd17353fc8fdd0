"""In-memory login codes and refresh tokens, staged in the unit of work like every other write and
checked as the Postgres constraints check them (unique hashes, users that exist)."""

from datetime import datetime
from typing import cast
from uuid import UUID

import attrs

from adapters.outbound.memory import store as db
from adapters.outbound.memory.identity import Staging
from domain.auth import LoginCode, RefreshToken
from domain.errors import Conflict, NotFound


class InMemoryLoginCodeRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add(self, code: LoginCode) -> None:
        self._unit.stage(_add_code(code))

    async def consume(self, code_hash: str, now: datetime) -> int | None:
        found: LoginCode | None = self._unit.view.login_codes.get(code_hash)
        if found is None or not found.usable_at(now):
            return None
        self._unit.stage(_use_code(code_hash, now))
        return found.user_id


class InMemoryRefreshTokenRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    async def add(self, token: RefreshToken) -> None:
        self._unit.stage(_add_token(token))

    async def get_by_hash(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        # One process, units applied whole at commit: nothing to lock (mark_used re-checks at commit).
        tokens = self._unit.view.refresh_tokens.values()
        return next((t for t in tokens if t.token_hash == token_hash), None)

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        self._unit.stage(_mark_used(token_id, at))

    async def revoke_family(self, family_id: UUID, at: datetime) -> int:
        return cast(int, self._unit.stage(_revoke_family(family_id, at)))


def _check_user(t: db.Tables, user_id: int) -> None:
    if user_id not in t.users:
        raise NotFound("user", user_id)


def _add_code(code: LoginCode) -> db.Write:
    def write(t: db.Tables) -> None:
        _check_user(t, code.user_id)
        if code.code_hash in t.login_codes:
            raise Conflict("this login code exists already")
        t.login_codes[code.code_hash] = code

    return write


def _use_code(code_hash: str, now: datetime) -> db.Write:
    def write(t: db.Tables) -> None:
        stored: LoginCode = t.login_codes[code_hash]
        if not stored.usable_at(now):  # a racing unit used it first
            raise Conflict("the login code was used meanwhile")
        t.login_codes[code_hash] = attrs.evolve(stored, used_at=now)

    return write


def _add_token(token: RefreshToken) -> db.Write:
    def write(t: db.Tables) -> None:
        _check_user(t, token.user_id)
        taken = any(s.token_hash == token.token_hash for s in t.refresh_tokens.values())
        if token.id in t.refresh_tokens or taken:
            raise Conflict("this refresh token exists already")
        t.refresh_tokens[token.id] = token

    return write


def _mark_used(token_id: UUID, at: datetime) -> db.Write:
    def write(t: db.Tables) -> None:
        stored: RefreshToken | None = t.refresh_tokens.get(token_id)
        if stored is None:
            raise NotFound("refresh token", token_id)
        if stored.used_at is not None:
            raise Conflict("the refresh token was used meanwhile")
        t.refresh_tokens[token_id] = attrs.evolve(stored, used_at=at)

    return write


def _revoke_family(family_id: UUID, at: datetime) -> db.Write:
    def write(t: db.Tables) -> int:
        live = [k for k, s in t.refresh_tokens.items() if s.family_id == family_id and s.revoked_at is None]
        for key in live:
            t.refresh_tokens[key] = attrs.evolve(t.refresh_tokens[key], revoked_at=at)
        return len(live)

    return write
