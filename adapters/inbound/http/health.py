"""Liveness and readiness probes.

`/health` answers while the process serves. `/ready` is 200 when every dependency answers and 503 naming
the one that does not (CheckReadiness); the worker's heartbeat is shown but never fails it.
"""

import logging
from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.routing import Reply
from adapters.inbound.http.schemas import Schema
from application.use_cases.check_readiness import WorkerSeen

NO_STORE = {"Cache-Control": "no-store"}
logger = logging.getLogger(__name__)


class Liveness(Schema):
    status: Literal["ok"]


class WorkerStatus(Schema):
    heartbeat: datetime | None = Field(description="The worker's last heartbeat; null: none lately.")
    age_s: float | None = Field(description="Seconds since that heartbeat.")


class ReadinessInfo(Schema):
    worker: WorkerStatus | None = Field(description="Informational; null when it could not be read.")


class Readiness(Schema):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str] = Field(description='Each dependency: "ok", or why it is not ready.')
    info: ReadinessInfo


async def liveness(request: web.Request) -> Reply:
    """200 while the process serves requests; checks nothing else."""
    return Reply(Liveness(status="ok"), headers=NO_STORE)


async def readiness(request: web.Request) -> Reply:
    """200 when Postgres and Redis answer, else 503 naming the one that does not. The worker's heartbeat
    is reported but never makes the API unready."""
    readiness = await (await request.app[USE_CASES].check_readiness())()
    body = Readiness(
        status="ready" if readiness.ready else "not_ready",
        checks={name: reason or "ok" for name, reason in readiness.checks.items()},
        info=ReadinessInfo(worker=_worker(readiness.worker)),
    )
    if not readiness.ready:
        logger.warning("not ready", extra={"checks": body.checks})
    return Reply(body, status=200 if readiness.ready else 503, headers=NO_STORE)


def _worker(seen: WorkerSeen | None) -> WorkerStatus | None:
    return None if seen is None else WorkerStatus(heartbeat=seen.heartbeat, age_s=seen.age_s)
