"""The COGS API over HTTP on the real app (Postgres, Redis): writes and reads as a dashboard uses them, every
refusal's status and body naming the field, bulk uploads all or nothing, another cabinet's versions out of
reach, and every cached answer of the cabinet recomputed right after a COGS write. The tenancy probes of
the COGS routes (`test_dashboard_tenancy.PROBES`) live here too."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from aiohttp import FormData

from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.cogs.writes import CreateCogs
from domain.money import Money
from domain.moscow_time import iso_week, moscow_day
from tests.integration.test_dashboard_auth_http import Dashboard, d  # noqa: F401 - fixture d
from tests.unit.use_cases import builders as b

NM = 147205694


@attrs.frozen
class Api:
    """A member of `cabinet`, signed in."""

    dash: Dashboard
    token: str
    cabinet: uuid.UUID

    async def call(self, method: str, path: str, **kw: Any) -> tuple[int, Any, dict[str, str]]:
        headers = {"Authorization": f"Bearer {self.token}", "X-Cabinet-Id": str(self.cabinet)}
        response = await self.dash.client.request(method, path, headers=headers | kw.pop("headers", {}), **kw)
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body, dict(response.headers)


async def member(dash: Dashboard, name: str = "Shop") -> Api:
    telegram_id, cabinet = await dash.seller(name)
    return Api(dash, (await dash.sign_in(telegram_id))["access_token"], cabinet)


def today(dash: Dashboard) -> date:
    return moscow_day(dash.clock.now())


async def test_create_read_correct_and_delete_a_cost(d: Dashboard) -> None:  # noqa: F811
    api, now = await member(d), today(d)
    start, later = now - timedelta(days=20), now - timedelta(days=6)
    status, first, _ = await api.call(
        "POST", "/v1/cogs", json={"nm_id": str(NM), "unit_cost": 1500, "valid_from": str(start)}
    )
    assert status == 201, first
    v1 = first["data"]
    assert (v1["nm_id"], v1["unit_cost"], v1["currency"], v1["valid_to"], v1["is_active"]) == (
        str(NM),
        1500.0,
        "RUB",
        None,
        True,
    )
    assert v1["affected_weeks"][0] == iso_week(start) and v1["affected_weeks"][-1] == iso_week(now)
    status, second, _ = await api.call(
        "POST",
        "/v1/cogs",
        json={"nm_id": NM, "unit_cost": 1600.5, "currency": "RUB", "valid_from": str(later)},
    )
    assert status == 201 and second["changed"][0]["id"] == v1["id"]
    assert second["changed"][0]["valid_to"] == str(later - timedelta(days=1))
    assert (
        second["affected_weeks"] == sorted(second["affected_weeks"])
        and iso_week(later) in second["affected_weeks"]
    )
    status, at, _ = await api.call("GET", f"/v1/cogs?nm_id={NM}&valid_at={later - timedelta(days=1)}")
    assert (status, at["data"]["id"], at["meta"]["missing_cogs_flag"]) == (200, v1["id"], False)
    status, at, _ = await api.call("GET", f"/v1/cogs?nm_id={NM}")  # today
    assert at["data"]["unit_cost"] == 1600.5
    status, none, _ = await api.call("GET", f"/v1/cogs?nm_id={NM}&valid_at={start - timedelta(days=1)}")
    assert (status, none["data"], none["meta"]["missing_cogs_flag"]) == (200, None, True)

    v2 = second["data"]["id"]
    status, fixed, _ = await api.call(
        "PUT", f"/v1/cogs/{v2}", json={"unit_cost": "1650.00", "valid_from": str(later)}
    )
    assert (status, fixed["data"]["id"], fixed["data"]["unit_cost"], fixed["changed"]) == (
        200,
        v2,
        1650.0,
        [],
    )
    status, gone, _ = await api.call("DELETE", f"/v1/cogs/{v2}")
    assert (status, gone["data"]["is_active"], gone["changed"][0]["id"], gone["changed"][0]["valid_to"]) == (
        200,
        False,
        v1["id"],
        None,
    )
    status, hist, _ = await api.call("GET", f"/v1/cogs/history?nm_id={NM}&include_deleted=true&limit=1")
    assert status == 200 and [v["id"] for v in hist["data"]] == [v2]
    assert hist["meta"] == {
        "nm_id": str(NM),
        "product_name": None,
        "current_cogs": 1500.0,
        "total_versions": 2,
    }
    assert hist["pagination"] == {"has_more": True, "next_cursor": "1", "count": 1}
    status, rest, _ = await api.call("GET", f"/v1/cogs/history?nm_id={NM}&include_deleted=true&cursor=1")
    assert [v["id"] for v in rest["data"]] == [v1["id"]] and rest["pagination"]["has_more"] is False
    status, live, _ = await api.call("GET", f"/v1/cogs/history?nm_id={NM}")
    assert [v["id"] for v in live["data"]] == [v1["id"]] and live["meta"]["total_versions"] == 1
    status, one, _ = await api.call("GET", f"/v1/cogs/{v2}")
    assert (status, one["data"]["is_active"], one["data"]["deleted_at"] is not None) == (200, False, True)


async def test_refusals_name_the_field_and_the_reason(d: Dashboard) -> None:  # noqa: F811
    api, now = await member(d), today(d)
    start = str(now - timedelta(days=10))
    cases = {
        "unit_cost": {"nm_id": NM, "unit_cost": -1, "valid_from": start},
        "currency": {"nm_id": NM, "unit_cost": 1, "currency": "USD", "valid_from": start},
        "valid_to": {
            "nm_id": NM,
            "unit_cost": 1,
            "valid_from": start,
            "valid_to": str(now - timedelta(days=11)),
        },
    }
    for field, body in cases.items():
        status, refused, _ = await api.call("POST", "/v1/cogs", json=body)
        assert status == 400 and refused["error"]["details"][0]["field"] == field, refused
        assert refused["error"]["details"][0]["reason"]
    status, refused, _ = await api.call(
        "POST", "/v1/cogs", json={"nm_id": NM, "unit_cost": "x", "valid_from": start}
    )
    assert status == 400 and refused["error"]["details"][0]["field"] == "body.unit_cost"
    await api.call("POST", "/v1/cogs", json={"nm_id": NM, "unit_cost": 5, "valid_from": start})
    early = {"nm_id": NM, "unit_cost": 4, "valid_from": str(now - timedelta(days=20)), "valid_to": str(now)}
    status, conflict, _ = await api.call("POST", "/v1/cogs", json=early)
    assert status == 409 and conflict["error"]["code"] == "window_conflict", conflict
    assert (
        conflict["error"]["details"][0]["field"] == "valid_to"
        and "overlaps" in conflict["error"]["details"][0]["reason"]
    )
    for method in ("GET", "PUT", "DELETE"):
        status, missing, _ = await api.call(
            method, f"/v1/cogs/{uuid.uuid4()}", json={"unit_cost": 1, "valid_from": start}
        )
        assert status == 404 and missing["error"]["code"] == "not_found", (method, missing)
    status, bad, _ = await api.call("GET", "/v1/cogs/missing?week=2026-W60")
    assert status == 400 and bad["error"]["details"][0]["field"] == "week"


CSV_OK = (
    "nm_id,unit_cost,currency,valid_from,valid_to\n"
    "1,100.50,RUB,2026-01-01,2026-01-31\n1,120,,2026-02-01,\n2,70,RUB,2026-01-15,\n"
)
CSV_BAD = (
    "nm_id,unit_cost,currency,valid_from\n1,100,RUB,2026-01-01\n2,-3,EUR,2026-01-01\n3,5,RUB,2026-02-30\n"
)


async def test_bulk_csv_and_json_apply_all_or_nothing(d: Dashboard) -> None:  # noqa: F811
    api = await member(d)
    status, bad, _ = await api.call(
        "POST", "/v1/cogs/bulk", data=CSV_BAD, headers={"Content-Type": "text/csv"}
    )
    assert status == 400 and bad["error"]["code"] == "rows_refused", bad
    assert [e["field"] for e in bad["error"]["details"]] == [
        "rows.2.currency",
        "rows.2.unit_cost",
        "rows.3.valid_from",
    ]
    assert bad["error"]["message"] == "2 of 3 rows are refused: nothing was applied"
    assert all(e["reason"] for e in bad["error"]["details"])
    assert (await api.call("GET", "/v1/cogs/history?nm_id=1"))[1]["data"] == []  # row 1 was fine: not applied
    status, bad, _ = await api.call(
        "POST", "/v1/cogs/bulk?dry_run=true", data=CSV_BAD, headers={"Content-Type": "text/csv"}
    )
    assert status == 400 and len(bad["error"]["details"]) == 3, bad  # a preview refuses the same rows
    status, preview, _ = await api.call(
        "POST", "/v1/cogs/bulk?dry_run=true", data=CSV_OK, headers={"Content-Type": "text/csv"}
    )
    assert (status, preview["dry_run"], preview["applied"], len(preview["data"])) == (200, True, 0, 3)
    assert (await api.call("GET", "/v1/cogs/history?nm_id=1"))[1]["data"] == []  # the preview stored nothing
    status, ok, _ = await api.call("POST", "/v1/cogs/bulk", data=CSV_OK, headers={"Content-Type": "text/csv"})
    assert (status, ok["applied"], [v["unit_cost"] for v in ok["data"]]) == (200, 3, [100.5, 120.0, 70.0])
    assert ok["dry_run"] is False
    hist = (await api.call("GET", "/v1/cogs/history?nm_id=1"))[1]["data"]
    assert [(v["valid_from"], v["valid_to"]) for v in hist] == [
        ("2026-02-01", None),
        ("2026-01-01", "2026-01-31"),
    ]

    rows = [
        {"nm_id": 3, "unit_cost": 1.1, "valid_from": "2026-01-01"},
        {"nm_id": 1, "unit_cost": 9, "valid_from": "2025-12-01", "valid_to": "2026-01-05"},
    ]
    status, refused, _ = await api.call("POST", "/v1/cogs/bulk", json=rows)
    assert status == 400 and [e["field"] for e in refused["error"]["details"]] == ["rows.2.valid_to"]
    status, ok, _ = await api.call("POST", "/v1/cogs/bulk", json=rows[:1])
    assert (status, ok["applied"], ok["data"][0]["unit_cost"]) == (200, 1, 1.1)

    semicolons = "nm_id;unit_cost;valid_from\n4;1500,75;2026-01-01\n"
    form = FormData()
    form.add_field("file", semicolons.encode(), filename="costs.csv", content_type="text/csv")
    status, ok, _ = await api.call("POST", "/v1/cogs/bulk", data=form)
    assert (status, ok["data"][0]["nm_id"], ok["data"][0]["unit_cost"]) == (200, "4", 1500.75)
    for body, kind in (
        ("nm_id,price\n1,2\n", "text/csv"),
        ("{}", "application/json"),
        ("x", "application/xml"),
    ):
        status, malformed, _ = await api.call(
            "POST", "/v1/cogs/bulk", data=body, headers={"Content-Type": kind}
        )
        assert status == 400 and malformed["error"]["code"] == "invalid_request", malformed


async def test_missing_lists_this_weeks_uncosted_sales(d: Dashboard) -> None:  # noqa: F811
    api = await member(d)
    sold_at = d.clock.now() - timedelta(minutes=5)
    price = {"price_with_disc": Money(Decimal("250.25"))}
    async with PostgresUnitOfWorkFactory(d.engine)() as uow:
        await uow.sales.upsert_many(
            [b.sale(api.cabinet, f"S{n}", sold_at, nm_id=n % 2 + 10, **price) for n in range(3)]
        )
        await uow.commit()
    await api.call("POST", "/v1/cogs", json={"nm_id": 11, "unit_cost": 1, "valid_from": str(today(d))})
    status, week, _ = await api.call("GET", f"/v1/cogs/missing?week={iso_week(sold_at)}")
    assert status == 200, week
    assert week["data"] == [{"nm_id": "10", "sa_name": "A", "units": 2, "revenue": 500.5}]
    assert week["meta"] == {"skus": 1, "units": 2, "revenue": 500.5}


async def eventually_miss(api: Api, path: str) -> tuple[Any, dict[str, str]]:
    """The answer once the cabinet's change notice has reached this process (milliseconds: decision 0019)."""
    for _ in range(100):
        status, body, headers = await api.call("GET", path)
        assert status == 200, body
        if headers["X-Cache"] == "miss":
            return body, headers
        await asyncio.sleep(0.02)
    raise AssertionError(f"{path} stayed cached after a COGS write")


