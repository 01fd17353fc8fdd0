"""ReportMissingCogs: when a week closes with SKUs sold without a cost, the cabinet's members are told how
many and how much revenue lacks one (issue 11 part 5; decision 0021)."""

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from uuid import UUID

import attrs

from application.notifications.outbox import record_events
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.ports.weekly import WeekInputs, WeeklyInputs
from domain.events import missing_cogs_event
from domain.identity import Cabinet
from domain.moscow_time import iso_week, moscow_day
from domain.unit_economics import (
    WeeklyUnitEconomics,
    missing_cogs,
    weekly_from_sums,
    weekly_unit_economics,
)

log = logging.getLogger(__name__)
# WB publishes a week's realization report on the Monday or Tuesday after it. A week without its report is
# waited for until more than this many days have passed since its Sunday (so: until Wednesday); from then on
# it is told from the statistics sales.
REPORT_WAIT_DAYS = 2


@attrs.frozen
class MissingCogsRun:
    """One run: the week it looked at; how many cabinets sold SKUs without a cost in it (told now, or told
    by an earlier run), had none, still wait for the week's report, or failed (logged; the next run tries
    again); and how many notifications were written to be sent."""

    week: str
    reported: int = 0
    clean: int = 0
    waiting: int = 0
    failed: int = 0
    notified: int = 0


def closed_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the Moscow ISO week before the one `today` is in: the last week that closed."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


@attrs.frozen
class ReportMissingCogs:
    """For every active cabinet, the last closed Moscow ISO week (the previous Monday–Sunday): the SKUs it
    sold without a cost in force (domain.unit_economics.missing_cogs over `weekly_inputs`), told as one
    `missing_cogs` event per cabinet and week, fanned out to the members by their settings in the same
    unit of work (application/notifications/outbox.py).

    A week whose finance report has not arrived is waited for until REPORT_WAIT_DAYS into the new week; then
    it is told from the statistics sales, marked provisional (the text says so). Safe to run at any time
    and any number of times: it only looks at the last closed week, and the event's subject (the week's
    label) dedupes, so a cabinet is told once per week. A week told provisionally is not told again when
    its report lands. One cabinet failing (a read, a write) is logged and counted, and the others go on.
    """

    uow_factory: UnitOfWorkFactory
    weekly_inputs: WeeklyInputs
    clock: Clock
    id_factory: Callable[[], UUID] = uuid.uuid4
    report_wait_days: int = REPORT_WAIT_DAYS

    async def __call__(self) -> MissingCogsRun:
        now = self.clock.now()
        today = moscow_day(now)
        first, last = closed_week(today)
        may_be_provisional = (today - last).days > self.report_wait_days
        async with self.uow_factory() as uow:
            cabinets = list(await uow.cabinets.list_active())
        counts = {"reported": 0, "clean": 0, "waiting": 0, "failed": 0, "notified": 0}
        for cabinet in cabinets:
            try:
                outcome, notified = await self._cabinet(cabinet, first, last, may_be_provisional, now)
            except Exception:  # one cabinet must not stop the others; the next run tries it again
                log.warning("missing COGS of cabinet %s failed", cabinet.id, exc_info=True)
                outcome, notified = "failed", 0
            counts[outcome] += 1
            counts["notified"] += notified
        return MissingCogsRun(iso_week(first), **counts)

    async def _cabinet(
        self, cabinet: Cabinet, first: date, last: date, may_be_provisional: bool, now: datetime
    ) -> tuple[str, int]:
        """The cabinet's outcome and the notifications written to be sent (0 when told before). The week is
        computed as the dashboard's by-sku computes it (application/dashboard/weekly.py): from the report's
        sums when it has arrived, else from the statistics sales."""
        label = iso_week(first)
        sums = await self.weekly_inputs.report_sums(cabinet.id, first, last)
        if sums is not None:
            week = weekly_from_sums(label, sums)
        elif not may_be_provisional:
            return "waiting", 0
        else:
            week = _from_sales(label, await self.weekly_inputs.week(cabinet.id, first, last))
        summary = missing_cogs(week)
        event = missing_cogs_event(cabinet.id, summary, week.provisional, now, cabinet.name)
        if event is None:
            return "clean", 0
        async with self.uow_factory() as uow:
            notified = await record_events(uow, [event], now, self.id_factory)
            await uow.commit()
        return "reported", notified


def _from_sales(week: str, inputs: WeekInputs) -> WeeklyUnitEconomics:
    return weekly_unit_economics(
        week, cogs=inputs.cogs, report_lines=None, sales=inputs.sales, paid_storage=inputs.paid_storage,
        products=inputs.products,
    )  # fmt: skip
