"""What every bot report starts with: whose cabinets (access rules of access.py) and which Moscow days.

The default period is today and the 30 Moscow days before it: the sync keeps "the last 30 days" counted
back from now (INITIAL_SYNC_DAYS), which touches 31 calendar days, so this window holds all of it
(docs/decisions/0009-bot-order-and-sales-statistics.md).
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

import attrs

from application.ports.reports import Period
from application.ports.unit_of_work import UnitOfWorkFactory
from application.use_cases.access import UserRef, find_user, member_cabinets
from domain.errors import InvalidValue
from domain.moscow_time import day_range_utc, moscow_day

DEFAULT_DAYS_BACK = 30


@attrs.frozen
class Days:
    """Moscow calendar days, both inclusive."""

    first: date
    last: date

    @property
    def period(self) -> Period:
        start, end = day_range_utc(self.first, self.last)
        return Period(start, end)


def report_days(now: datetime, date_from: date | None, date_to: date | None) -> Days:
    """The asked days, defaults filled in; InvalidValue("date_to") if it is before date_from."""
    last = date_to if date_to is not None else max(moscow_day(now), date_from or date.min)
    first = date_from if date_from is not None else last - timedelta(days=DEFAULT_DAYS_BACK)
    if last < first:
        raise InvalidValue("date_to", f"{last} is before date_from {first}")
    return Days(first, last)


async def cabinet_scope(
    uow_factory: UnitOfWorkFactory, user: UserRef, cabinet_id: UUID | None
) -> Sequence[UUID]:
    """The ids of the cabinets a report covers: `cabinet_id`, or all of the user's. NotFound for an unknown
    user or cabinet, NotMember when the user is not in the cabinet asked for."""
    async with uow_factory() as uow:
        found = await find_user(uow, user)
        return [c.id for c in await member_cabinets(uow, found, cabinet_id)]