async def test_a_cogs_write_recomputes_every_cached_answer_of_the_cabinet_at_once(d: Dashboard) -> None:  # noqa: F811
    api, other = await member(d), await member(d, "Other")
    volume = f"/v1/analytics/orders/volume?from={today(d) - timedelta(days=7)}&to={today(d)}"
    cost = f"/v1/cogs?nm_id={NM}"
    for path in (volume, cost):
        assert (await api.call("GET", path))[2]["X-Cache"] == "miss"
        assert (await api.call("GET", path))[2]["X-Cache"] == "hit"
    assert (await other.call("GET", volume))[2]["X-Cache"] == "miss"
    await api.call("POST", "/v1/cogs", json={"nm_id": NM, "unit_cost": 10, "valid_from": str(today(d))})
    body, _ = await eventually_miss(api, cost)
    assert body["data"]["unit_cost"] == 10.0
    await eventually_miss(api, volume)
    assert (await other.call("GET", volume))[2]["X-Cache"] == "hit"  # another cabinet's answers stay


async def test_another_cabinets_versions_are_out_of_reach(d: Dashboard) -> None:  # noqa: F811
    mine, theirs = await member(d, "A"), await member(d, "B")
    status, created, _ = await theirs.call(
        "POST", "/v1/cogs", json={"nm_id": NM, "unit_cost": 7, "valid_from": "2026-01-01"}
    )
    assert status == 201
    their_id = created["data"]["id"]
    for method in ("GET", "PUT", "DELETE"):
        status, body, _ = await mine.call(
            method, f"/v1/cogs/{their_id}", json={"unit_cost": 1, "valid_from": "2026-01-01"}
        )
        assert status == 404, (method, body)
    intruder = Api(d, mine.token, theirs.cabinet)
    for method, path in (("POST", "/v1/cogs"), ("POST", "/v1/cogs/bulk"), ("DELETE", f"/v1/cogs/{their_id}")):
        status, body, _ = await intruder.call(
            method, path, json=[{"nm_id": NM, "unit_cost": 1, "valid_from": "2026-01-01"}]
        )
        assert status == 403, (method, path, body)
    assert (await mine.call("GET", f"/v1/cogs?nm_id={NM}&valid_at=2026-02-01"))[1]["data"] is None
    status, still, _ = await theirs.call("GET", f"/v1/cogs/history?nm_id={NM}")
    assert [(v["id"], v["unit_cost"], v["is_active"]) for v in still["data"]] == [(their_id, 7.0, True)]


