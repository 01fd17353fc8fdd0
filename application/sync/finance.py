"""The `finance_report` source: WB's weekly realization reports (`POST
/api/finance/v1/sales-reports/detailed`, period weekly), read week by week from a cursor, each request
paged by `rrdId` until WB answers 204.

WB forms a week's report (Mon-Sun, Moscow) on the Monday after, sometimes days later. So the cursor
(`next_week`, a Monday) moves past a week only once the week is settled: its report arrived (rows with that
period were read) or the week ended more than `finance_settle_days` ago with none (a week with no activity
has no report). Until then the unsettled week is asked for again, at most every `finance_recheck`. One
request covers every closed week from the cursor, so a backfill of many weeks costs one paged read, and a
run with no newly closed week makes no call at all (WB allows one request a minute).

Rows are stored as WB sent them, keyed by rrd_id: storno and correction rows are rows of their own, and a
re-read page writes nothing. Each page commits with the request's position (its rrdId), so a run stopped by
WB's pace continues the same request at the next run.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from application.sync.run import Outcome, SourceRun, from_iso, iso
from domain.moscow_time import moscow_day

NEXT_WEEK = "next_week"
REQUEST = "request"  # the paged read under way: {"from", "to", "rrd_id", "weeks"}
CHECKED_AT = "checked_at"
CHECKED_THROUGH = "checked_through"  # the last closed Sunday when the last read ended


class PagingStalled(RuntimeError):
    """WB answered a page whose rows do not move the rrdId cursor on: stop rather than loop."""


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_closed_sunday(today: date) -> date:
    return monday(today) - timedelta(days=1)


def settled_until(
    start: date, last_closed: date, seen: Iterable[date], today: date, settle_days: int
) -> date:
    """The first week (its Monday) from `start` that is not settled, or the Monday after `last_closed`
    when every week is: a week is settled when its report was seen or it ended over `settle_days` ago."""
    seen_weeks = {monday(d) for d in seen}
    week = start
    while week <= last_closed:
        ended_long_ago = week + timedelta(days=6 + settle_days) < today
        if week not in seen_weeks and not ended_long_ago:
            break
        week += timedelta(days=7)
    return week


def _date(position: dict[str, Any], key: str) -> date | None:
    raw = position.get(key)
    return date.fromisoformat(raw) if isinstance(raw, str) else None


def _start(run: SourceRun) -> date:
    return _date(run.position, NEXT_WEEK) or monday(moscow_day(run.initial_from()))


def _not_due(run: SourceRun, last_closed: date, now: datetime) -> bool:
    """A read ended recently, and no week closed since: the unsettled week is asked for again later."""
    checked_at = from_iso(run.position, CHECKED_AT)
    checked_through = _date(run.position, CHECKED_THROUGH)
    if checked_at is None or checked_through is None or last_closed > checked_through:
        return False
    return now - checked_at < run.settings.finance_recheck


async def sync_finance_report(run: SourceRun) -> Outcome:
    """Reads every closed week from the cursor (see the module doc). DONE without a call when there is
    nothing to ask. WbPacingWait from a later page leaves the request's rrdId in the position."""
    now = run.clock.now()
    today = moscow_day(now)
    last_closed = last_closed_sunday(today)
    request = run.position.get(REQUEST)
    if not isinstance(request, dict):
        start = _start(run)
        if start > last_closed or _not_due(run, last_closed, now):
            return Outcome.DONE
        request = {"from": start.isoformat(), "to": last_closed.isoformat(), "rrd_id": 0, "weeks": []}
    await _read(run, dict(request), today)
    return Outcome.DONE


async def _read(run: SourceRun, request: dict[str, Any], today: date) -> None:
    date_from, date_to = date.fromisoformat(request["from"]), date.fromisoformat(request["to"])
    limit = run.settings.finance_page_limit
    while True:
        cursor = int(request["rrd_id"])
        rows = await run.wb_api.finance_report(run.creds, date_from, date_to, cursor, limit)
        async with run.uow_factory() as uow:
            if not rows:  # WB's 204: the request is read through
                seen = [date.fromisoformat(w) for w in request["weeks"]]
                start = date.fromisoformat(request["from"])
                settle = run.settings.finance_settle_days
                position = {k: v for k, v in run.position.items() if k != REQUEST}
                position[NEXT_WEEK] = settled_until(start, date_to, seen, today, settle).isoformat()
                position[CHECKED_AT] = iso(run.clock.now())
                position[CHECKED_THROUGH] = date_to.isoformat()
                await run.commit_page(uow, position, 0, 0)
                return
            last = max(r.rrd_id for r in rows)
            if last <= cursor:
                raise PagingStalled(f"finance report page after rrdId {cursor} ends at {last}")
            written = await uow.finance_rows.upsert_many(rows)
            if written:  # the weekly unit economics read these rows: cached answers must not outlive them
                await uow.rollups.bump_version(run.cabinet_id)
            weeks = set(request["weeks"]) | {monday(r.date_from).isoformat() for r in rows}
            request = {**request, "rrd_id": last, "weeks": sorted(weeks)}
            await run.commit_page(uow, {**run.position, REQUEST: request}, len(rows), written)
