"""OrderStatistics: the bot's "honest statistics" (seed 000 §3.1): every order of the period, cancelled
ones included, FBS and FBW alike, and the period's sales (buyouts and returns)."""

from datetime import date
from uuid import UUID

import attrs

from application.ports.reports import OrderCounts, Reports, SalesTotals
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef
from application.use_cases.report_scope import Days, cabinet_scope, report_days


@attrs.frozen
class OrderStatisticsReport:
    days: Days
    cabinets: int
    orders: OrderCounts
    sales: SalesTotals


@attrs.frozen
class OrderStatistics:
    """Counts and amounts over Moscow days `date_from`..`date_to` (default: today and the 30 days before)
    of one cabinet or all of the user's. Fails with NotFound (unknown user or cabinet), NotMember, or
    InvalidValue("date_to") for a reversed period. Read-only."""

    uow: UnitOfWorkFactory
    reports: Reports
    clock: Clock

    async def __call__(
        self,
        user: UserRef,
        cabinet_id: UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> OrderStatisticsReport:
        days = report_days(self.clock.now(), date_from, date_to)
        cabinets = await cabinet_scope(self.uow, user, cabinet_id)
        return OrderStatisticsReport(
            days=days,
            cabinets=len(cabinets),
            orders=await self.reports.order_counts(cabinets, days.period),
            sales=await self.reports.sales_totals(cabinets, days.period),
        )