# Tenancy probes (test_dashboard_tenancy.PROBES): A's member, asking with A's cabinet, never meets B's rows.


async def their_version(dash: Dashboard, cabinet: uuid.UUID) -> str:
    create = CreateCogs(PostgresUnitOfWorkFactory(dash.engine), dash.clock, uuid.uuid4)
    written = await create(cabinet, {"nm_id": NM, "unit_cost": 9, "valid_from": date(2026, 1, 1)})
    return str(written.version.id)


def as_a(dash: Dashboard, t: Any) -> Api:
    return Api(dash, t.token_a, t.a)


async def probe_cogs(dash: Dashboard, path: str, _a: uuid.UUID, t: Any) -> None:
    await their_version(dash, t.b)
    status, body, _ = await as_a(dash, t).call("GET", f"{path}?nm_id={NM}")
    assert (status, body["data"], body["meta"]["missing_cogs_flag"]) == (200, None, True), body


async def probe_cogs_history(dash: Dashboard, path: str, _a: uuid.UUID, t: Any) -> None:
    await their_version(dash, t.b)
    status, body, _ = await as_a(dash, t).call("GET", f"{path}?nm_id={NM}&include_deleted=true")
    assert (status, body["data"], body["meta"]["total_versions"]) == (200, [], 0), body


