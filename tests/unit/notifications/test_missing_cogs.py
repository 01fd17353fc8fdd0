"""A closed week that sold SKUs without a cost is told to the cabinet's members (issue 11 part 5, decision
0021): once per cabinet and week however often the job runs, never when every SKU had a cost, not to a member
who switched it off, and a week whose finance report is late is waited for until Wednesday, then told from
the statistics sales. Use case over the in-memory unit of work and a fake WeeklyInputs."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from adapters.outbound.memory.weekly_inputs import FakeWeeklyInputs
from application.notifications.missing_cogs import MissingCogsRun, ReportMissingCogs
from application.ports.weekly import WeekInputs
from domain.cogs import CogsHistory, CogsVersion
from domain.notifications import DeliveryStatus, NotificationSettings, Suppression
from domain.sales import SaleKind
from domain.unit_economics import DocType, ReportLine, WeekSale
from tests.unit.use_cases.support import T0, World
from tests.unit.use_cases.test_cabinet_notifications import join, user_id

WEEK, MON, SUN = "2026-W09", date(2026, 2, 23), date(2026, 3, 1)  # T0 is that Sunday
MONDAY_NOON = datetime(2026, 3, 2, 9, tzinfo=UTC)  # 12:00 in Moscow, the week after
COSTED, UNCOSTED, OTHER = 101, 202, 303


def sold(rrd: int, nm_id: int, price: str, day: date = MON + timedelta(days=2)) -> ReportLine:
    amount = Decimal(price)
    return ReportLine(
        rrd, nm_id, DocType.SALE, 1, day, srid=f"s{rrd}", retail_price_with_disc=amount, for_pay=amount
    )


def cost(cabinet_id: UUID, nm_id: int) -> dict[int, CogsHistory]:
    version = CogsVersion(uuid4(), cabinet_id, nm_id, Decimal(100), date(2026, 1, 1), T0)
    return {nm_id: CogsHistory(cabinet_id, nm_id, [version])}


def final_week(cabinet_id: UUID) -> WeekInputs:
    lines = [
        sold(1, COSTED, "1000"),
        sold(2, UNCOSTED, "700"),
        sold(3, UNCOSTED, "300.50"),
        sold(4, OTHER, "5"),
    ]
    return WeekInputs(lines, (), None, cost(cabinet_id, COSTED), {})


def sales_only_week(cabinet_id: UUID) -> WeekInputs:
    sale = WeekSale("S1", UNCOSTED, MON + timedelta(days=4), SaleKind.SALE, Decimal(450), Decimal(400))
    return WeekInputs(None, [sale], None, cost(cabinet_id, COSTED), {})


class Setup:
    def __init__(self) -> None:
        self.w = World()
        self.inputs = FakeWeeklyInputs()

    async def run(self) -> MissingCogsRun:
        return await ReportMissingCogs(self.w.uow, self.inputs, self.w.clock, uuid4)()

    async def told(self, telegram_id: int) -> list[tuple[str, DeliveryStatus, str | None, dict]]:
        async with self.w.uow() as uow:
            page = await uow.notifications.history(await user_id(self.w, telegram_id), None, None, 100, 0)
        return [(n.type, n.status, n.reason, dict(n.data)) for n in page.items if n.type == "missing_cogs"]


async def test_every_member_who_kept_it_on_is_told_once_per_cabinet_and_week() -> None:
    s = Setup()
    cab = await s.w.cabinet(telegram_id=111)
    await join(s.w, 222, NotificationSettings(missing_cogs_enabled=False))
    await join(s.w, 333, NotificationSettings(notifications_enabled=False))
    s.inputs.give(cab, MON, final_week(cab))
    s.w.clock.set(MONDAY_NOON)

    assert await s.run() == MissingCogsRun(WEEK, reported=1, notified=1)
    [(kind, status, reason, data)] = await s.told(111)
    assert (kind, status, reason) == ("missing_cogs", DeliveryStatus.PENDING, None)
    facts = {
        k: data[k] for k in ("week", "skus", "units", "revenue", "nm_ids", "provisional", "cabinet_name")
    }
    assert facts == {
        "week": WEEK, "skus": 2, "units": 3, "revenue": "1005.50", "nm_ids": f"{UNCOSTED},{OTHER}",
        "provisional": False, "cabinet_name": "seller-1",
    }  # fmt: skip
    assert [(st, r) for _, st, r, _ in await s.told(222)] == [
        (DeliveryStatus.SUPPRESSED, Suppression.TYPE_DISABLED)
    ]
    off = await s.told(333)
    assert [(st, r) for _, st, r, _ in off] == [
        (DeliveryStatus.SUPPRESSED, Suppression.NOTIFICATIONS_DISABLED)
    ]

    s.w.clock.advance(days=1)  # Tuesday's run, and a run twice at once: nothing more
    assert await s.run() == MissingCogsRun(WEEK, reported=1, notified=0)
    assert await s.run() == MissingCogsRun(WEEK, reported=1, notified=0)
    assert [len(await s.told(member)) for member in (111, 222, 333)] == [1, 1, 1]
    assert s.inputs.calls[-1] == ("report_sums", cab, MON, SUN)


async def test_a_week_in_which_every_sku_sold_had_a_cost_tells_nothing() -> None:
    s = Setup()
    cab = await s.w.cabinet(telegram_id=111)
    lines = [sold(1, COSTED, "1000"), sold(2, COSTED, "10")]
    s.inputs.give(cab, MON, WeekInputs(lines, (), None, cost(cab, COSTED), {}))
    s.w.clock.set(MONDAY_NOON)
    assert await s.run() == MissingCogsRun(WEEK, clean=1)
    assert await s.told(111) == []


async def test_a_week_whose_report_is_late_is_told_from_the_sales_on_wednesday() -> None:
    s = Setup()
    cab = await s.w.cabinet(telegram_id=111)
    s.inputs.give(cab, MON, sales_only_week(cab))
    s.w.clock.set(MONDAY_NOON)
    assert await s.run() == MissingCogsRun(WEEK, waiting=1)
    s.w.clock.advance(days=1)
    assert await s.run() == MissingCogsRun(WEEK, waiting=1)
    assert await s.told(111) == []

    s.w.clock.advance(days=1)  # Wednesday: more than two days since the week ended, still no report
    assert await s.run() == MissingCogsRun(WEEK, reported=1, notified=1)
    [(_, status, _, data)] = await s.told(111)
    assert status is DeliveryStatus.PENDING  # told now: not "too old" though the week ended days ago
    assert (data["provisional"], data["skus"], data["units"], data["revenue"]) == (True, 1, 1, "450.00")

    s.inputs.give(cab, MON, final_week(cab))  # the report lands on Thursday: the week was told already
    s.w.clock.advance(days=1)
    assert (await s.run()).notified == 0
    assert len(await s.told(111)) == 1


async def test_only_the_last_closed_week_is_looked_at_whenever_the_job_runs() -> None:
    s = Setup()
    cab = await s.w.cabinet(telegram_id=111)
    s.inputs.give(cab, MON, final_week(cab))
    s.w.clock.set(datetime(2026, 3, 1, 20, 59, tzinfo=UTC))  # Sunday 23:59 in Moscow: W09 is not over
    assert (await s.run()).week == "2026-W08"
    assert await s.told(111) == []
    s.w.clock.set(datetime(2026, 3, 8, 20, 59, tzinfo=UTC))  # any day of the next week: W09
    assert await s.run() == MissingCogsRun(WEEK, reported=1, notified=1)
    assert {call[2:] for call in s.inputs.calls} == {
        (MON - timedelta(days=7), MON - timedelta(days=1)),
        (MON, SUN),
    }


async def test_each_cabinet_is_told_its_own_week_and_one_failing_does_not_stop_the_others() -> None:
    s = Setup()
    first = await s.w.cabinet(telegram_id=111)
    second = await s.w.cabinet(telegram_id=444, sid="seller-2")
    broken = await s.w.cabinet(telegram_id=555, sid="seller-3")
    s.inputs.give(first, MON, final_week(first))
    s.inputs.give(second, MON, WeekInputs([sold(9, 909, "99")], (), None, {}, {}))
    s.inputs.give(broken, MON, "not inputs")  # type: ignore[arg-type]
    s.w.clock.set(MONDAY_NOON)
    assert await s.run() == MissingCogsRun(WEEK, reported=2, failed=1, notified=2)
    assert [d["nm_ids"] for *_, d in await s.told(111)] == [f"{UNCOSTED},{OTHER}"]
    assert [(d["nm_ids"], d["revenue"]) for *_, d in await s.told(444)] == [("909", "99.00")]
    assert await s.told(555) == []
