"""The store's per-SKU sums of a weekly report (PostgresWeeklyInputs.report_sums, one SQL statement) give the
same week as the domain's line-by-line computation (`weekly_unit_economics`) for random report lines and
COGS histories: sales, returns of those sales and of sales outside the week, storno-style negative amounts,
lines without an nmId, charges, and COGS versions changing mid-week (one in another currency)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.repositories.finance_weeks import refresh_finance_weeks
from adapters.outbound.postgres.repositories.weekly_inputs import PostgresWeeklyInputs
from adapters.outbound.postgres.tables import cogs_versions, finance_report_rows
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from domain.cogs import CogsHistory, CogsVersion
from domain.moscow_time import parse_iso_week
from domain.unit_economics import DocType, ReportLine, weekly_from_sums, weekly_unit_economics
from tests.integration.builders import a_cabinet
from tests.integration.test_weekly_by_sku import at

WEEK = "2026-W45"
MON, SUN = parse_iso_week(WEEK)
NMS = (11, 12, 13)
DOCS = ("Продажа", "Возврат", "", "Продажа ")
amounts = st.decimals(min_value=-500, max_value=3000, places=2)


@st.composite
def lines(draw: Any) -> list[dict[str, Any]]:
    out = []
    for rrd in range(draw(st.integers(1, 14))):
        doc = draw(st.sampled_from(DOCS))
        day = MON + timedelta(days=draw(st.integers(0, 6)))
        out.append({
            "rrd_id": rrd + 1, "report_id": 1, "date_from": MON, "date_to": SUN,
            "nm_id": draw(st.sampled_from((*NMS, None))), "doc_type_name": doc,
            "quantity": draw(st.integers(0, 2)), "sale_dt": at(day), "rr_date": day,
            "srid": draw(st.sampled_from(("a", "b", "c", ""))),
            "retail_price_with_disc": draw(amounts), "for_pay": draw(amounts),
            "delivery_service": draw(amounts), "penalty": draw(amounts), "paid_storage": draw(amounts),
            "paid_acceptance": draw(amounts), "deduction": draw(amounts), "additional_payment": draw(amounts),
        })  # fmt: skip
    return out


@st.composite
def histories(draw: Any) -> dict[int, list[dict[str, Any]]]:
    found = {}
    for nm in NMS:
        if draw(st.booleans()):
            cut = MON + timedelta(days=draw(st.integers(0, 6)))
            versions: list[dict[str, Any]] = [
                {"valid_from": date(2026, 1, 1), "valid_to": cut - timedelta(days=1)}
            ]
            versions.append({"valid_from": cut, "valid_to": None})
            found[nm] = [
                v | {"unit_cost": draw(amounts.filter(lambda d: d >= 0)),
                     "currency": draw(st.sampled_from(("RUB", "RUB", "USD")))}
                for v in versions[draw(st.integers(0, 1)) :]
            ]  # fmt: skip
    return found


def _line(row: dict[str, Any]) -> ReportLine:
    return ReportLine(
        rrd_id=row["rrd_id"], nm_id=row["nm_id"], doc_type=DocType.from_wb(row["doc_type_name"]),
        quantity=row["quantity"], sale_date=row["rr_date"], srid=row["srid"],
        **{k: row[k] for k in ("retail_price_with_disc", "for_pay", "delivery_service", "penalty",
                                "paid_storage", "paid_acceptance", "deduction", "additional_payment")},
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=lines(), cogs=histories())
async def test_the_stores_sums_give_the_domains_week(
    pg_engine: AsyncEngine, report: list[dict[str, Any]], cogs: dict[int, list[dict[str, Any]]]
) -> None:
    async with PostgresUnitOfWorkFactory(pg_engine)() as uow:
        cabinet = a_cabinet()
        await uow.cabinets.add(cabinet, b"key")
        await uow.commit()
    cab = cabinet.id
    created = datetime(2026, 1, 1, tzinfo=UTC)
    versions = {
        nm: [CogsVersion(uuid.uuid4(), cab, nm, created_at=created, **v) for v in vs]
        for nm, vs in cogs.items()
    }
    async with pg_engine.begin() as conn:
        await conn.execute(sa.insert(finance_report_rows), [{"cabinet_id": cab, **r} for r in report])
        await refresh_finance_weeks(conn, cab, [(MON, SUN)])  # as the finance repository does
        rows = [
            {"id": v.id, "cabinet_id": cab, "nm_id": nm, "unit_cost": v.unit_cost, "currency": v.currency,
             "valid_from": v.valid_from, "valid_to": v.valid_to, "created_at": created}
            for nm, vs in versions.items() for v in vs
        ]  # fmt: skip
        if rows:
            await conn.execute(sa.insert(cogs_versions), rows)
    sums = await PostgresWeeklyInputs(pg_engine).report_sums(cab, MON, SUN)
    assert sums is not None
    from_store = weekly_from_sums(WEEK, sums)
    reference = weekly_unit_economics(
        WEEK, cogs={nm: CogsHistory(cab, nm, vs) for nm, vs in versions.items()},
        report_lines=[_line(r) for r in report],
    )  # fmt: skip
    store_rows, reference_rows = [s.fields() for s in from_store.skus], [s.fields() for s in reference.skus]
    differences = [
        (r["nm_id"], k, m.get(k), r[k]) for m, r in zip(store_rows, reference_rows, strict=False) for k in r
        if m.get(k) != r[k]
    ]  # fmt: skip
    assert store_rows == reference_rows, (differences, report, cogs)
    assert from_store.unallocated == reference.unallocated
