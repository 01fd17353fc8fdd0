"""RecentOrders: the bot's order list (seed 000 §3.2), newest first, optionally only active or cancelled."""

from datetime import date
from uuid import UUID

import attrs

from application.ports.reports import OrderLine, OrderReports, OrderStatus, Page
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef
from application.use_cases.report_scope import Days, cabinet_scope, report_days


@attrs.frozen
class OrderList:
    days: Days
    page: Page[OrderLine]


@attrs.frozen
class RecentOrders:
    """A page of the orders dated in the period (default: today and the 30 days before) of one cabinet or
    all of the user's. NotFound, NotMember, InvalidValue("date_to") as OrderStatistics. Read-only."""

    uow: UnitOfWorkFactory
    reports: OrderReports
    clock: Clock

    async def __call__(
        self,
        user: UserRef,
        cabinet_id: UUID | None = None,
        status: OrderStatus | None = None,
        limit: int = 10,
        offset: int = 0,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> OrderList:
        days = report_days(self.clock.now(), date_from, date_to)
        cabinets = await cabinet_scope(self.uow, user, cabinet_id)
        return OrderList(days, await self.reports.recent_orders(cabinets, days.period, status, limit, offset))
