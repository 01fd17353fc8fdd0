"""`GET /v1/analytics/weekly/by-sku` on the real app, Postgres and Redis (issue 11 part 3): a hand-computed
week from the weekly realization report (two sales and a return of one SKU across a COGS change, logistics,
storage without an nmId spread by revenue, a SKU without COGS), a provisional week from statistics sales,
`includeCogs=false`, and 400s naming the field."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.repositories.finance_weeks import refresh_finance_weeks
from adapters.outbound.postgres.tables import cogs_versions, finance_report_rows
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from bootstrap.app import create_app
from bootstrap.container import build_container
from domain.money import Money
from domain.moscow_time import MSK, iso_week, moscow_day, parse_iso_week
from domain.sales import Sale
from tests.integration.test_dashboard_caching import headers_for
from tests.integration.test_http_app import Client, settings_for
from tests.integration.test_openapi_conformance import stored_cabinet

WEEK = "2026-W45"
EARLIER = "2026-W44"
URL = "/v1/analytics/weekly/by-sku"
MON, SUN = parse_iso_week(WEEK)
WED, THU, FRI, SAT = (MON + timedelta(days=n) for n in (2, 3, 4, 5))


@pytest.fixture
async def client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    return await aiohttp_client(create_app(build_container(settings_for(database_url, redis_url))))


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), MSK).astimezone(UTC)


MONEY = ("retail_price_with_disc", "for_pay", "delivery_service", "paid_storage", "penalty")


def line(rrd: int, nm: int | None, doc: str, day: date, **money: Any) -> dict[str, Any]:
    money = {name: 0 for name in MONEY} | money
    return {
        "rrd_id": rrd, "report_id": 1, "date_from": MON, "date_to": SUN, "nm_id": nm, "doc_type_name": doc,
        "quantity": 1 if doc else 0, "sale_dt": at(day), "rr_date": day,
        "srid": money.pop("srid", f"s-{rrd}"),
        **{k: Decimal(v) for k, v in money.items()},
    }  # fmt: skip


def sale(cabinet_id: uuid.UUID, sale_id: str, srid: str, day: date, price: str, for_pay: str) -> Sale:
    rub = Money(Decimal(price))
    return Sale(
        cabinet_id, sale_id, srid, nm_id=77, supplier_article="ll-20-bl", barcode="1", date=at(day),
        last_change_date=at(day), total_price=rub, discount_percent=Decimal(0), spp=Decimal(0),
        for_pay=Money(Decimal(for_pay)), finished_price=rub, price_with_disc=rub,
    )  # fmt: skip


async def stored_week(engine: AsyncEngine, cabinet_id: uuid.UUID) -> None:
    lines = [
        line(1, 77, "Продажа", WED, retail_price_with_disc=1000, for_pay=850, srid="s-ret"),
        line(2, 77, "", WED, delivery_service=60),
        line(3, 77, "Продажа", FRI, retail_price_with_disc=1000, for_pay=850),
        line(4, 77, "Возврат", SAT, retail_price_with_disc=1000, for_pay=850, srid="s-ret"),
        line(5, 88, "Продажа", THU, retail_price_with_disc=500, for_pay=400),
        line(6, None, "", SUN, paid_storage=30),
    ]
    versions: list[dict[str, Any]] = [
        {"valid_from": date(2026, 1, 1), "valid_to": THU, "unit_cost": Decimal(300)},
        {"valid_from": FRI, "valid_to": None, "unit_cost": Decimal(400)},
    ]
    async with engine.begin() as conn:
        await conn.execute(sa.insert(finance_report_rows), [{"cabinet_id": cabinet_id, **x} for x in lines])
        await refresh_finance_weeks(conn, cabinet_id, [(MON, SUN)])  # as the finance repository does
        await conn.execute(
            sa.insert(cogs_versions),
            [
                {"id": uuid.uuid4(), "cabinet_id": cabinet_id, "nm_id": 77, "created_at": at(MON), **v}
                for v in versions
            ],
        )
    earlier = parse_iso_week(EARLIER)[0] + timedelta(days=1)
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        await uow.sales.upsert_many([
            sale(cabinet_id, "S-ret", "s-ret", WED, "1000", "850"),
            sale(cabinet_id, "S-old", "s-old", earlier, "900", "800"),
        ])  # fmt: skip
        await uow.commit()


async def test_a_week_from_the_finance_report_is_costed_per_sale_day_and_spreads_unattributed_storage(
    client: TestClient, pg_engine: AsyncEngine
) -> None:
    cab = await stored_cabinet(pg_engine)
    await stored_week(pg_engine, cab)
    response = await client.get(f"{URL}?week={WEEK}&includeCogs=true", headers=headers_for(cab))
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["week"] == {
        "week": WEEK, "first_day": MON.isoformat(), "last_day": SUN.isoformat(), "provisional": False,
        "revenue_source": "finance_report",
    }  # fmt: skip
    assert body["pagination"] == {"total": 2, "limit": 100, "offset": 0}
    first, second = body["data"]
    assert first == {
        "nm_id": "77", "sa_name": "ll-20-bl", "brand": None, "category": None,
        "total_units": 1, "revenue_gross": 1000.0, "revenue_net": 850.0, "logistics_cost": 60.0,
        "storage_cost": 20.0, "storage_data_source": "finance_report", "penalties": 0.0, "other_costs": 0.0,
        "total_expenses": 80.0, "has_revenue": True, "provisional": False,
        # Wednesday's sale at 300, Friday's at 400, the return of Wednesday's sale back at 300.
        "cogs": 400.0, "missing_cogs_flag": False, "profit": 600.0, "margin_pct": 60.0,
        "markup_percent": 150.0,
        "roi": 92.5, "profit_per_unit": 600.0, "net_profit": 370.0, "net_margin_pct": 37.0,
        "operating_profit": 370.0, "operating_margin_pct": 37.0,
    }  # fmt: skip
    assert second["nm_id"] == "88" and second["storage_cost"] == 10.0 and second["missing_cogs_flag"] is True
    cogs_based = ("cogs", "profit", "margin_pct", "markup_percent", "roi", "net_profit", "operating_profit")
    assert [second[k] for k in cogs_based] == [None] * len(cogs_based)

    without = await (
        await client.get(f"{URL}?week={WEEK}&includeCogs=false", headers=headers_for(cab))
    ).json()
    assert "cogs" not in without["data"][0] and without["data"][0]["revenue_gross"] == 1000.0
    paged = await (await client.get(f"{URL}?week={WEEK}&limit=1&offset=1", headers=headers_for(cab))).json()
    assert [r["nm_id"] for r in paged["data"]] == ["88"] and paged["pagination"]["total"] == 2


async def test_a_week_without_its_report_is_provisional_from_statistics_sales(
    client: TestClient, pg_engine: AsyncEngine
) -> None:
    cab = await stored_cabinet(pg_engine)
    await stored_week(pg_engine, cab)
    body = await (await client.get(f"{URL}?week={EARLIER}", headers=headers_for(cab))).json()
    assert body["week"]["provisional"] is True and body["week"]["revenue_source"] == "statistics_sales"
    [row] = body["data"]
    assert (row["nm_id"], row["revenue_gross"], row["revenue_net"], row["cogs"]) == (
        "77",
        900.0,
        800.0,
        300.0,
    )
    assert (row["storage_data_source"], row["provisional"], row["logistics_cost"]) == ("none", True, 0.0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("week=2026-46", "query.week"),
        ("week=2026-W60", "week"),
        ("week=2999-W01", "week"),
        ("limit=0", "query.limit"),
    ],
)
async def test_bad_weeks_and_limits_are_400_naming_the_field(
    client: TestClient, pg_engine: AsyncEngine, query: str, field: str
) -> None:
    cab = await stored_cabinet(pg_engine)
    response = await client.get(f"{URL}?{query}", headers=headers_for(cab))
    assert response.status == 400
    details = (await response.json())["error"]["details"]
    assert [d["field"] for d in details] == [field], details


async def probe_weekly_by_sku(dash: Any, path: str, _: uuid.UUID, t: Any) -> None:
    """Tenancy (test_dashboard_tenancy.py): B's week is in B's report, never in A's answer."""
    monday, sunday = parse_iso_week(iso_week(moscow_day(datetime.now(UTC))))
    row = line(900, 4242, "Продажа", monday, retail_price_with_disc=700, for_pay=600)
    async with dash.engine.begin() as conn:
        await conn.execute(
            sa.insert(finance_report_rows),
            [{**row, "cabinet_id": t.b, "date_from": monday, "date_to": sunday}],
        )
        await refresh_finance_weeks(conn, t.b, [(monday, sunday)])
    status, body = await dash.get(path, t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and body["data"] == [] and body["pagination"]["total"] == 0, body
    status, body = await dash.get(path, t.token_a, **{"X-Cabinet-Id": str(t.b)})
    assert status == 403, body
