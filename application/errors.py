"""Errors the application raises for inbound adapters to translate (HTTP status, CLI exit code)."""


class ApplicationError(Exception):
    """Base for failures a caller can act on."""


class WbApiError(ApplicationError):
    """WB answered with an error; keeps WB's own `detail`/`message`."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"WB API error {status}: {detail}" if status else f"WB API error: {detail}")
        self.status = status
        self.detail = detail


class WbAuthError(WbApiError):
    """401/403: the key is invalid, expired, lacks a category, or is blocked. Never retried."""


class WbRateLimited(WbApiError):
    """429 or our own limiter: try again after `retry_after_s` seconds, never earlier."""

    def __init__(self, retry_after_s: float, detail: str = "too many requests") -> None:
        super().__init__(429, detail)
        self.retry_after_s = retry_after_s


class WbUnavailable(WbApiError):
    """5xx, timeouts or connection errors that outlasted the retries."""


class DeliveryFailed(ApplicationError):
    """The bot webhook did not accept a notification."""
