"""The WB seller API over HTTP: transport (auth, retries, rate limits, error shapes) and per-source calls."""

from adapters.outbound.wb.api import HttpWbSellerApi
from adapters.outbound.wb.hosts import WbHosts
from adapters.outbound.wb.transport import RetryPolicy, WbTransport

__all__ = ["HttpWbSellerApi", "RetryPolicy", "WbHosts", "WbTransport"]
