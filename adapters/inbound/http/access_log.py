"""Access log lines as structured records (method, path, status, duration, request id)."""

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from adapters.inbound.http.middleware import REQUEST_ID_HEADER


class StructuredAccessLogger(AbstractAccessLogger):
    """One INFO record per request. The query string is left out: it may carry tokens."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status,
                "duration_ms": round(time * 1000, 1),
                "request_id": response.headers.get(REQUEST_ID_HEADER),
                "remote": request.remote,
            },
        )
