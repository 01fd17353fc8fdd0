"""A week from a store's sums: `ranked_from_sums` makes only a page of SKUs, each exactly as the whole week
makes it (the charges without an article are spread over every SKU, not over the page), ranked by
revenue_gross then nm_id; and paid storage replaces the report's storage lines."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.unit_economics import Sums, WeekSums, ranked_from_sums, weekly_from_sums

WEEK = "2026-W45"
money = st.decimals(min_value=-100, max_value=5000, places=2)


@st.composite
def week_sums(draw: st.DrawFn) -> WeekSums:
    skus = {}
    for nm in draw(st.sets(st.integers(1, 40), min_size=1, max_size=25)):
        skus[nm] = Sums(
            units=draw(st.integers(-2, 9)), gross=draw(money), net=draw(money), logistics=draw(money),
            storage=draw(money), cogs=draw(money), cogs_missing=draw(st.booleans()),
        )  # fmt: skip
    pool = Sums(net=draw(money), storage=draw(money), other=draw(money), logistics=draw(money))
    paid = draw(st.none() | st.dictionaries(st.integers(1, 45), money, max_size=5))
    return WeekSums(skus, pool, paid, draw(money) if paid is not None else Decimal(0))


@given(sums=week_sums(), offset=st.integers(0, 30), limit=st.integers(1, 10))
def test_a_page_is_the_whole_weeks_ranking_sliced(sums: WeekSums, offset: int, limit: int) -> None:
    whole = weekly_from_sums(WEEK, sums)
    ranked = sorted(whole.skus, key=lambda s: (-s.components.revenue_gross, s.nm_id))
    page, total = ranked_from_sums(WEEK, sums, offset, limit)
    assert total == len(whole.skus)
    assert [s.fields() for s in page.skus] == [s.fields() for s in ranked[offset : offset + limit]]
    assert page.storage_data_source == whole.storage_data_source


def test_paid_storage_replaces_the_reports_storage_and_its_pool_is_spread() -> None:
    sums = WeekSums(
        {1: Sums(units=1, gross=Decimal(300), storage=Decimal(99)), 2: Sums(units=1, gross=Decimal(100))},
        Sums(storage=Decimal(50)),
        paid_storage={2: Decimal(10), 3: Decimal(5)},
        paid_storage_pool=Decimal(4),
    )
    skus = {s.nm_id: s for s in weekly_from_sums(WEEK, sums).skus}
    # 4.00 spread 3:1 by revenue (SKU 3 has none): 3.00 and 1.00; the report's 99 and 50 are not counted.
    assert {nm: s.components.storage_cost for nm, s in skus.items()} == {
        1: Decimal("3.00"), 2: Decimal("11.00"), 3: Decimal("5.00"),
    }  # fmt: skip
    assert str(skus[1].storage_data_source) == "paid_storage_api"
