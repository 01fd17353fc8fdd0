"""SalesStatistics and RecentSales: the bot's sales API (seed 000 §4): buyouts and returns of a period."""

from datetime import date
from uuid import UUID

import attrs

from application.ports.reports import Page, SaleLine, SalesReports, SalesTotals, SaleType
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef
from application.use_cases.report_scope import Days, cabinet_scope, report_days


@attrs.frozen
class SalesStatisticsReport:
    days: Days
    cabinets: int
    sales: SalesTotals


@attrs.frozen
class SaleList:
    days: Days
    page: Page[SaleLine]


@attrs.frozen
class SalesStatistics:
    """Buyouts, returns and their amounts over the period (default: today and the 30 days before) of one
    cabinet or all of the user's. NotFound, NotMember, InvalidValue("date_to"). Read-only."""

    uow: UnitOfWorkFactory
    reports: SalesReports
    clock: Clock

    async def __call__(
        self,
        user: UserRef,
        cabinet_id: UUID | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> SalesStatisticsReport:
        days = report_days(self.clock.now(), date_from, date_to)
        cabinets = await cabinet_scope(self.uow, user, cabinet_id)
        return SalesStatisticsReport(
            days, len(cabinets), await self.reports.sales_totals(cabinets, days.period)
        )


@attrs.frozen
class RecentSales:
    """A page of buyouts and returns (or only one `type`), newest first. Failures as SalesStatistics."""

    uow: UnitOfWorkFactory
    reports: SalesReports
    clock: Clock

    async def __call__(
        self,
        user: UserRef,
        cabinet_id: UUID | None = None,
        type: SaleType | None = None,
        limit: int = 10,
        offset: int = 0,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> SaleList:
        days = report_days(self.clock.now(), date_from, date_to)
        cabinets = await cabinet_scope(self.uow, user, cabinet_id)
        return SaleList(days, await self.reports.recent_sales(cabinets, days.period, type, limit, offset))
