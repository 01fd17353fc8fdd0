"""Liveness and readiness probes.

`/health` answers while the process serves. `/ready` runs every HealthCheck concurrently, each bounded by
a timeout, and is 503 naming the dependency that is not ready; READY_INFO adds facts that never fail it.
"""

import asyncio
import logging
from collections.abc import Mapping, Sequence

from aiohttp import web

from adapters.inbound.http.app_keys import HEALTH_CHECKS, READY_INFO, ReadyInfo
from application.ports import HealthCheck

CHECK_TIMEOUT_S = 3.0
NO_STORE = {"Cache-Control": "no-store"}
logger = logging.getLogger(__name__)


async def liveness(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"}, headers=NO_STORE)


async def readiness(request: web.Request) -> web.Response:
    checks = request.app.get(HEALTH_CHECKS, ())
    reasons, info = await asyncio.gather(run_checks(checks), collect_info(request.app.get(READY_INFO, ())))
    ready = all(reason is None for reason in reasons.values())
    body: dict[str, object] = {
        "status": "ready" if ready else "not_ready",
        "checks": {name: reason or "ok" for name, reason in reasons.items()},
    }
    if info:
        body["info"] = info
    if not ready:
        logger.warning("not ready", extra={"checks": body["checks"]})
    return web.json_response(body, status=200 if ready else 503, headers=NO_STORE)


async def run_checks(checks: Sequence[HealthCheck]) -> dict[str, str | None]:
    reasons = await asyncio.gather(*(_bounded(check) for check in checks))
    return {check.name: reason for check, reason in zip(checks, reasons, strict=True)}


async def collect_info(sources: Sequence[ReadyInfo]) -> dict[str, object]:
    found: dict[str, object] = {}
    for facts in await asyncio.gather(*(_bounded_info(source) for source in sources)):
        found.update(facts)
    return found


async def _bounded(check: HealthCheck) -> str | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            return await check()
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_S:g} s"
    except Exception as exc:  # a check must not raise; if one does, it is a failed check, not a 500
        return f"check failed ({type(exc).__name__})"


async def _bounded_info(source: ReadyInfo) -> Mapping[str, object]:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            return await source()
    except Exception:  # info is best-effort by definition
        logger.debug("readiness info unavailable", exc_info=True)
        return {}
