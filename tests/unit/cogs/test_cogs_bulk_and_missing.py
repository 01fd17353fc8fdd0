"""Bulk COGS (all or nothing, every refused row named) and the week's sales without a cost, in memory."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from application.cogs.bulk import BulkRejected, RowError
from domain.errors import InvalidValue
from domain.money import Money
from tests.unit.cogs.support import Cogs, cost, day, memory_cogs
from tests.unit.use_cases import builders as b


async def live(c: Cogs, nm_id: int) -> list[tuple[str, object, object]]:
    page = await c.history(c.cabinet, nm_id, limit=500)
    return [(str(v.unit_cost), v.valid_from, v.valid_to) for v in reversed(page.items)]


async def test_valid_rows_are_applied_together_in_their_order() -> None:
    c = await memory_cogs()
    await c.create(c.cabinet, cost(1, "50", day(1)))
    rows = [
        cost(1, "60", day(10)),
        cost(2, "70", day(5), day(9)),
        cost(2, "80", day(10)),
        cost(1, "65", day(20)),
    ]
    done = await c.bulk(c.cabinet, rows)
    assert [str(v.unit_cost) for v in done.created] == ["60", "70", "80", "65"]
    assert await live(c, 1) == [("50", day(1), day(9)), ("60", day(10), day(19)), ("65", day(20), None)]
    assert await live(c, 2) == [("70", day(5), day(9)), ("80", day(10), None)]
    assert done.affected_weeks[0] == "2026-W02" and done.affected_weeks[-1] == "2026-W06"
    assert await c.version_number() == 2  # the create, then the whole bulk once


async def test_one_bad_row_applies_nothing_and_every_bad_row_is_named() -> None:
    c = await memory_cogs()
    await c.create(c.cabinet, cost(1, "50", day(10)))
    rows = [
        cost(1, "60", day(20)),  # fine
        cost(2, "-5", "2026-13-01", currency="USD"),  # three problems in one row
        cost(1, "40", day(1), day(12)),  # reaches into the version from the 10th
        cost(3, "1", day(1)),  # fine
        cost(1, "61", day(20)),  # the same SKU and day as row 1
    ]
    with pytest.raises(BulkRejected) as refused:
        await c.bulk(c.cabinet, rows)
    assert [(e.row, e.field) for e in refused.value.errors] == [
        (2, "currency"), (2, "unit_cost"), (2, "valid_from"), (3, "valid_to"), (5, "valid_from"),
    ]  # fmt: skip
    assert "3 of 5 rows" in str(refused.value)
    assert await live(c, 1) == [("50", day(10), None)] and await live(c, 3) == []
    assert await c.version_number() == 1


async def test_csv_text_with_a_decimal_comma_and_blank_optional_cells() -> None:
    c = await memory_cogs()
    rows = [
        {"nm_id": "5", "unit_cost": "1500,50", "currency": "", "valid_from": "2026-01-01", "valid_to": ""},
        {
            "nm_id": " 6 ",
            "unit_cost": "7",
            "currency": "RUB",
            "valid_from": "2026-01-02",
            "valid_to": "2026-01-31",
        },
    ]
    done = await c.bulk(c.cabinet, rows, decimal_comma=True)
    assert [(v.nm_id, v.unit_cost, v.valid_to) for v in done.created] == [
        (5, Decimal("1500.50"), None), (6, Decimal(7), day(31)),
    ]  # fmt: skip
    with pytest.raises(BulkRejected) as refused:  # without the decimal comma, "1500,50" is no number
        await c.bulk(c.cabinet, rows[:1])
    assert refused.value.errors == (RowError(1, "unit_cost", refused.value.errors[0].reason),)


async def test_no_rows_or_too_many_are_refused() -> None:
    c = await memory_cogs()
    with pytest.raises(InvalidValue, match="rows"):
        await c.bulk(c.cabinet, [])
    with pytest.raises(InvalidValue, match="rows"):
        await c.bulk(c.cabinet, [cost(1, "1", day(1))] * 10_001)


def msk(d: int, hour: int) -> datetime:
    return datetime(2026, 1, 1, hour, tzinfo=UTC) + timedelta(days=d - 1) - timedelta(hours=3)


async def test_missing_lists_sales_of_the_week_on_days_without_a_cost() -> None:
    """Week 2026-W03 is Monday 12 .. Sunday 18 January (Moscow)."""
    c = await memory_cogs()
    await c.create(c.cabinet, cost(1, "10", day(15)))  # SKU 1 costed from Thursday
    await c.create(c.cabinet, cost(3, "10", day(1)))  # SKU 3 costed all week
    price = {"price_with_disc": Money(Decimal("100.50"))}
    sales = [
        b.sale(c.cabinet, "S1", msk(14, 12), nm_id=1, **price),  # uncosted Wednesday
        b.sale(c.cabinet, "S2", msk(15, 0), nm_id=1, **price),  # 00:00 Moscow Thursday: costed
        b.sale(c.cabinet, "S3", msk(12, 0), nm_id=2, supplier_article="old", **price),  # never costed
        b.sale(c.cabinet, "S4", msk(18, 23), nm_id=2, supplier_article="new", **price),
        b.sale(c.cabinet, "S5", msk(19, 0), nm_id=2, **price),  # Monday of the next week
        b.sale(c.cabinet, "S6", msk(11, 23), nm_id=2, **price),  # Sunday of the week before
        b.sale(c.cabinet, "R7", msk(13, 12), nm_id=2, **price),  # a return is no sale
        b.sale(c.cabinet, "S8", msk(13, 12), nm_id=3, **price),
    ]
    async with c.uow() as unit:
        await unit.sales.upsert_many(sales)
        await unit.commit()
    week = await c.missing(c.cabinet, "2026-W03")
    assert (week.from_day, week.to_day) == (day(12), day(18))
    assert [(i.nm_id, i.sa_name, i.units, i.revenue) for i in week.items] == [
        (2, "new", 2, Decimal("201.00")), (1, "A", 1, Decimal("100.50")),
    ]  # fmt: skip
    with pytest.raises(InvalidValue, match="week"):
        await c.missing(c.cabinet, "2026-W54")
