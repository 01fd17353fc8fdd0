"""Tenancy (OWASP API1, broken object-level authorization): for every `/v1` route behind X-Cabinet-Id, a
member of cabinet A gets nothing of cabinet B — a 403 asking with B's id, and none of B's rows asking with
A's. A data route added without a probe here fails `test_every_cabinet_route_has_a_probe`."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import jwt
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.inbound.http.dashboard_guards import CABINET
from adapters.inbound.http.routes.dashboard import TABLE
from adapters.inbound.http.routing import openapi_path
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from domain.money import Money
from domain.moscow_time import moscow_day
from domain.order_status import SupplierStatus as S
from domain.order_status import WbStatus as W
from domain.orders import StatusChange
from domain.stat_orders import FBW_WAREHOUSE_TYPE
from tests.integration.test_cogs_api import COGS_PROBES
from tests.integration.test_dashboard_auth_http import Dashboard, d, forged  # noqa: F401 - fixture d
from tests.integration.test_weekly_by_sku import probe_weekly_by_sku
from tests.unit.use_cases import builders as b

Probe = Callable[[Dashboard, str, uuid.UUID, "Tenants"], Awaitable[None]]


class Tenants:
    """Two sellers, each owning a cabinet with FBS orders and an FBW order of their own."""

    a: uuid.UUID
    b: uuid.UUID
    token_a: str
    orders: dict[uuid.UUID, set[str]]


async def tenants(dash: Dashboard, engine: AsyncEngine) -> Tenants:
    t = Tenants()
    telegram_a, t.a = await dash.seller("A")
    _, t.b = await dash.seller("B")
    t.token_a = (await dash.sign_in(telegram_a))["access_token"]
    t.orders = {}
    now = datetime.now(UTC) - timedelta(hours=1)
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        for n, cabinet in enumerate((t.a, t.b)):
            ids = [1000 * (n + 1) + i for i in range(3 + 2 * n)]  # A: 3 FBS orders, B: 5
            await uow.orders.upsert_many(
                [b.order(cabinet, i, now, rid=f"rid-{i}", price=Money(Decimal(100 + i))) for i in ids]
            )
            fbw = f"fbw-{n}"
            await uow.stat_orders.upsert_many(
                [b.stat_order(cabinet, fbw, now, date=now, warehouse_type=FBW_WAREHOUSE_TYPE)]
            )
            t.orders[cabinet] = {str(i) for i in ids} | {fbw}
            # A's first order handed over after 10 minutes, B's after 20; B holds stock of A's first article.
            handed = now + timedelta(minutes=10 * (n + 1))
            await uow.orders.add_history(
                cabinet, [StatusChange(ids[0], S.NEW, W.WAITING, S.COMPLETE, None, handed)]
            )
            if cabinet == t.b:
                await uow.stocks.apply_snapshot(cabinet, [b.stock(cabinet, 1100, 7)], now)
            await uow.rollups.rebuild(cabinet)
        await uow.commit()
    return t


async def probe_orders(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    for query in ("", "?delivery=all", "?delivery=fbw", "?sort_by=price&sort_order=asc&limit=1000"):
        status, body = await dash.get(path + query, t.token_a, **{"X-Cabinet-Id": str(t.a)})
        assert status == 200, body
        seen = {item["orderId"] for item in body["items"]}
        assert seen and seen <= t.orders[t.a], (query, seen)


async def probe_order(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    for theirs in sorted(t.orders[t.b]):
        status, body = await dash.get(
            path.replace("{orderId}", theirs), t.token_a, **{"X-Cabinet-Id": str(t.a)}
        )
        assert status == 404, (theirs, body)
    mine = sorted(t.orders[t.a])[0]
    status, body = await dash.get(path.replace("{orderId}", mine), t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and body["orderId"] == mine


def moscow_today() -> date:
    return moscow_day(datetime.now(UTC))


def today() -> str:
    return moscow_today().isoformat()


async def probe_volume(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    week = f"from={(moscow_today() - timedelta(days=7)).isoformat()}&to={today()}"
    status, body = await dash.get(f"{path}?{week}&delivery=all", t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and body["totalOrders"] == len(t.orders[t.a]), body


async def probe_trends(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    week = f"from={(moscow_today() - timedelta(days=7)).isoformat()}&to={today()}"
    status, body = await dash.get(f"{path}?{week}&delivery=all", t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and body["summary"]["totalOrders"] == len(t.orders[t.a]), body


async def probe_compare(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    day = moscow_today()
    week, before, older = day - timedelta(days=7), day - timedelta(days=8), day - timedelta(days=30)
    periods = f"period1_from={week}&period1_to={day}&period2_from={older}&period2_to={before}"
    status, body = await dash.get(f"{path}?{periods}&delivery=all", t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and body["period1"]["ordersCount"] == len(t.orders[t.a]), body
    assert body["comparison"]["ordersChange"] == len(t.orders[t.a])


async def probe_seasonal(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    status, body = await dash.get(f"{path}?months=2&delivery=all", t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200, body
    # Two different calendar months, each once: their averages are their totals.
    assert sum(m["avgOrders"] for m in body["patterns"]["monthly"]) == len(t.orders[t.a]), body


async def probe_velocity(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    status, body = await dash.get(f"{path}?delivery=all", t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and sum(i["ordersCount"] for i in body["items"]) == len(t.orders[t.a]), body
    status, body = await dash.get(path, t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and {i["nmId"] for i in body["items"]} == {1100, 1101, 1102}, body
    assert all(i["currentStock"] is None for i in body["items"]), body  # B's stock of 1100 is not A's


async def probe_sla(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    status, body = await dash.get(path, t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200, body
    assert (body["counts"]["orders"], body["counts"]["handedOver"]) == (3, 1), body
    assert body["timeToHandOver"] == {"p50": 600, "p90": 600, "p95": 600}, body  # B's took 1200 s


async def probe_cabinet(dash: Dashboard, path: str, _: uuid.UUID, t: Tenants) -> None:
    status, body = await dash.get(path, t.token_a, **{"X-Cabinet-Id": str(t.a)})
    assert status == 200 and (body["id"], body["name"]) == (str(t.a), "A"), body
    me = (await dash.get("/v1/me", t.token_a))[1]
    assert body["members"] == [{"telegramId": me["telegramId"], "username": "seller", "role": "owner"}], body
    assert (body["storedRows"]["orders"], body["storedRows"]["stocks"]) == (3, 0), body  # B has 5 and a stock


PROBES: dict[str, Probe] = {
    "/v1/cabinet": probe_cabinet,
    "/v1/analytics/orders/velocity": probe_velocity,
    "/v1/analytics/orders/sla": probe_sla,
    "/v1/analytics/orders/volume": probe_volume,
    "/v1/analytics/orders/trends": probe_trends,
    "/v1/analytics/orders/compare": probe_compare,
    "/v1/analytics/orders/seasonal": probe_seasonal,
    "/v1/orders": probe_orders,
    "/v1/orders/{orderId}": probe_order,
    **COGS_PROBES,
    "/v1/analytics/weekly/by-sku": probe_weekly_by_sku,
}
# (method, path as the document writes it) of every CABINET route; each is asked with its own method.
CABINET_ROUTES = [(r.method, openapi_path(TABLE.full_path(r))) for r in TABLE.routes if r.guard is CABINET]
FIRST_METHOD = {path: method for method, path in reversed(CABINET_ROUTES)}


def test_every_cabinet_route_has_a_probe() -> None:
    assert {path for _, path in CABINET_ROUTES} == set(PROBES)


@pytest.mark.parametrize(("method", "path"), CABINET_ROUTES)
async def test_a_member_of_a_gets_nothing_of_b(
    d: Dashboard,  # noqa: F811 - fixture
    pg_engine: AsyncEngine,
    method: str,
    path: str,
) -> None:
    t = await tenants(d, pg_engine)
    concrete = path.replace("{orderId}", sorted(t.orders[t.b])[0]).replace("{id}", str(uuid.uuid4()))
    status, body = await d.call(method, concrete, t.token_a, **{"X-Cabinet-Id": str(t.b)})
    assert status == 403, body
    if FIRST_METHOD[path] == method:  # a path's probe reads and writes as it needs, once
        await PROBES[path](d, path, t.a, t)


@pytest.mark.parametrize(("method", "path"), CABINET_ROUTES)
async def test_every_cabinet_route_refuses_bad_tokens_and_a_missing_cabinet(
    d: Dashboard,  # noqa: F811 - fixture
    pg_engine: AsyncEngine,
    method: str,
    path: str,
) -> None:
    """401 for no token, a wrong signature, `alg: none`, a wrong audience or issuer, an expired token; 400
    without X-Cabinet-Id — on every route, before any data is read."""
    t = await tenants(d, pg_engine)
    concrete = path.replace("{orderId}", sorted(t.orders[t.a])[0]).replace("{id}", str(uuid.uuid4()))
    claims = jwt.decode(t.token_a, options={"verify_signature": False})
    refused = {
        "no token": None,
        "wrong signature": forged(t.token_a, key="another-secret-of-32-characters!"),
        "alg none": jwt.encode(claims, "", algorithm="none"),
        "wrong audience": forged(t.token_a, aud="wb-pulse-bot"),
        "wrong issuer": forged(t.token_a, iss="evil"),
        "expired": forged(t.token_a, exp=claims["iat"] - 1),
    }
    for case, bad in refused.items():
        status, body = await d.call(method, concrete, bad, **{"X-Cabinet-Id": str(t.a)})
        assert status == 401 and body["error"]["code"], (case, body)
    status, body = await d.call(method, concrete, t.token_a)
    assert status == 400 and "X-Cabinet-Id" in str(body), body
