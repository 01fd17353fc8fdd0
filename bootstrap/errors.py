"""Start-up errors the CLI turns into one line for the operator (no traceback)."""


class ConfigError(Exception):
    """A setting is missing or malformed. `str()` is "VARIABLE: reason" and never holds a secret value."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


class StartupError(RuntimeError):
    """Start-up failed for a reason the operator can fix (the port is taken, a server cannot start)."""


class EmbeddedUnavailable(StartupError):
    """The `embedded` extra is not installed (or its server could not start)."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "the embedded default needs the `embedded` extra: pip install 'wb-pulse[embedded]', "
            "or set DATABASE_URL and REDIS_URL"
        )
        super().__init__(f"{message} ({detail})" if detail else message)