async def probe_cogs_missing(dash: Dashboard, path: str, _a: uuid.UUID, t: Any) -> None:
    sold = dash.clock.now() - timedelta(minutes=1)
    async with PostgresUnitOfWorkFactory(dash.engine)() as uow:
        await uow.sales.upsert_many([b.sale(t.b, "S-b", sold, nm_id=NM), b.sale(t.a, "S-a", sold, nm_id=5)])
        await uow.commit()
    status, body, _ = await as_a(dash, t).call("GET", f"{path}?week={iso_week(sold)}")
    assert status == 200 and [i["nm_id"] for i in body["data"]] == ["5"], body


async def probe_cogs_bulk(dash: Dashboard, path: str, _a: uuid.UUID, t: Any) -> None:
    theirs = await their_version(dash, t.b)
    rows = [{"nm_id": NM, "unit_cost": 1, "valid_from": "2026-01-01"}]  # B's SKU and day: A's own version
    status, body, _ = await as_a(dash, t).call("POST", path, json=rows)
    assert (status, body["applied"]) == (200, 1), body
    async with PostgresUnitOfWorkFactory(dash.engine)() as uow:
        b_history = await uow.cogs.history(t.b, NM)
    assert [(str(v.id), v.unit_cost, v.is_live) for v in b_history.versions(True)] == [
        (theirs, Decimal(9), True)
    ]


async def probe_cogs_version(dash: Dashboard, path: str, _a: uuid.UUID, t: Any) -> None:
    theirs = await their_version(dash, t.b)
    for method in ("GET", "PUT", "DELETE"):
        url = path.replace("{id}", theirs)
        status, body, _ = await as_a(dash, t).call(
            method, url, json={"unit_cost": 1, "valid_from": "2026-01-01"}
        )
        assert status == 404, (method, body)
    async with PostgresUnitOfWorkFactory(dash.engine)() as uow:
        assert (await uow.cogs.find(t.b, uuid.UUID(theirs))).is_live  # type: ignore[union-attr]


COGS_PROBES = {
    "/v1/cogs": probe_cogs,
    "/v1/cogs/history": probe_cogs_history,
    "/v1/cogs/missing": probe_cogs_missing,
    "/v1/cogs/bulk": probe_cogs_bulk,
    "/v1/cogs/{id}": probe_cogs_version,
}
