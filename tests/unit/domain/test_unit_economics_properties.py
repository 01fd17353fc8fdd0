"""Weekly unit economics over random COGS histories and random weeks, against a brute-force oracle.

Histories are built through CogsHistory.add/delete (refused writes skipped), so they are the shapes the
COGS API can produce. The oracle costs each unit by scanning every live version for the one whose window
holds the unit's cost day (a sale's own day, a return's original sale day) and knows nothing of lookups.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cogs import CogsHistory, CogsVersion
from domain.errors import InvalidValue, NotFound
from domain.unit_economics import (
    DocType,
    ReportLine,
    WeeklyUnitEconomics,
    spread,
    summarize,
    to_kopecks,
    weekly_unit_economics,
)
from tests.unit.domain.factories import CABINET

WEEK = "2026-W04"
MONDAY = date(2026, 1, 19)
BASE = MONDAY - timedelta(days=14)  # COGS windows start up to two weeks before the week
NMS = (11, 22, 33)
AT = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date(2026, 2, 28)

cogs_ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"), st.integers(0, 21), st.one_of(st.none(), st.integers(0, 10)), st.integers(0, 500)
        ),
        st.tuples(st.just("delete"), st.integers(0, 12), st.none(), st.just(0)),
    ),
    max_size=8,
)
line_specs = st.lists(
    st.tuples(
        st.sampled_from(NMS),
        st.sampled_from([DocType.SALE, DocType.RETURN]),
        st.integers(0, 6),  # day of the week
        st.one_of(st.none(), st.integers(0, 20)),  # a return's original sale day, from BASE
        st.integers(-1, 3),  # quantity (a storno may come negative)
        st.integers(0, 500_000),  # kopecks
    ),
    max_size=25,
)


def build_history(nm_id: int, ops: list[tuple[str, int, int | None, int]]) -> CogsHistory:
    history = CogsHistory(CABINET, nm_id)
    made: list[UUID] = []
    for n, (op, start, length, cost) in enumerate(ops):
        try:
            if op == "add":
                first = BASE + timedelta(days=start)
                version = CogsVersion(
                    id=UUID(int=nm_id * 1000 + n),
                    cabinet_id=CABINET,
                    nm_id=nm_id,
                    unit_cost=Decimal(cost) / 100,
                    valid_from=first,
                    valid_to=None if length is None else first + timedelta(days=length),
                    created_at=AT + timedelta(minutes=n),
                )
                history.add(version, through=TODAY)
                made.append(version.id)
            elif made:
                history.delete(made[start % len(made)], at=AT + timedelta(minutes=n), through=TODAY)
        except (InvalidValue, NotFound):
            pass  # a write the rules refuse changes nothing
    return history


def oracle_cost(history: CogsHistory, day: date) -> Decimal | None:
    found = [
        v.unit_cost
        for v in history.versions(include_deleted=True)
        if v.deleted_at is None and v.valid_from <= day and (v.valid_to is None or day <= v.valid_to)
    ]
    assert len(found) <= 1, "live windows overlap"
    return found[0] if found else None


def make_lines(specs: list[tuple[int, DocType, int, int | None, int, int]]) -> list[ReportLine]:
    lines = []
    for rrd, (nm_id, doc, day, original, quantity, kopecks) in enumerate(specs, 1):
        lines.append(
            ReportLine(
                rrd,
                nm_id,
                doc,
                quantity,
                MONDAY + timedelta(days=day),
                retail_price_with_disc=Decimal(kopecks) / 100,
                for_pay=Decimal(kopecks) / 200,
                original_sale_date=None if original is None else BASE + timedelta(days=original),
            )
        )
    return lines


def oracle_cogs(histories: dict[int, CogsHistory], lines: list[ReportLine]) -> dict[int, Decimal | None]:
    total: dict[int, Decimal | None] = {}
    for line in lines:
        assert line.nm_id is not None
        sign = 1 if line.doc_type is DocType.SALE else -1
        day = line.sale_date
        if line.doc_type is DocType.RETURN and line.original_sale_date is not None:
            day = line.original_sale_date
        cost = oracle_cost(histories[line.nm_id], day) if line.quantity else Decimal(0)
        so_far = total.get(line.nm_id, Decimal(0))
        total[line.nm_id] = None if so_far is None or cost is None else so_far + sign * line.quantity * cost
    return {nm: None if c is None else to_kopecks(c) for nm, c in total.items()}


def compute(histories: dict[int, CogsHistory], lines: list[ReportLine]) -> WeeklyUnitEconomics:
    return weekly_unit_economics(WEEK, cogs=histories, report_lines=lines)


@settings(max_examples=300, deadline=None)
@given(st.tuples(cogs_ops, cogs_ops, cogs_ops), line_specs)
def test_weekly_cogs_is_each_units_version_on_its_day(ops: tuple, specs: list) -> None:
    histories = {nm: build_history(nm, list(o)) for nm, o in zip(NMS, ops, strict=True)}
    lines = make_lines(specs)
    result = compute(histories, lines)
    assert {sku.nm_id: sku.components.cogs for sku in result.skus} == oracle_cogs(histories, lines)
    for sku in result.skus:
        figures = sku.figures
        assert figures.missing_cogs_flag is (sku.components.cogs is None)
        if figures.missing_cogs_flag:
            assert (figures.profit, figures.net_profit, figures.roi, figures.operating_profit) == (None,) * 4


@settings(max_examples=200, deadline=None)
@given(
    line_specs,
    st.lists(
        st.tuples(
            st.sampled_from(["paid_storage", "paid_acceptance", "deduction"]), st.integers(-(10**6), 10**7)
        )
    ),
)
def test_skus_add_up_to_the_week_and_spread_costs_to_their_total(specs: list, pooled: list) -> None:
    histories = {nm: build_history(nm, [("add", 0, None, 100 * nm)]) for nm in NMS}
    lines = make_lines(specs)
    rrd = len(lines)
    for n, (field, milli) in enumerate(pooled, 1):
        extra = {field: Decimal(milli) / 1000}  # sub-kopeck amounts, as WB's rebill lines have
        lines.append(ReportLine(rrd + n, None, DocType.OTHER, 0, MONDAY, **extra))  # type: ignore[arg-type]
    result = compute(histories, lines)
    summary = summarize(result)
    rows = [sku.components for sku in result.skus]
    storage_pool = to_kopecks(sum((Decimal(m) / 1000 for f, m in pooled if f == "paid_storage"), Decimal(0)))
    other_pool = to_kopecks(sum((Decimal(m) / 1000 for f, m in pooled if f != "paid_storage"), Decimal(0)))
    allocated = summary.components if rows else summary.unallocated
    assert (allocated.storage_cost, allocated.other_costs) == (storage_pool, other_pool)
    assert summary.components.revenue_gross == sum((c.revenue_gross for c in rows), Decimal(0))
    assert summary.components.total_units == sum(c.total_units for c in rows)
    assert summary.figures.net_profit == sum((s.figures.net_profit or 0 for s in result.skus), Decimal(0))
    assert summary.figures.profit == sum((s.figures.profit or 0 for s in result.skus), Decimal(0))
    assert summary.figures.total_expenses == sum((s.figures.total_expenses for s in result.skus), Decimal(0))


@given(
    st.integers(-(10**9), 10**9),
    st.dictionaries(st.integers(1, 50), st.integers(0, 10**8), min_size=1).filter(lambda w: any(w.values())),
)
def test_a_spread_adds_up_exactly_and_no_part_is_off_by_a_kopeck_or_more(total: int, weights: dict) -> None:
    amount = Decimal(total) / 1000
    parts = spread(amount, {k: Decimal(w) / 100 for k, w in weights.items()})
    assert sum(parts.values(), Decimal(0)) == to_kopecks(amount)
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        exact = to_kopecks(amount) * weights[key] / weight_sum
        assert abs(part - exact) < Decimal("0.01")
