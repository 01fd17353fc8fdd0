"""`sla` (seed 002 names it in its cache table only; decision 0018): how fast the seller handled FBS orders
created in a period — seconds from creation to confirmation and to hand-over (percentiles), and the share
handed over within WB's assembly deadline. Definitions: docs/metrics.md, "Dashboard analytics" → "sla".
"""

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import attrs

from application.dashboard.analytics import check_period, rate
from application.ports.dashboard import DashboardSla, SlaFigures
from application.ports.reports import Period
from application.ports.system import Clock
from domain.errors import InvalidValue
from domain.moscow_time import day_range_utc, moscow_day

MAX_DAYS = 90  # the one dashboard figure read from the orders tables: the period bounds the scan
DEFAULT_DAYS = 7
DEFAULT_DEADLINE_HOURS = 36  # an assumption, not WB's published figure: decision 0018
MAX_DEADLINE_HOURS = 240


@attrs.frozen
class SlaReport:
    from_day: date
    to_day: date
    deadline_hours: int
    figures: SlaFigures
    within_deadline_percent: Decimal | None  # within ÷ due, one decimal; None when nothing is due yet


@attrs.frozen
class OrderSla:
    """FBS handling times over Moscow days `from_day`..`to_day` (default: the last DEFAULT_DAYS days to
    today), at most MAX_DAYS days. InvalidValue (→ 400) for a reversed or too long period or a deadline
    outside 1..MAX_DEADLINE_HOURS. Read-only."""

    sla: DashboardSla
    clock: Clock

    async def __call__(
        self,
        cabinet_id: UUID,
        from_day: date | None = None,
        to_day: date | None = None,
        deadline_hours: int = DEFAULT_DEADLINE_HOURS,
    ) -> SlaReport:
        if not 1 <= deadline_hours <= MAX_DEADLINE_HOURS:
            raise InvalidValue("deadline_hours", f"must be from 1 to {MAX_DEADLINE_HOURS}")
        now = self.clock.now()
        to_day = to_day or moscow_day(now)
        from_day = from_day or to_day - timedelta(days=DEFAULT_DAYS - 1)
        check_period(from_day, to_day, MAX_DAYS)
        start, end = day_range_utc(from_day, to_day)
        figures = await self.sla.sla(cabinet_id, Period(start, end), timedelta(hours=deadline_hours), now)
        share = rate(figures.within_deadline, figures.due) if figures.due else None
        return SlaReport(from_day, to_day, deadline_hours, figures, share)
