"""Money, reviews and stock as the seller's WB cabinet has them, against the simulator over loopback:
orders from abroad stored in the roubles WB converted them to; every archived review stored and each new
one told once; a stock row that vanished from WB's answer kept at zero and its sold-out SKU told critical."""

import asyncio
from collections import Counter
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from aiohttp.test_utils import TestClient

from domain.events import EventType
from tests.integration.sync_harness import (
    STATS_INTERVAL_S,
    Seller,
    connect,
    container_fixture,  # noqa: F401 - fixture container
    new_seller,
    sim_fixture,  # noqa: F401 - fixture sim
    sync_until_clean,
)


async def rows(container: Any, sql: str, cabinet_id: Any) -> list[Any]:
    engine = await container.gateways.engine()
    async with engine.connect() as conn:
        return list(await conn.execute(sa.text(sql), {"c": cabinet_id}))


async def detail(seller: Seller) -> dict[str, Any]:
    return await seller._call("GET", "/truth?detail=ids")


async def events(container: Any, cabinet_id: Any, kind: EventType) -> list[Any]:
    async with (await container.gateways.unit_of_work_factory())() as uow:
        stored = await uow.events.list_for_cabinet(cabinet_id)
    return [e.event for e in stored if e.event.type is kind]


async def steps(container: Any, seller: Seller, cabinet_id: Any, advances: list[dict[str, int]]) -> None:
    for delta in advances:
        await seller._call("POST", "/advance", delta)
        await asyncio.sleep(STATS_INTERVAL_S)
        await sync_until_clean(container, cabinet_id)


async def test_orders_from_abroad_are_stored_in_the_roubles_wb_converted_them_to(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim, fbw_share=0)
    cabinet = await connect(container, seller.key)
    await sync_until_clean(container, cabinet.id)
    truth = await detail(seller)
    stored = await rows(
        container,
        "SELECT order_id, price, sale_price, currency_code, buyer_price, buyer_sale_price FROM orders"
        " WHERE cabinet_id = :c",
        cabinet.id,
    )
    assert sum(r.price for r in stored) == Decimal(truth["fbs_orders"]["price_sum"])
    foreign = {str(r.order_id): r for r in stored if r.currency_code != 643}
    expected = truth["ids"]["foreign_orders"]
    assert set(foreign) == set(expected) and len(foreign) == truth["fbs_orders"]["foreign"] > 0
    assert dict(Counter(str(r.currency_code or 643) for r in stored)) == truth["fbs_orders"]["by_currency"]
    for order_id, fact in expected.items():
        got = foreign[order_id]
        assert (got.price, got.currency_code, got.buyer_price) == (
            Decimal(fact["convertedPrice"]), fact["currencyCode"], Decimal(fact["price"]) / 100,
        )  # fmt: skip
        if got.sale_price is not None:  # only /api/v3/orders/new carries salePrice
            assert got.buyer_sale_price == Decimal(fact["salePrice"]) / 100
            # converted at the order's own rate: exact to one minor unit of the buyer's currency
            unit = Decimal(fact["convertedPrice"]) / Decimal(fact["price"])
            assert abs(got.sale_price - Decimal(fact["salePriceRub"])) <= unit + Decimal("0.01")


async def test_every_archived_review_is_stored_and_each_new_one_is_told_once(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await sync_until_clean(container, cabinet.id)
    assert await events(container, cabinet.id, EventType.NEGATIVE_REVIEW) == []  # the backfill is not news
    started = {f["id"] for f in (await detail(seller))["ids"]["reviews"]}
    await steps(container, seller, cabinet.id, [{"hours": 9}, {"days": 1}, {"hours": 20}, {"days": 2}])

    facts = {f["id"]: f for f in (await detail(seller))["ids"]["reviews"]}
    stored = {r.review_id: r for r in await rows(
        container, "SELECT review_id, parent_review_id, child_review_id FROM reviews WHERE cabinet_id = :c",
        cabinet.id,
    )}  # fmt: skip
    assert set(stored) == set(facts)  # every review, archived ones included
    assert any(f["archive"] for i, f in facts.items() if i not in started)
    for i, f in facts.items():
        assert (stored[i].parent_review_id, stored[i].child_review_id) == (f["parent"], f["child"])

    told = Counter(e.subject for e in await events(container, cabinet.id, EventType.NEGATIVE_REVIEW))
    assert set(told) <= set(facts) - started and max(told.values()) == 1
    new = {i for i in facts if i not in started}
    plain = {i for i in new if not facts[i]["parent"] and not facts[i]["child"]}
    assert plain and plain <= set(told)  # every new review that was never edited, once
    silent_archived = {i for i in plain if facts[i]["archive"]}
    assert silent_archived <= set(told)

    def chain(i: str) -> str:
        while facts[i]["parent"] in facts:
            i = facts[i]["parent"]
        return i

    lowered = Counter(
        chain(i)
        for i in told
        if facts[i]["parent"] and facts[i]["rating"] < facts[facts[i]["parent"]]["rating"]
    )
    per_chain = Counter(chain(i) for i in told)
    assert all(n <= 1 + lowered[c] for c, n in per_chain.items())  # an edit is news only when it lowers


async def test_a_stock_row_that_vanished_from_wbs_answer_is_stored_at_zero_and_told_critical(
    sim: TestClient, container: Any
) -> None:
    seller = await new_seller(sim)
    cabinet = await connect(container, seller.key)
    await sync_until_clean(container, cabinet.id)
    before = {(r.nm_id, r.chrt_id, r.warehouse_id) for r in await rows(
        container, "SELECT nm_id, chrt_id, warehouse_id FROM stocks WHERE cabinet_id = :c AND quantity > 0",
        cabinet.id,
    )}  # fmt: skip
    out_at_first = {r.nm_id for r in await rows(
        container, "SELECT nm_id FROM stocks WHERE cabinet_id = :c GROUP BY nm_id HAVING sum(quantity) = 0",
        cabinet.id,
    )}  # fmt: skip
    vanished: set[tuple[int, int, int]] = set()
    for _ in range(6):
        await steps(container, seller, cabinet.id, [{"days": 1}])
        sold_out = {tuple(k) for k in (await detail(seller))["ids"]["sold_out_stock"]}
        vanished = before & sold_out
        if vanished:
            break
    assert vanished, "no stocked row sold out in six days"
    stored = {(r.nm_id, r.chrt_id, r.warehouse_id): r for r in await rows(
        container,
        "SELECT nm_id, chrt_id, warehouse_id, quantity, in_way_to_client FROM stocks WHERE cabinet_id = :c",
        cabinet.id,
    )}  # fmt: skip
    assert all(stored[k].quantity == 0 and stored[k].in_way_to_client == 0 for k in vanished)
    totals: Counter[int] = Counter()
    for (nm_id, _, _), r in stored.items():
        totals[nm_id] += r.quantity
    sold_out_told = [e.payload for e in await events(container, cabinet.id, EventType.CRITICAL_STOCK)
                     if e.payload["level"] == 0]  # fmt: skip
    out = {nm for nm, q in totals.items() if q == 0}
    assert out & {k[0] for k in vanished} or any(totals[k[0]] > 0 for k in vanished)
    # Every SKU that ran out since the first sync is told (what the first snapshot found is its baseline).
    assert out - out_at_first <= {p["nm_id"] for p in sold_out_told}
    assert all(p["quantity"] == 0 and p["days_left"] == "0.00" for p in sold_out_told)
