"""seller-analytics-api paid storage report, an asynchronous task (reference §2.5 c):

`GET /api/v1/paid_storage?dateFrom&dateTo` (at most 8 days apart) creates a task → `{"data":{"taskId"}}`;
`GET /api/v1/paid_storage/tasks/{id}/status` → `{"data":{"id","status"}}`, "new" for the first third of the
seller's `paid_storage_delay_s` (real seconds, times its `rate_scale`), then "processing", then "done";
`GET /api/v1/paid_storage/tasks/{id}/download` → the rows (204 when there are none) once done, a 400 before
that. A malformed task id is a 400, an unknown one a 404, in WB's problem+json shape. Tasks live as long as
the seller. The rows are those of the days in the period that had ended when the task was created.
"""

import json
import time
import uuid

from aiohttp import web

from simulator import errors
from simulator.paid_storage import day_rows, row_json
from simulator.timeutil import DAY, MSK_OFFSET, parse_msk

MAX_DAYS = 8
ORIGIN = "api-statistics"


def _bad(detail: str, status: int = 400) -> web.Response:
    title = "Not Found" if status == 404 else "Bad Request"
    body = {"detail": detail, "origin": ORIGIN, "requestId": errors.request_id(), "title": title}
    return web.Response(status=status, text=_dumps(body), content_type=errors.PROBLEM)


def _dumps(body) -> str:
    return json.dumps(body, ensure_ascii=False)


def tasks(seller) -> dict:
    return seller.__dict__.setdefault("paid_storage_tasks", {})


def _day(value: str | None, name: str) -> int:
    if not value:
        raise ValueError(f"missing required parameter {name}")
    try:
        return (int(parse_msk(value)) + MSK_OFFSET) // DAY
    except ValueError:
        raise ValueError(f"invalid {name}: {value!r}") from None


async def create(request: web.Request, seller, clock: float) -> web.Response:
    try:
        first = _day(request.query.get("dateFrom"), "dateFrom")
        last = _day(request.query.get("dateTo"), "dateTo")
    except ValueError as exc:
        return _bad(str(exc))
    if last < first:
        return _bad("dateTo must not be before dateFrom")
    if last - first > MAX_DAYS:
        return _bad(f"the maximum period is {MAX_DAYS} days")
    task_id = str(uuid.uuid4())
    today = (int(clock) + MSK_OFFSET) // DAY
    tasks(seller)[task_id] = (time.monotonic(), first, min(last, today - 1))
    return errors.ok({"data": {"taskId": task_id}})


def status_of(seller, created: float) -> str:
    delay = seller.spec.paid_storage_delay_s * (seller.spec.rate_scale or 0)
    age = time.monotonic() - created
    if age >= delay:
        return "done"
    return "new" if age < delay / 3 else "processing"


def _task(request: web.Request, seller):
    raw = request.match_info["task_id"]
    try:
        uuid.UUID(raw)
    except ValueError:
        return None, _bad(f"Invalid format for parameter task_id: invalid UUID {raw!r}")
    task = tasks(seller).get(raw)
    if task is None:
        return None, _bad("not found", 404)
    return (raw, task), None


async def status(request: web.Request, seller, clock: float) -> web.Response:
    found, error = _task(request, seller)
    if error is not None:
        return error
    task_id, (created, _first, _last) = found
    return errors.ok({"data": {"id": task_id, "status": status_of(seller, created)}})


async def download(request: web.Request, seller, clock: float) -> web.Response:
    found, error = _task(request, seller)
    if error is not None:
        return error
    _id, (created, first, last) = found
    state = status_of(seller, created)
    if state != "done":
        return _bad(f"the report is not ready yet: task status is {state}")
    rows = [row_json(seller, d, r) for d in range(first, last + 1) for r in day_rows(seller, d)]
    if not rows:
        return web.Response(status=204)
    return errors.ok(rows)
