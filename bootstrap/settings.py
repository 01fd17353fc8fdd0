"""Settings from environment variables, validated once at start-up.

Every missing or malformed value raises `ConfigError(variable, reason)`; the reason never contains a
secret's value. An empty variable counts as unset (docker-compose passes `KEY=` lines from .env through).
See docs/decisions/0002-secrets-in-embedded-mode.md for where secrets come from without DATABASE_URL.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from adapters.outbound.wb.hosts import WbHosts
from bootstrap import config_values as v
from bootstrap.embedded_secrets import SECRETS_FILE_NAME, load_or_generate_secrets
from bootstrap.errors import ConfigError
from bootstrap.secret import Secret

__all__ = ["ConfigError", "Secret", "Settings", "WbSettings", "load_settings"]

# The variable that overrides each WB host; the defaults are WbHosts' (reference/wb-api.md §2.0).
WB_HOST_VARIABLES = {name: f"WB_{name.upper()}_URL" for name in (a.name for a in attrs.fields(WbHosts))}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Read case-insensitively like LOG_LEVEL; Settings.log_format holds the lower-case word logging takes.
LOG_FORMATS = ("JSON", "CONSOLE", "AUTO")


@attrs.frozen
class WbSettings:
    """Where WB is (every host the simulator's when WB_BASE_URL is set) and how we talk to it."""

    hosts: WbHosts
    auth_prefix: str = "Bearer "
    # Multiplies WB's documented request intervals. 1 for the real WB; the simulator's demo and tests use
    # the same smaller scale on both sides so that a sync against it does not take real minutes.
    rate_scale: float = 1.0
    # WB's statistics page cap (about 80,000 rows); only a simulator with a smaller `page_cap` changes it.
    stats_page_rows: int = 80_000
    # How much wider than WB's interval we space requests (WB counts arrivals, we pace departures). 5 % is
    # 3 s on a one-a-minute method; at a test's 100x speed it is 30 ms, less than the event loop's jitter
    # when a cabinet's lanes run at once, so tests against the simulator widen it.
    pacing_margin: float = 0.05


@attrs.frozen
class Settings:
    """Everything the process reads from its environment. repr() shows no secret and no URL password."""

    database_url: str | None = attrs.field(repr=v.redacted_url_repr)
    redis_url: str | None = attrs.field(repr=v.redacted_url_repr)
    api_secret_key: Secret
    jwt_secret: Secret
    encryption_key: Secret
    bot_webhook_url: str | None
    webhook_secret: Secret | None
    sync_interval_s: int
    initial_sync_days: int
    data_dir: Path
    log_level: str
    log_format: str  # json, console, or auto (console when stderr is a terminal)
    host: str
    port: int
    wb: WbSettings
    # How many syncs one worker runs at once; the database pool is sized from it (bootstrap/container.py).
    worker_max_jobs: int = 40
    # How long an invalid or memberless cabinet keeps its data before the purge deletes it
    # (docs/decisions/ on cabinet retention).
    cabinet_retention_days: int = 30
    # Events older than this when detected are recorded, not sent (WB statistics arrive hours late).
    notify_max_age_h: int = 48
    # The fast lane: how often `/api/v3/orders/new` is polled between full syncs.
    new_orders_interval_s: int = 60
    webhook_timeout_s: int = 10
    # The bot's token, only to verify Telegram Login Widget payloads (POST /v1/auth/telegram); None: off.
    telegram_bot_token: Secret | None = None
    # The bot's public @username, for the dashboard page's Telegram Login Widget; shown only with the token.
    telegram_bot_username: str | None = None
    # Requests per minute one signed-in user may make to the dashboard API (/v1 behind a token); then 429.
    dashboard_rate_limit: int = 600

    @property
    def secret_values(self) -> tuple[str, ...]:
        """The plaintext of every configured secret, for the log redactor only."""
        secrets = (
            self.api_secret_key,
            self.jwt_secret,
            self.encryption_key,
            self.webhook_secret,
            self.telegram_bot_token,
        )
        return tuple(s.reveal() for s in secrets if s is not None)

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / SECRETS_FILE_NAME


def load_settings(environ: Mapping[str, str], *, required: Sequence[str] = ()) -> Settings:
    """Read and validate the settings. Without DATABASE_URL (the embedded default) missing secrets are
    generated once and kept in DATA_DIR/secrets.env; with it they are required.

    `required` names the optional URLs a command cannot do without (`api` and `worker`: the other
    commands use the embedded servers of DATA_DIR); they are checked after the plain values and before
    any secrets file is touched.
    """
    env = {key: value.strip() for key, value in environ.items() if value and value.strip()}
    data_dir = Path(env.get("DATA_DIR", "./.wbpulse-data")).expanduser()
    database_url = v.optional(env, "DATABASE_URL", v.postgres_url)
    plain = _plain_values(env)
    for name in required:
        if name not in env:
            raise ConfigError(
                name, "required (`wbpulse run` and the other commands use the embedded Postgres and Redis)"
            )
    # Last, so that a bad value elsewhere stops start-up before any secrets file is written.
    embedded = database_url is None
    secrets = _secrets(env, data_dir, embedded=embedded)
    if embedded and plain["webhook_secret"] is None:  # so that pointing a bot at us needs no restart
        generated = load_or_generate_secrets(data_dir, ["WEBHOOK_SECRET"])["WEBHOOK_SECRET"]
        plain["webhook_secret"] = Secret(
            v.webhook_secret(f"WEBHOOK_SECRET (in {data_dir / SECRETS_FILE_NAME})", generated)
        )
    return Settings(
        database_url=database_url,
        api_secret_key=secrets["API_SECRET_KEY"],
        jwt_secret=secrets["JWT_SECRET"],
        encryption_key=secrets["ENCRYPTION_KEY"],
        data_dir=data_dir,
        **plain,
    )


def _plain_values(env: Mapping[str, str]) -> dict[str, Any]:
    bot_webhook_url = v.optional(env, "BOT_WEBHOOK_URL", v.http_url)
    return {
        "redis_url": v.optional(env, "REDIS_URL", v.redis_url),
        "bot_webhook_url": bot_webhook_url,
        "webhook_secret": _webhook_secret(env, required=bot_webhook_url is not None),
        "telegram_bot_token": _telegram_bot_token(env),
        "telegram_bot_username": v.optional(env, "TELEGRAM_BOT_USERNAME", v.telegram_bot_username),
        "notify_max_age_h": v.integer(env, "NOTIFY_MAX_AGE", 48, 1, 720),
        "new_orders_interval_s": v.integer(env, "NEW_ORDERS_INTERVAL", 60, 5, 3600),
        "webhook_timeout_s": v.integer(env, "WEBHOOK_TIMEOUT", 10, 1, 120),
        "sync_interval_s": v.integer(env, "SYNC_INTERVAL", 180, 30, 86400),
        "initial_sync_days": v.integer(env, "INITIAL_SYNC_DAYS", 30, 1, 90),
        "log_level": v.choice(env, "LOG_LEVEL", "INFO", LOG_LEVELS),
        "log_format": v.choice(env, "LOG_FORMAT", "AUTO", LOG_FORMATS).lower(),
        "host": v.host(env, "HOST", "127.0.0.1"),
        "port": v.integer(env, "PORT", 8000, 1, 65535),
        "wb": _wb_settings(env),
        "worker_max_jobs": v.integer(env, "WORKER_MAX_JOBS", 40, 1, 1000),
        "cabinet_retention_days": v.integer(env, "CABINET_RETENTION_DAYS", 30, 1, 3650),
        "dashboard_rate_limit": v.integer(env, "DASHBOARD_RATE_LIMIT", 600, 1, 1_000_000),
    }


SECRET_RULES = {
    "API_SECRET_KEY": lambda name, value: v.header_token(name, value, min_length=12),
    "JWT_SECRET": lambda name, value: v.long_secret(name, value, min_length=32),
    "ENCRYPTION_KEY": v.fernet_key,
}


def _secrets(env: Mapping[str, str], data_dir: Path, *, embedded: bool) -> dict[str, Secret]:
    given = {name: env[name] for name in SECRET_RULES if name in env}
    for name, value in given.items():
        SECRET_RULES[name](name, value)
    missing = [name for name in SECRET_RULES if name not in given]
    if missing and not embedded:
        raise ConfigError(missing[0], "required when DATABASE_URL is set (see .env.example)")
    if missing:
        stored = load_or_generate_secrets(data_dir, missing)
        for name in missing:
            SECRET_RULES[name](f"{name} (in {data_dir / SECRETS_FILE_NAME})", stored[name])
        given.update(stored)
    return {name: Secret(value) for name, value in given.items()}


def _webhook_secret(env: Mapping[str, str], *, required: bool) -> Secret | None:
    value = env.get("WEBHOOK_SECRET")
    if value is None:
        if required:
            reason = "required when BOT_WEBHOOK_URL is set (a Standard Webhooks secret, whsec_...)"
            raise ConfigError("WEBHOOK_SECRET", reason)
        return None
    return Secret(v.webhook_secret("WEBHOOK_SECRET", value))


def _telegram_bot_token(env: Mapping[str, str]) -> Secret | None:
    value = env.get("TELEGRAM_BOT_TOKEN")
    return None if value is None else Secret(v.telegram_bot_token("TELEGRAM_BOT_TOKEN", value))


def _wb_settings(env: Mapping[str, str]) -> WbSettings:
    base = v.optional(env, "WB_BASE_URL", v.http_url)
    given = {
        field: v.optional(env, variable, v.http_url) or base for field, variable in WB_HOST_VARIABLES.items()
    }
    hosts = WbHosts(**{field: url for field, url in given.items() if url})
    # The scheme word only ("Bearer"); the separating space is ours, so a stripped value cannot lose it.
    scheme = v.optional(env, "WB_AUTH_PREFIX", v.auth_scheme)
    rate_scale = v.fraction(env, "WB_RATE_SCALE", 1.0, 0.0, 1.0)
    page_rows = v.integer(env, "WB_STATS_PAGE_ROWS", 80_000, 2, 1_000_000)
    margin = v.fraction(env, "WB_PACING_MARGIN", 0.05, 0.0, 1.0)
    prefix = f"{scheme} " if scheme else "Bearer "
    return WbSettings(hosts, prefix, rate_scale=rate_scale, stats_page_rows=page_rows, pacing_margin=margin)
