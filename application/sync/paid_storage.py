"""The `paid_storage` source: WB's per-SKU paid storage report, an asynchronous task per window of at most
8 days (`GET /api/v1/paid_storage` creates it, `…/tasks/{id}/status` says when it is done, `…/download`
hands the rows over; reference/wb-api.md §2.5 c).

The cursor (`next_day`) is the first Moscow day not stored yet; windows run from it up to yesterday (today's
storage is not charged yet), the first from `initial_sync_days` back. A task is saved in the position as soon
as it exists, and waited for inline only briefly (`paid_storage_polls` polls `paid_storage_poll_s` apart):
a task not done by then ends the source with WbPacingWait, and the next run resumes polling the same task
instead of creating another. A task WB purged or cancelled is created again. A window's rows and the moved
cursor commit together; the upsert by the rows' own key makes a re-read window write nothing.
"""

import asyncio
from datetime import date, timedelta
from typing import Any

from application.ports.wb import WbPacingWait
from application.sync.run import Outcome, SourceRun
from domain.finance import PaidStorageTaskStatus
from domain.moscow_time import moscow_day

NEXT_DAY = "next_day"
TASK = "task"  # {"id", "from", "to"} of the task under way


async def sync_paid_storage(run: SourceRun) -> Outcome:
    """Every window from the cursor up to yesterday, one task each (see the module doc)."""
    yesterday = moscow_day(run.clock.now()) - timedelta(days=1)
    while True:
        task = run.position.get(TASK)
        if not isinstance(task, dict):
            raw = run.position.get(NEXT_DAY)
            start = date.fromisoformat(raw) if isinstance(raw, str) else moscow_day(run.initial_from())
            if start > yesterday:
                return Outcome.DONE
            task = await _create(run, start, yesterday)
        status = await _wait(run, str(task["id"]))
        if status is PaidStorageTaskStatus.DONE:
            await _download(run, task)
        elif status.is_gone:
            await _remember(run, {k: v for k, v in run.position.items() if k != TASK})
        else:
            raise WbPacingWait(run.settings.paid_storage_poll_s, "paid storage task not done yet")


async def _create(run: SourceRun, start: date, yesterday: date) -> dict[str, Any]:
    end = min(start + timedelta(days=run.settings.paid_storage_window_days - 1), yesterday)
    task_id = await run.wb_api.create_paid_storage_task(run.creds, start, end)
    task = {"id": task_id, "from": start.isoformat(), "to": end.isoformat()}
    await _remember(run, {**run.position, TASK: task})
    return task


async def _wait(run: SourceRun, task_id: str) -> PaidStorageTaskStatus:
    """The task's status once done or gone, else the last status after the inline polls."""
    polls = max(1, run.settings.paid_storage_polls)
    for attempt in range(polls):
        if attempt:
            await asyncio.sleep(run.settings.paid_storage_poll_s)
        status = await run.wb_api.paid_storage_task_status(run.creds, task_id)
        if status is PaidStorageTaskStatus.DONE or status.is_gone:
            return status
    return status


async def _download(run: SourceRun, task: dict[str, Any]) -> None:
    rows = await run.wb_api.download_paid_storage(run.creds, str(task["id"]))
    next_day = date.fromisoformat(str(task["to"])) + timedelta(days=1)
    position = {k: v for k, v in run.position.items() if k != TASK}
    position[NEXT_DAY] = next_day.isoformat()
    async with run.uow_factory() as uow:
        written = await uow.paid_storage.upsert_many(rows) if rows else 0
        if written:  # the weekly unit economics read these rows: cached answers must not outlive them
            await uow.rollups.bump_version(run.cabinet_id)
        await run.commit_page(uow, position, len(rows), written)


async def _remember(run: SourceRun, position: dict[str, Any]) -> None:
    """Save the position now (a task id must survive the run that created it)."""
    async with run.uow_factory() as uow:
        await run.commit_page(uow, position, 0, 0)
        await uow.source_states.save(run.state)
        await uow.commit()
