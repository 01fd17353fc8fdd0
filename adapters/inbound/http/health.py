"""Liveness and readiness probes.

`/health` answers while the process serves. `/ready` is 200 when every dependency answers and 503 naming
the one that does not (CheckReadiness); the worker's heartbeat is shown but never fails it.
"""

import logging

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES

NO_STORE = {"Cache-Control": "no-store"}
logger = logging.getLogger(__name__)


async def liveness(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"}, headers=NO_STORE)


async def readiness(request: web.Request) -> web.Response:
    readiness = await (await request.app[USE_CASES].check_readiness())()
    body: dict[str, object] = {
        "status": "ready" if readiness.ready else "not_ready",
        "checks": {name: reason or "ok" for name, reason in readiness.checks.items()},
    }
    if readiness.worker is not None:
        seen = readiness.worker.heartbeat
        heartbeat = None if seen is None else seen.isoformat()
        body["info"] = {"worker": {"heartbeat": heartbeat, "age_s": readiness.worker.age_s}}
    if not readiness.ready:
        logger.warning("not ready", extra={"checks": body["checks"]})
    return web.json_response(body, status=200 if readiness.ready else 503, headers=NO_STORE)
