"""Signing in with the Telegram Login Widget, verified as Telegram documents it
(https://core.telegram.org/widgets/login#checking-authorization)."""

import hashlib
import hmac
from collections.abc import Mapping
from datetime import timedelta

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.auth_session import (
    InvalidTelegramLogin,
    SessionIssuer,
    TelegramLoginNotConfigured,
    Tokens,
)
from application.use_cases.register_user import RegisterUser

MAX_AGE = timedelta(days=1)  # Telegram's own example refuses older data
CLOCK_SKEW = timedelta(minutes=1)  # an auth_date from the near future is our clock's lag, not a forgery


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every received field but `hash`, as `key=value`, sorted by key, joined by newlines."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def widget_hash(fields: Mapping[str, str], bot_token: str) -> str:
    """The hex HMAC-SHA256 of the data-check string keyed with SHA-256 of the bot token."""
    secret_key = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret_key, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


@attrs.frozen
class TelegramLogin:
    """A session for the Telegram user the widget's payload names, if Telegram signed it with our bot's
    token (compared in constant time) and `auth_date` is at most a day old. A Telegram user we do not know
    yet is registered, as the bot's POST /users/ would (they proved who they are; they see no cabinet until
    they connect or join one), and a known one gets the payload's names.

    `fields` are every received field but `hash`, as the strings they were signed as. InvalidTelegramLogin
    for a bad signature, a stale or future `auth_date` or a bad `id`; TelegramLoginNotConfigured without a
    bot token. Idempotent apart from the new session."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    sessions: SessionIssuer
    register_user: RegisterUser
    bot_token: str | None

    async def __call__(self, fields: Mapping[str, str], hash_: str) -> Tokens:
        if self.bot_token is None:
            raise TelegramLoginNotConfigured()
        expected = widget_hash(fields, self.bot_token)
        if not hmac.compare_digest(expected.encode(), hash_.encode()):
            raise InvalidTelegramLogin("the hash does not match the data (signed by another bot?)")
        self._check_fresh(fields.get("auth_date", ""))
        telegram_id = _positive(fields.get("id", ""), "id")
        registration = await self.register_user(
            telegram_id, fields.get("username"), fields.get("first_name"), fields.get("last_name")
        )
        assert registration.user.id is not None
        now = self.clock.now()
        async with self.uow_factory() as uow:
            tokens = await self.sessions.issue(uow, registration.user.id, now)
            await uow.commit()
        return tokens

    def _check_fresh(self, auth_date: str) -> None:
        signed_at = _positive(auth_date, "auth_date")  # Unix seconds, compared as such (no overflow)
        now = self.clock.now()
        if signed_at < (now - MAX_AGE).timestamp():
            raise InvalidTelegramLogin("auth_date is more than a day old: sign in again")
        if signed_at > (now + CLOCK_SKEW).timestamp():
            raise InvalidTelegramLogin("auth_date is in the future")


def _positive(value: str, name: str) -> int:
    # Signed by Telegram, so well-formed in practice; checked anyway rather than trusted to be.
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**63:
        raise InvalidTelegramLogin(f"{name} is not a positive integer")
    return int(value)
