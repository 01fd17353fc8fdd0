"""Settings from the environment: defaults, every variable's validation, and the embedded secrets."""

import base64
import os
import stat
from pathlib import Path

import pytest

from bootstrap.settings import ConfigError, Secret, load_settings

FERNET_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
SECRETS = {"API_SECRET_KEY": "CnWvwoDwwGKh", "JWT_SECRET": "j" * 32, "ENCRYPTION_KEY": FERNET_KEY}
SERVERS = {
    "DATABASE_URL": "postgresql://wb:pg-password-1@db:5432/wbpulse",
    "REDIS_URL": "redis://cache:6379/0",
}

WHSEC = "whsec_" + base64.b64encode(b"webhook-secret-of-32-bytes-long!").decode()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A complete configuration for real servers."""
    return {**SERVERS, **SECRETS, "DATA_DIR": str(tmp_path / "data")}


def error_for(environ: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    return caught.value


def test_defaults_with_real_servers(env: dict[str, str]) -> None:
    settings = load_settings(env)
    assert (settings.sync_interval_s, settings.initial_sync_days) == (180, 30)
    assert settings.cabinet_retention_days == 30
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8000, "INFO")
    assert settings.log_format == "auto"
    assert settings.bot_webhook_url is None and settings.webhook_secret is None
    assert settings.wb.hosts.marketplace == "https://marketplace-api.wildberries.ru"
    assert settings.wb.hosts.statistics == "https://statistics-api.wildberries.ru"
    assert settings.wb.auth_prefix == "Bearer "
    assert settings.api_secret_key.reveal() == "CnWvwoDwwGKh"
    assert settings.database_url == SERVERS["DATABASE_URL"]


def test_data_dir_defaults_to_a_local_folder() -> None:
    assert load_settings({**SERVERS, **SECRETS}).data_dir == Path(".wbpulse-data")


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_secret_is_required_when_database_url_is_set(env: dict[str, str], missing: str) -> None:
    del env[missing]
    error = error_for(env)
    assert error.variable == missing
    assert "required when DATABASE_URL is set" in str(error)
    assert not Path(env["DATA_DIR"]).exists(), "no secrets file is made for real servers"


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("SYNC_INTERVAL", "abc", "must be an integer between 30 and 86400 (got 'abc')"),
        ("SYNC_INTERVAL", "29", "between 30 and 86400"),
        ("SYNC_INTERVAL", "86401", "between 30 and 86400"),
        ("SYNC_INTERVAL", "1.5", "between 30 and 86400"),
        ("INITIAL_SYNC_DAYS", "0", "between 1 and 90"),
        ("INITIAL_SYNC_DAYS", "91", "between 1 and 90"),
        ("CABINET_RETENTION_DAYS", "0", "between 1 and 3650"),
        ("CABINET_RETENTION_DAYS", "thirty", "between 1 and 3650"),
        ("PORT", "0", "between 1 and 65535"),
        ("PORT", "65536", "between 1 and 65535"),
        ("PORT", "http", "between 1 and 65535"),
        ("LOG_LEVEL", "LOUD", "one of DEBUG, INFO, WARNING, ERROR"),
        ("LOG_FORMAT", "xml", "one of JSON, CONSOLE, AUTO (got 'xml')"),
        ("HOST", "bad host", "host name or IP address"),
        ("DATABASE_URL", "mysql://u:p@h/db", "PostgreSQL URL"),
        ("REDIS_URL", "http://cache:6379", "Redis URL"),
        ("REDIS_URL", "redis://cache:6379/zero", "database number"),
        ("REDIS_URL", "redis://cache:port/0", "invalid port"),
        ("BOT_WEBHOOK_URL", "ftp://bot.example/hook", "http:// or https:// URL"),
        ("WB_BASE_URL", "127.0.0.1:8900", "http:// or https:// URL"),
        ("WB_MARKETPLACE_URL", "marketplace", "http:// or https:// URL"),
        ("WB_FINANCE_URL", "https://", "http:// or https:// URL"),
        ("WB_AUTH_PREFIX", "Bearer token", "auth scheme word"),
    ],
)
def test_malformed_value_names_the_variable(
    env: dict[str, str], variable: str, value: str, reason: str
) -> None:
    env[variable] = value
    error = error_for(env)
    assert error.variable == variable
    assert reason in str(error)
    assert str(error).startswith(f"{variable}: ")


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("API_SECRET_KEY", "short-key01", "at least 12 characters long (got 11)"),
        ("API_SECRET_KEY", "has spaces inside it", "printable ASCII without spaces"),
        ("JWT_SECRET", "j" * 31, "at least 32 characters long (got 31)"),
        ("ENCRYPTION_KEY", "this is not base64 at all!", "Fernet key"),
        ("ENCRYPTION_KEY", base64.urlsafe_b64encode(b"k" * 31).decode(), "Fernet key"),
        ("WEBHOOK_SECRET", "w" * 40, "Standard Webhooks secret"),
        ("WEBHOOK_SECRET", "whsec_" + base64.b64encode(b"w" * 23).decode(), "Standard Webhooks secret"),
        ("TELEGRAM_BOT_TOKEN", "no-colon-" + "t" * 40, "Telegram bot token"),
        ("TELEGRAM_BOT_TOKEN", "123:short", "Telegram bot token"),
    ],
)
def test_malformed_secret_is_named_but_never_shown(
    env: dict[str, str], variable: str, value: str, reason: str
) -> None:
    env[variable] = value
    error = error_for(env)
    assert error.variable == variable
    assert reason in str(error)
    assert value not in str(error)


def test_malformed_secret_is_an_error_in_embedded_mode_too(tmp_path: Path) -> None:
    error = error_for({"DATA_DIR": str(tmp_path), "JWT_SECRET": "too-short"})
    assert error.variable == "JWT_SECRET"


def test_webhook_secret_is_required_with_a_webhook_url(env: dict[str, str]) -> None:
    env["BOT_WEBHOOK_URL"] = "https://bot.example/wb-pulse"
    assert error_for(env).variable == "WEBHOOK_SECRET"
    settings = load_settings({**env, "WEBHOOK_SECRET": WHSEC})
    assert settings.bot_webhook_url == "https://bot.example/wb-pulse"
    assert settings.webhook_secret == Secret(WHSEC)


def test_telegram_bot_token_is_optional_and_redacted(env: dict[str, str]) -> None:
    assert load_settings(env).telegram_bot_token is None
    token = "123456:" + "A-b_" * 9
    settings = load_settings({**env, "TELEGRAM_BOT_TOKEN": token})
    assert settings.telegram_bot_token == Secret(token)
    assert token in settings.secret_values
    assert token not in repr(settings)


def test_embedded_mode_generates_a_webhook_secret_once(tmp_path: Path) -> None:
    first = load_settings({"DATA_DIR": str(tmp_path)})
    again = load_settings({"DATA_DIR": str(tmp_path)})
    assert first.webhook_secret is not None and first.webhook_secret.reveal().startswith("whsec_")
    assert again.webhook_secret == first.webhook_secret


def test_values_in_range_and_case_insensitive_level(env: dict[str, str]) -> None:
    env |= {"SYNC_INTERVAL": "30", "INITIAL_SYNC_DAYS": "90", "PORT": "65535", "LOG_LEVEL": "debug"}
    settings = load_settings({**env, "HOST": "::1"})
    assert (settings.sync_interval_s, settings.initial_sync_days, settings.port) == (30, 90, 65535)
    assert (settings.log_level, settings.host) == ("DEBUG", "::1")


@pytest.mark.parametrize(("value", "expected"), [("json", "json"), ("Console", "console"), ("AUTO", "auto")])
def test_log_format_is_read_case_insensitively(env: dict[str, str], value: str, expected: str) -> None:
    assert load_settings({**env, "LOG_FORMAT": value}).log_format == expected


def test_empty_variables_count_as_unset(env: dict[str, str]) -> None:
    """docker-compose passes the blank lines of .env.example through as empty strings."""
    settings = load_settings({**env, "SYNC_INTERVAL": "", "BOT_WEBHOOK_URL": " ", "WEBHOOK_SECRET": ""})
    assert settings.sync_interval_s == 180 and settings.bot_webhook_url is None


def test_wb_base_url_points_every_host_at_one_place_unless_overridden(env: dict[str, str]) -> None:
    env |= {"WB_BASE_URL": "http://127.0.0.1:8900/", "WB_FEEDBACKS_URL": "http://127.0.0.1:8901"}
    wb = load_settings({**env, "WB_AUTH_PREFIX": "Token"}).wb
    hosts = wb.hosts
    assert hosts.marketplace == hosts.statistics == hosts.analytics == hosts.common == "http://127.0.0.1:8900"
    assert hosts.returns == hosts.finance == "http://127.0.0.1:8900"
    assert hosts.feedbacks == "http://127.0.0.1:8901"
    assert wb.auth_prefix == "Token "


def test_required_urls_are_checked_before_secrets(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"DATA_DIR": str(tmp_path / "d")}, required=("DATABASE_URL", "REDIS_URL"))
    assert caught.value.variable == "DATABASE_URL"
    assert "wbpulse run" in caught.value.reason
    assert not (tmp_path / "d").exists()


def test_embedded_mode_generates_secrets_once_and_reuses_them(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_settings({"DATA_DIR": str(data_dir)})
    second = load_settings({"DATA_DIR": str(data_dir)})
    assert first.database_url is None and first.redis_url is None
    assert first.secret_values == second.secret_values
    assert len(first.api_secret_key.reveal()) >= 12 and len(first.jwt_secret.reveal()) >= 32
    assert len(base64.urlsafe_b64decode(first.encryption_key.reveal())) == 32
    secrets_file = data_dir / "secrets.env"
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    assert first.jwt_secret.reveal() in secrets_file.read_text()


def test_embedded_mode_prefers_given_secrets_and_stores_only_generated_ones(tmp_path: Path) -> None:
    environ = {"DATA_DIR": str(tmp_path), "JWT_SECRET": "given-" + "j" * 30}
    settings = load_settings(environ)
    assert settings.jwt_secret.reveal() == environ["JWT_SECRET"]
    stored = (tmp_path / "secrets.env").read_text()
    assert "JWT_SECRET" not in stored and settings.encryption_key.reveal() in stored


def test_a_corrupted_secrets_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "secrets.env").write_text("ENCRYPTION_KEY=garbage\n")
    error = error_for({"DATA_DIR": str(tmp_path)})
    assert error.variable.startswith("ENCRYPTION_KEY (in ") and "garbage" not in str(error)


def test_bad_plain_value_stops_before_any_secrets_file_is_written(tmp_path: Path) -> None:
    error_for({"DATA_DIR": str(tmp_path / "d"), "SYNC_INTERVAL": "abc"})
    assert not (tmp_path / "d").exists()


def test_repr_never_shows_secrets_or_url_passwords(env: dict[str, str]) -> None:
    env |= {"BOT_WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET": WHSEC}
    env["REDIS_URL"] = "redis://:redis-password-1@cache:6379/0"
    settings = load_settings(env)
    shown = repr(settings) + str(settings) + repr(settings.api_secret_key) + str(settings.jwt_secret)
    for secret in [*SECRETS.values(), WHSEC, "pg-password-1", "redis-password-1"]:
        assert secret not in shown
    assert "Secret('**********')" in shown and "db:5432" in shown


def test_wb_rate_scale_defaults_to_wb_pacing_and_rejects_nonsense(tmp_path) -> None:
    from bootstrap.errors import ConfigError
    from bootstrap.settings import load_settings

    base = {"DATA_DIR": str(tmp_path)}
    assert load_settings(base).wb.rate_scale == 1.0
    assert load_settings({**base, "WB_RATE_SCALE": "0.01"}).wb.rate_scale == 0.01
    for bad in ("0", "-1", "2", "fast"):
        with pytest.raises(ConfigError) as info:
            load_settings({**base, "WB_RATE_SCALE": bad})
        assert info.value.variable == "WB_RATE_SCALE"
