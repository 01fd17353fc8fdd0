"""The weekly by-SKU report of a simulator cabinet equals an independent computation over the simulator's
ground truth (issue 11): the simulator sums its own weekly report per nmId (`truth?detail=week`, straight
from the lines it makes, storno and corrections included) and its paid storage per nmId; this test spreads
the charges without an nmId by its own largest-remainder rule, costs the units with the COGS it stored
(two articles in three have a cost; the rest must come back missing, with nulls), and compares every SKU's
figures with what `GET /v1/analytics/weekly/by-sku` answers after a real sync over loopback HTTP."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from aiohttp.test_utils import TestClient

from adapters.outbound.jwt_tokens import JwtAccessTokens
from adapters.outbound.postgres.tables import cogs_versions
from bootstrap.app import create_app
from domain.moscow_time import iso_week, moscow_day, parse_iso_week
from tests.integration.sync_harness import (
    connect,
    container_fixture,  # noqa: F401 - fixture container
    errors,
    new_seller,
    sim_fixture,  # noqa: F401 - fixture sim
)

Kop = int


def spread(total: Kop, weights: dict[int, Kop]) -> dict[int, Kop]:
    """Largest remainder in whole kopecks (ties: the smaller nm_id), the sign kept apart."""
    if not weights:
        return {}
    if not any(weights.values()):
        weights = dict.fromkeys(weights, 1)
    sign, whole, total_w = (-1 if total < 0 else 1), abs(total), sum(weights.values())
    parts = {nm: whole * w // total_w for nm, w in weights.items()}
    rest = {nm: whole * w % total_w for nm, w in weights.items()}
    for nm in sorted(rest, key=lambda k: (-rest[k], k))[: whole - sum(parts.values())]:
        parts[nm] += 1
    return {nm: sign * p for nm, p in parts.items()}


def expected(truth: dict[str, Any], costs: dict[int, Decimal]) -> dict[str, dict[str, Any]]:
    skus = {int(k): v for k, v in truth["skus"].items() if k != "pool"}
    for nm in truth["paid_storage"]:
        skus.setdefault(int(nm), {})
    pool = truth["skus"].get("pool", {})
    weights = {nm: max(s.get("gross", 0), 0) for nm, s in skus.items()}
    shares = {f: spread(pool.get(f, 0), weights) for f in ("net", "logistics", "penalties", "other")}
    out = {}
    for nm, s in skus.items():
        units = s.get("units", 0)
        cost = costs.get(nm)
        goods = s.get("goods_lines", 0) > 0
        cogs = None if cost is None and goods else (cost or Decimal(0)) * units
        rub = {f: Decimal(s.get(k, 0) + shares[k][nm]) / 100 for f, k in
               (("revenue_net", "net"), ("logistics_cost", "logistics"), ("penalties", "penalties"),
                ("other_costs", "other"))}  # fmt: skip
        out[str(nm)] = {
            "total_units": units,
            "revenue_gross": Decimal(s.get("gross", 0)) / 100,
            **rub,
            "storage_cost": Decimal(truth["paid_storage"].get(str(nm), 0)) / 100,
            "cogs": cogs,
            "missing_cogs_flag": cogs is None,
        }
    return out


async def test_a_synced_week_by_sku_equals_the_simulators_truth(
    sim: TestClient, container: Any, aiohttp_client: Any
) -> None:
    seller = await new_seller(sim, days=21)
    cabinet = await connect(container, seller.key)
    result = await (await container.use_cases.sync_cabinet())(cabinet.id)
    assert errors(result) == []
    week = iso_week(moscow_day(datetime.now(UTC)) - timedelta(days=7))
    monday, _ = parse_iso_week(week)
    resp = await seller.control.get(f"/__sim/sellers/{seller.sid}/truth?detail=week&monday={monday}")
    truth = await resp.json()
    assert truth["lines"] > 0, truth

    engine = await container.gateways.engine()
    nms = sorted(int(k) for k in truth["skus"] if k != "pool")
    costs = {nm: Decimal(100 + nm % 7 * 50) for i, nm in enumerate(nms) if i % 3}
    async with engine.begin() as conn:
        await conn.execute(sa.insert(cogs_versions), [
            {"id": uuid.uuid4(), "cabinet_id": cabinet.id, "nm_id": nm, "unit_cost": cost, "currency": "RUB",
             "valid_from": date(2020, 1, 1), "created_at": datetime.now(UTC)} for nm, cost in costs.items()
        ])  # fmt: skip
        member = sa.text("SELECT user_id FROM memberships WHERE cabinet_id = :c")
        user = await conn.scalar(member, {"c": cabinet.id})
    token = JwtAccessTokens("j" * 32).issue(int(user), datetime.now(UTC)).token
    client = await aiohttp_client(create_app(container))
    headers = {"Authorization": f"Bearer {token}", "X-Cabinet-Id": str(cabinet.id)}
    answer = await client.get(f"/v1/analytics/weekly/by-sku?week={week}&limit=1000", headers=headers)
    assert answer.status == 200, await answer.text()
    body = await answer.json()
    assert body["week"]["provisional"] is False
    want = expected(truth, costs)
    got = {r["nm_id"]: r for r in body["data"]}
    assert set(got) == set(want)
    fields = ("total_units", "revenue_gross", "revenue_net", "logistics_cost", "penalties", "other_costs",
              "storage_cost", "cogs", "missing_cogs_flag")  # fmt: skip
    for nm, w in want.items():
        g = got[nm]
        exact = ("total_units", "missing_cogs_flag")
        mine = {f: g[f] if f in exact or g[f] is None else Decimal(str(g[f])) for f in fields}
        assert mine == w, (nm, mine, w)
        assert all(g[f] is None for f in ("profit", "net_profit", "roi")) == w["missing_cogs_flag"]
    flags = [w["missing_cogs_flag"] for w in want.values()]
    assert any(flags) and not all(flags)
