"""The week-closed missing-COGS notification on real Postgres, through the container (issue 11 part 5,
decision 0021): a week whose finance report sold a SKU without a cost is told to the member who kept it on,
recorded as suppressed for the one who switched it off, once however often the job runs; a cabinet whose
week has only statistics sales waits for its report on Monday and is told from those sales on Wednesday. One
database of the test's own: the use case looks at every active cabinet."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from arq.connections import ArqRedis
from dependency_injector import providers

from adapters.inbound import jobs
from adapters.outbound.memory.clock import ManualClock
from adapters.outbound.postgres.repositories.finance_weeks import refresh_finance_weeks
from adapters.outbound.postgres.tables import cogs_versions, finance_report_rows, notifications, sales
from application.notifications.missing_cogs import MissingCogsRun
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from domain.identity import Membership, Role
from domain.moscow_time import MSK
from domain.notifications import NotificationSettings
from tests.integration.builders import stored_cabinet
from tests.integration.test_http_app import settings_for

WEEK, MON, SUN = "2026-W45", date(2026, 11, 2), date(2026, 11, 8)
WED = MON + timedelta(days=2)
MONDAY_NOON = datetime(2026, 11, 9, 9, tzinfo=UTC)  # 12:00 in Moscow, the Monday after 2026-W45


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), MSK).astimezone(UTC)


async def stored_week(engine: Any, cab: uuid.UUID, waiting: uuid.UUID) -> None:
    """`cab`: the week's report sold SKU 77 (with a cost) and 88 (500 ₽, none); `waiting`: only a statistics
    sale of SKU 77 (no cost), the week's report not in yet."""

    def sold(rrd: int, nm_id: int, price: int) -> dict[str, Any]:
        return {
            "cabinet_id": cab, "rrd_id": rrd, "report_id": 1, "date_from": MON, "date_to": SUN,
            "nm_id": nm_id, "doc_type_name": "Продажа", "quantity": 1, "sale_dt": noon(WED), "rr_date": WED,
            "srid": f"s-{rrd}", "retail_price_with_disc": Decimal(price), "for_pay": Decimal(price - 100),
        }  # fmt: skip

    version = {"id": uuid.uuid4(), "cabinet_id": cab, "nm_id": 77, "unit_cost": Decimal(300),
               "valid_from": date(2026, 1, 1), "created_at": noon(MON)}  # fmt: skip
    sale = {"cabinet_id": waiting, "sale_id": "S-9", "srid": "s-9", "nm_id": 77, "date": noon(WED),
            "last_change_date": noon(WED), "kind": "sale", "price_with_disc": Decimal(450),
            "for_pay": Decimal(400)}  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(sa.insert(finance_report_rows), [sold(1, 77, 1000), sold(2, 88, 500)])
        await refresh_finance_weeks(conn, cab, [(MON, SUN)])  # as the finance repository does
        await conn.execute(sa.insert(cogs_versions), [version])
        await conn.execute(sa.insert(sales), [sale])


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_NOON)


@pytest.fixture
async def container(own_database_url: str, redis_url: str, clock: ManualClock) -> AsyncIterator[Any]:
    c = build_container(settings_for(own_database_url, redis_url))
    c.gateways.clock.override(providers.Object(clock))
    await init_resources(c)
    yield c
    await shutdown_resources(c)


async def member(container: Any, cabinet_id: Any, telegram_id: int, settings: NotificationSettings) -> int:
    user = (await (await container.use_cases.register_user())(telegram_id)).user
    async with (await container.gateways.unit_of_work_factory())() as uow:
        await uow.memberships.add(Membership(user.id, cabinet_id, Role.MEMBER, MONDAY_NOON))
        await uow.notification_settings.save(user.id, settings)
        await uow.commit()
    return int(user.id)


async def told(container: Any) -> list[tuple[int, str, str | None, dict[str, Any]]]:
    engine = await container.gateways.engine()
    query = sa.select(
        notifications.c.user_id, notifications.c.status, notifications.c.reason, notifications.c.data
    )
    async with engine.connect() as conn:
        rows = await conn.execute(query.where(notifications.c.type == "missing_cogs"))
    return sorted((r.user_id, r.status, r.reason, r.data) for r in rows)


async def test_a_closed_week_with_a_sku_sold_without_cost_is_told_once_to_the_member_who_wants_it(
    container: Any, clock: ManualClock
) -> None:
    uow_factory = await container.gateways.unit_of_work_factory()
    cab = (await stored_cabinet(uow_factory, name="Shop")).id
    waiting = (await stored_cabinet(uow_factory, name="Late shop")).id
    await stored_week(await container.gateways.engine(), cab, waiting)
    wants = await member(container, cab, 7_000_000_001, NotificationSettings())
    silenced = await member(container, cab, 7_000_000_002, NotificationSettings(missing_cogs_enabled=False))
    late = await member(container, waiting, 7_000_000_003, NotificationSettings())

    report = await container.use_cases.report_missing_cogs()
    assert await report() == MissingCogsRun(WEEK, reported=1, waiting=1, notified=1)
    facts = {"week": WEEK, "skus": 1, "units": 1, "revenue": "500.00", "nm_ids": "88", "provisional": False}
    rows = await told(container)
    assert [(user, status, reason) for user, status, reason, _ in rows] == [
        (wants, "pending", None),
        (silenced, "suppressed", "type_disabled"),
    ]
    assert {k: rows[0][3][k] for k in facts} == facts and rows[0][3]["cabinet_name"] == "Shop"

    assert await report() == MissingCogsRun(WEEK, reported=1, waiting=1, notified=0)  # the job ran twice
    assert len(await told(container)) == 2

    clock.advance(days=2)  # Wednesday: the late cabinet's week is told from its statistics sales
    assert await report() == MissingCogsRun(WEEK, reported=2, notified=1)
    [(user, status, _, data)] = [row for row in await told(container) if row[0] == late]
    assert (user, status, data["provisional"], data["revenue"], data["nm_ids"]) == (
        late, "pending", True, "450.00", "77"
    )  # fmt: skip


async def test_the_cron_job_reports_its_run_and_wakes_delivery_when_it_wrote_notifications(
    container: Any, queue: ArqRedis
) -> None:
    uow_factory = await container.gateways.unit_of_work_factory()
    cab = (await stored_cabinet(uow_factory, name="Shop")).id
    late = (await stored_cabinet(uow_factory, name="Late shop")).id
    await stored_week(await container.gateways.engine(), cab, late)
    await member(container, cab, 7_000_000_011, NotificationSettings())
    ctx = {jobs.USE_CASES: use_case_registry(container), "redis": queue}

    assert await jobs.report_missing_cogs(ctx) == {
        "week": WEEK, "reported": 1, "clean": 0, "waiting": 1, "failed": 0, "notified": 1,
    }  # fmt: skip
    assert [job.function for job in await queue.queued_jobs()] == [jobs.DELIVER_JOB]
    await queue.delete(queue.default_queue_name)
    assert (await jobs.report_missing_cogs(ctx))["notified"] == 0  # a second run: nothing to deliver
    assert await queue.queued_jobs() == []
