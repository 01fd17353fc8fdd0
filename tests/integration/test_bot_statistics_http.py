"""The bot's order and sales routes on the real app and Postgres: who may see what, errors that name the bad
parameter, and the shapes the bot reads (amounts in roubles as numbers, percentages with one decimal)."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.test_openapi_conformance import (
    client,  # noqa: F401 - fixture
    member_telegram_id,
    stored_cabinet,
)

BOT = {"X-API-SECRET-KEY": "CnWvwoDwwGKh"}
ORDERS = "/api/v1/bot/orders/statistics"


async def ask(app: TestClient, path: str, expected: int, **query: object) -> Any:
    resp = await app.get(path, params={k: str(v) for k, v in query.items()}, headers=BOT)
    assert resp.status == expected, await resp.text()
    return await resp.json()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-02-10", "date_to": "2026-02-09"}, "date_to"),
        ({"date_from": "31.01.2026"}, "query.date_from"),
        ({"cabinet_id": "not-a-uuid"}, "query.cabinet_id"),
        ({"telegram_id": "-5"}, "query.telegram_id"),
        ({"telegram_id": None}, "telegram_id"),  # neither id
        ({"user_id": "1"}, "telegram_id"),  # both ids
    ],
)
async def test_bad_input_is_a_400_naming_the_parameter(
    client: TestClient,  # noqa: F811 - fixture
    pg_engine: AsyncEngine,
    query: dict[str, Any],
    field: str,
) -> None:
    tg = member_telegram_id(await stored_cabinet(pg_engine))
    params = {k: v for k, v in {"telegram_id": tg, **query}.items() if v is not None}
    body = await ask(client, ORDERS, 400, **params)
    assert field in [d["field"] for d in body["error"]["details"]], body


async def test_a_cabinet_of_another_seller_is_403_and_an_unknown_one_404(
    client: TestClient,  # noqa: F811 - fixture
    pg_engine: AsyncEngine,
) -> None:
    mine, theirs = await stored_cabinet(pg_engine), await stored_cabinet(pg_engine)
    tg = member_telegram_id(mine)
    assert (await ask(client, ORDERS, 403, telegram_id=tg, cabinet_id=theirs))["error"][
        "code"
    ] == "not_a_member"
    assert (await ask(client, "/api/v1/bot/sales/recent", 404, telegram_id=tg + 1))["error"][
        "code"
    ] == "not_found"


async def test_amounts_are_roubles_and_percentages_one_decimal(
    client: TestClient,  # noqa: F811 - fixture
    pg_engine: AsyncEngine,
) -> None:
    tg = member_telegram_id(await stored_cabinet(pg_engine))
    data = (await ask(client, ORDERS, 200, telegram_id=tg))["data"]
    assert data["orders"] == {
        "total_orders": 2, "active_orders": 1, "canceled_orders": 1,
        "active_percentage": 50.0, "canceled_percentage": 50.0,
    }  # fmt: skip
    assert data["sales"] == {
        "total_sales": 2, "buyouts": 1, "returns": 1, "buyout_rate": 50.0,
        "total_amount": 0.0, "buyouts_amount": 900.5, "returns_amount": 900.5,
    }  # fmt: skip
    orders = await ask(client, "/api/v1/bot/orders/recent", 200, telegram_id=tg, status="active")
    assert [(o["id"], o["amount"], o["product"], o["status"]) for o in orders["orders"]] == [
        ("srid-1", 900.5, "Платья <мини>", "active")
    ]
    assert "Платья &lt;мини&gt;" in orders["telegram_text"]
    returns = await ask(client, "/api/v1/bot/sales/returns", 200, telegram_id=tg)
    assert [(s["sale_id"], s["type"], s["srid"]) for s in returns["sales"]] == [("R1", "return", "srid-1")]
