"""Weekly unit economics by SKU, by hand-computed example (docs/metrics.md, "Weekly unit economics").

Week 2026-W04 is Monday 19 .. Sunday 25 January 2026. SKU A costs 100 until the 21st and 120 from the 22nd;
SKU C costs 50; SKU B has no cost. The property tests are in test_unit_economics_properties.py.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.cogs import CogsHistory, CogsVersion, MissingCogs
from domain.errors import InvalidValue
from domain.money import Money
from domain.sales import SaleKind
from domain.unit_economics import (
    Components,
    DocType,
    Figures,
    ProductInfo,
    ReportLine,
    RevenueSource,
    StorageDataSource,
    StorageDay,
    WeeklyUnitEconomics,
    WeekSale,
    missing_cogs,
    spread,
    summarize,
    week_days,
    weekly_unit_economics,
    weights_by_revenue,
)
from tests.unit.domain.factories import CABINET, make_sale

WEEK = "2026-W04"
A, B, C = 111, 222, 333
AT = datetime(2026, 1, 1, tzinfo=UTC)
D = Decimal


def d(day: int, month: int = 1) -> date:
    return date(2026, month, day)


def history(nm_id: int, *costs: tuple[date, str], currency: str = "RUB") -> CogsHistory:
    h = CogsHistory(CABINET, nm_id)
    for n, (start, cost) in enumerate(costs, 1):
        version = CogsVersion(
            id=UUID(int=nm_id * 100 + n),
            cabinet_id=CABINET,
            nm_id=nm_id,
            unit_cost=D(cost),
            valid_from=start,
            created_at=AT + timedelta(minutes=n),
            currency=currency,
        )
        h.add(version, through=d(31))
    return h


COGS = {A: history(A, (d(1), "100"), (d(22), "120")), C: history(C, (d(1), "50"))}
_rrd = iter(range(1, 10_000))


def line(
    nm_id: int | None,
    doc: DocType,
    day: int,
    quantity: int = 0,
    *,
    srid: str = "",
    oper_name: str = "",
    original_sale_date: date | None = None,
    **money: str,
) -> ReportLine:
    amounts = {name: D(value) for name, value in money.items()}
    return ReportLine(
        next(_rrd), nm_id, doc, quantity, d(day), oper_name, srid,
        original_sale_date=original_sale_date, **amounts,
    )  # fmt: skip


def sale(nm_id: int, day: int, price: str, for_pay: str, srid: str = "", **kw: date) -> ReportLine:
    return line(nm_id, DocType.SALE, day, 1, retail_price_with_disc=price, for_pay=for_pay, srid=srid, **kw)  # type: ignore[arg-type]


def ret(nm_id: int, day: int, price: str, for_pay: str, srid: str = "", **kw: date) -> ReportLine:
    return line(nm_id, DocType.RETURN, day, 1, retail_price_with_disc=price, for_pay=for_pay, srid=srid, **kw)  # type: ignore[arg-type]


def by_nm(result: WeeklyUnitEconomics) -> dict[int, dict[str, object]]:
    return {sku.nm_id: sku.fields() for sku in result.skus}


def report_week(lines: list[ReportLine], **kw: object) -> WeeklyUnitEconomics:
    return weekly_unit_economics(WEEK, cogs=COGS, report_lines=lines, **kw)  # type: ignore[arg-type]


MAIN = [
    sale(A, 20, "1000.00", "800.00", srid="o1"),  # costed at 100
    line(A, DocType.OTHER, 20, delivery_service="60.00", oper_name="Логистика"),
    sale(A, 23, "1000.00", "800.00", srid="o2"),  # costed at 120 (the version changed on the 22nd)
    ret(A, 24, "1000.00", "800.00", srid="o1"),  # reverses o1: its sale's day, so 100
    line(A, DocType.OTHER, 24, delivery_service="40.00"),
    sale(A, 25, "1100.00", "880.00", srid="o3"),  # 120
    line(A, DocType.OTHER, 25, penalty="10.00"),
    sale(C, 21, "500.00", "400.00", srid="o4"),  # 50
    line(C, DocType.OTHER, 21, delivery_service="30.00"),
    line(None, DocType.OTHER, 22, paid_storage="30.00"),  # spread 2100 : 500
    line(None, DocType.OTHER, 22, paid_acceptance="16.00", deduction="5.00"),
]


def test_every_formula_on_a_week_with_a_return_a_cost_change_and_spread_costs() -> None:
    products = {A: ProductInfo("ll-20-bl", "Dianora", "Кошельки")}
    result = report_week(MAIN, products=products)
    rows = by_nm(result)
    assert rows[A] == {
        "nm_id": A, "sa_name": "ll-20-bl", "brand": "Dianora", "category": "Кошельки",
        "total_units": 2,  # 1 + 1 − 1 + 1
        "revenue_gross": D("2100.00"),  # 1000 + 1000 − 1000 + 1100
        "revenue_net": D("1680.00"),  # 800 + 800 − 800 + 880
        "logistics_cost": D("100.00"),
        "storage_cost": D("24.23"),  # 3000 kop × 2100/2600 = 2423.08 → 2423
        "storage_data_source": "finance_report",
        "penalties": D("10.00"),
        "cogs": D("240.00"),  # 100 + 120 − 100 + 120
        "missing_cogs_flag": False,
        "profit": D("1860.00"),  # 2100 − 240
        "margin_pct": D("88.57"),  # 1860 / 2100
        "markup_percent": D("775.00"),  # 1860 / 240
        "roi": D("537.00"),  # 1288.81 / 240
        "profit_per_unit": D("930.00"),  # 1860 / 2
        "net_profit": D("1288.81"),  # 1680 − 240 − 151.19
        "net_margin_pct": D("61.37"),  # 1288.81 / 2100
        "operating_profit": D("1305.77"),  # 1680 − 240 − 100 − 24.23 − 10
        "operating_margin_pct": D("62.18"),  # 1305.77 / 2100
        "total_expenses": D("151.19"),  # 100 + 24.23 + 10 + 16.96
        "has_revenue": True,
        "other_costs": D("16.96"),  # 2100 kop × 2100/2600 = 1696.15 → 1696
        "provisional": False,
    }  # fmt: skip
    assert rows[C] == {
        "nm_id": C, "sa_name": None, "brand": None, "category": None,
        "total_units": 1, "revenue_gross": D("500.00"), "revenue_net": D("400.00"),
        "logistics_cost": D("30.00"),
        "storage_cost": D("5.77"),  # 576.92 → 576, +1 kopeck left over (largest remainder)
        "storage_data_source": "finance_report", "penalties": D("0.00"),
        "cogs": D("50.00"), "missing_cogs_flag": False,
        "profit": D("450.00"), "margin_pct": D("90.00"), "markup_percent": D("900.00"),
        "roi": D("620.38"),  # 310.19 / 50
        "profit_per_unit": D("450.00"),
        "net_profit": D("310.19"),  # 400 − 50 − 39.81
        "net_margin_pct": D("62.04"),
        "operating_profit": D("314.23"),  # 400 − 50 − 30 − 5.77
        "operating_margin_pct": D("62.85"),
        "total_expenses": D("39.81"),  # 30 + 5.77 + 0 + 4.04
        "has_revenue": True,
        "other_costs": D("4.04"),  # 403.85 → 403, +1 left over
        "provisional": False,
    }  # fmt: skip
    assert (result.provisional, result.revenue_source) == (False, RevenueSource.FINANCE_REPORT)
    assert (result.first_day, result.last_day) == (d(19), d(25))


def test_spread_costs_add_up_exactly_to_their_totals() -> None:
    rows = by_nm(report_week(MAIN))
    assert rows[A]["storage_cost"] + rows[C]["storage_cost"] == D("30.00")  # type: ignore[operator]
    assert rows[A]["other_costs"] + rows[C]["other_costs"] == D("21.00")  # type: ignore[operator]


def test_a_return_is_costed_on_its_sale_date_even_from_an_earlier_week() -> None:
    # The sale was on 16 January (W03) when A cost 100; the return in W04 after the change to 120.
    given = ret(A, 23, "1000", "800", srid="old", original_sale_date=d(16))
    unknown = ret(A, 24, "1000", "800", srid="never-seen")  # no sale known: its own day's cost, 120
    rows = by_nm(report_week([given, unknown]))
    assert rows[A]["cogs"] == D("-220.00")
    assert rows[A]["total_units"] == -2
    assert rows[A]["has_revenue"] is False
    assert (rows[A]["margin_pct"], rows[A]["markup_percent"], rows[A]["profit_per_unit"]) == (None,) * 3


def test_storno_of_a_sale_as_a_return_line_cancels_it() -> None:
    lines = [
        sale(A, 20, "1000", "800", srid="s"),
        line(
            A,
            DocType.RETURN,
            21,
            1,
            retail_price_with_disc="1000",
            for_pay="800",
            srid="s",
            oper_name="Сторно продаж",
        ),
        sale(C, 20, "500", "400"),
    ]
    rows = by_nm(report_week(lines))
    assert (rows[A]["total_units"], rows[A]["revenue_gross"], rows[A]["revenue_net"]) == (0, D(0), D(0))
    assert rows[A]["cogs"] == D("0.00")
    assert rows[A]["has_revenue"] is False


def test_storno_with_negative_amounts_on_a_sale_line_cancels_it_too() -> None:
    lines = [
        sale(A, 20, "1000", "800"),
        line(
            A, DocType.SALE, 21, -1, retail_price_with_disc="-1000", for_pay="-800", oper_name="Сторно продаж"
        ),
    ]
    rows = by_nm(report_week(lines))
    # The unit is costed at its line's day: +100 on the 20th, −100 on the 21st (same version).
    assert (rows[A]["total_units"], rows[A]["revenue_gross"], rows[A]["cogs"]) == (0, D(0), D("0.00"))


def test_storno_of_a_return_and_a_correction_sale_restore_units() -> None:
    lines = [
        ret(A, 20, "1000", "800", original_sale_date=d(12)),  # −100
        line(
            A, DocType.SALE, 21, 1, retail_price_with_disc="1000", for_pay="800", oper_name="Сторно возвратов"
        ),
        line(
            A,
            DocType.SALE,
            23,
            1,
            retail_price_with_disc="990",
            for_pay="790",
            oper_name="Корректная продажа",
        ),
    ]
    rows = by_nm(report_week(lines))
    # −1 + 1 + 1 units; 1000 − 1000... gross −1000 + 1000 + 990; cogs −100 + 100 (21st) + 120 (23rd)
    assert (rows[A]["total_units"], rows[A]["revenue_gross"], rows[A]["cogs"]) == (
        1,
        D("990.00"),
        D("120.00"),
    )


def test_a_line_given_twice_counts_once() -> None:
    first = sale(A, 20, "1000", "800")
    again = ReportLine(
        first.rrd_id, A, DocType.SALE, 1, d(20), retail_price_with_disc=D(1000), for_pay=D(800)
    )
    rows = by_nm(report_week([first, again]))
    assert (rows[A]["total_units"], rows[A]["revenue_gross"]) == (1, D("1000.00"))


def test_a_reversed_charge_arrives_negative_and_is_summed_as_sent() -> None:
    lines = [
        sale(A, 20, "1000", "800"),
        line(A, DocType.OTHER, 20, delivery_service="60"),
        line(A, DocType.RETURN, 21, delivery_service="-60", oper_name="Логистика сторно"),
    ]
    assert by_nm(report_week(lines))[A]["logistics_cost"] == D("0.00")


def test_missing_cogs_makes_every_cogs_figure_null_never_zero() -> None:
    lines = [sale(B, 20, "700", "600"), line(B, DocType.OTHER, 20, delivery_service="50")]
    row = by_nm(report_week(lines))[B]
    nulls = ["cogs", "profit", "margin_pct", "markup_percent", "roi", "profit_per_unit", "net_profit"]
    nulls += ["net_margin_pct", "operating_profit", "operating_margin_pct"]
    assert {name: row[name] for name in nulls} == dict.fromkeys(nulls)
    assert row["missing_cogs_flag"] is True
    assert (row["revenue_gross"], row["total_expenses"], row["has_revenue"]) == (
        D("700.00"),
        D("50.00"),
        True,
    )


def test_one_uncosted_unit_flags_the_sku_even_when_others_are_costed() -> None:
    cogs = {B: history(B, (d(22), "10"))}
    lines = [sale(B, 21, "700", "600"), sale(B, 22, "700", "600")]
    result = weekly_unit_economics(WEEK, cogs=cogs, report_lines=lines)
    assert (result.skus[0].components.cogs, result.skus[0].figures.missing_cogs_flag) == (None, True)


def test_a_cost_in_another_currency_counts_as_missing() -> None:
    cogs = {B: history(B, (d(1), "10"), currency="USD")}
    result = weekly_unit_economics(WEEK, cogs=cogs, report_lines=[sale(B, 21, "700", "600")])
    assert result.skus[0].figures.missing_cogs_flag is True


def test_a_lookup_callable_works_like_the_histories() -> None:
    def lookup(nm_id: int, day: date) -> CogsVersion | MissingCogs:
        return COGS[nm_id].valid_at(day) if nm_id in COGS else MissingCogs(nm_id, day)

    assert by_nm(weekly_unit_economics(WEEK, cogs=lookup, report_lines=MAIN)) == by_nm(report_week(MAIN))


def test_zero_revenue_has_no_revenue_and_divides_by_nothing() -> None:
    storage = [StorageDay(C, d(20), D("12.34"))]
    row = by_nm(weekly_unit_economics(WEEK, cogs=COGS, report_lines=[], paid_storage=storage))[C]
    assert (row["total_units"], row["revenue_gross"], row["has_revenue"]) == (0, D("0.00"), False)
    assert (row["cogs"], row["profit"], row["missing_cogs_flag"]) == (D("0.00"), D("0.00"), False)
    assert (row["net_profit"], row["operating_profit"]) == (D("-12.34"), D("-12.34"))
    for name in ["margin_pct", "markup_percent", "roi", "profit_per_unit", "net_margin_pct"]:
        assert row[name] is None, name
    assert row["operating_margin_pct"] is None


def test_paid_storage_api_replaces_the_reports_storage_and_keeps_to_the_week() -> None:
    storage = [
        StorageDay(A, d(19), D("1.10")),
        StorageDay(A, d(25), D("2.20")),
        StorageDay(A, d(26), D("99")),  # Monday of W05: not this week
        StorageDay(C, d(18), D("99")),  # Sunday of W03
    ]
    lines = [*MAIN, line(A, DocType.OTHER, 20, paid_storage="500")]
    result = report_week(lines, paid_storage=storage)
    rows = by_nm(result)
    assert (rows[A]["storage_cost"], rows[C]["storage_cost"]) == (D("3.30"), D("0.00"))
    assert rows[A]["storage_data_source"] == "paid_storage_api"
    assert result.storage_data_source is StorageDataSource.PAID_STORAGE_API


def test_unattributed_payouts_are_spread_into_revenue_net() -> None:
    lines = [
        sale(A, 20, "300", "200"),
        sale(C, 20, "100", "50"),
        line(None, DocType.OTHER, 20, additional_payment="1"),
    ]
    rows = by_nm(report_week(lines))
    assert (rows[A]["revenue_net"], rows[C]["revenue_net"]) == (D("200.75"), D("50.25"))


def test_a_provisional_week_is_computed_from_the_statistics_sales() -> None:
    sales = [
        WeekSale("S1", A, d(20), SaleKind.SALE, D("1000"), D("800"), srid="o1"),
        WeekSale("S2", A, d(23), SaleKind.SALE, D("1000"), D("800"), srid="o2"),
        WeekSale("S2", A, d(23), SaleKind.SALE, D("1000"), D("800"), srid="o2"),  # the same row again
        WeekSale("R1", A, d(24), SaleKind.RETURN, D("-1000"), D("-800"), srid="o1"),  # sign as WB may send it
        WeekSale("B1", A, d(24), SaleKind.OTHER, D("1000"), D("800")),  # neither
        WeekSale("S9", A, d(26), SaleKind.SALE, D("1000"), D("800")),  # next week
    ]
    result = weekly_unit_economics(WEEK, cogs=COGS, report_lines=None, sales=sales)
    row = by_nm(result)[A]
    assert (result.provisional, result.revenue_source) == (True, RevenueSource.STATISTICS_SALES)
    assert (row["provisional"], row["storage_data_source"]) == (True, "none")
    assert (row["total_units"], row["revenue_gross"], row["revenue_net"]) == (1, D("1000.00"), D("800.00"))
    assert row["cogs"] == D("120.00")  # 100 + 120 − 100 (the return at o1's sale day)
    assert (row["logistics_cost"], row["total_expenses"], row["net_profit"]) == (
        D("0.00"),
        D("0.00"),
        D("680.00"),
    )


def test_a_provisional_week_takes_paid_storage_when_it_has_it() -> None:
    sales = [WeekSale.from_sale(make_sale("S1", nm_id=A, date=datetime(2026, 1, 21, 21, 30, tzinfo=UTC)))]
    storage = [StorageDay(A, d(21), D("3"))]
    row = by_nm(weekly_unit_economics(WEEK, cogs=COGS, report_lines=None, sales=sales, paid_storage=storage))[
        A
    ]
    assert (row["storage_data_source"], row["storage_cost"]) == ("paid_storage_api", D("3.00"))
    assert (row["revenue_gross"], row["revenue_net"]) == (D("1547.00"), D("1284.01"))  # the factory's sale
    assert row["cogs"] == D("120.00")  # 21:30 UTC on the 21st is the 22nd in Moscow, after the change


def test_the_contract_example_by_our_definitions() -> None:
    example = Components(
        51, D("14074.60"), D("14074.60"), D("5999.63"), D("156.78"), D(0), D(0), D("4488.00")
    )
    figures = Figures.of(example)
    assert (figures.profit, figures.margin_pct, figures.total_expenses) == (
        D("9586.60"),
        D("68.11"),
        D("6156.41"),
    )
    assert (figures.net_profit, figures.markup_percent) == (D("3430.19"), D("213.61"))  # not 2037.12, 213.63
    assert figures.profit_per_unit == D("187.97")


def test_the_week_summary_is_the_sum_of_its_skus() -> None:
    result = report_week([*MAIN, sale(B, 20, "700", "600")])
    summary = summarize(result)
    c = summary.components
    assert (summary.sku_count, c.total_units, c.revenue_gross, c.revenue_net) == (
        3,
        4,
        D("3300.00"),
        D("2680.00"),
    )
    assert (c.storage_cost, c.other_costs, c.cogs, summary.figures.net_profit) == (
        D("30.00"),
        D("21.00"),
        None,
        None,
    )
    costed = summarize(report_week(MAIN))
    assert costed.figures.net_profit == D("1288.81") + D("310.19")
    assert costed.figures.profit == D("2310.00")


def test_skus_sold_without_cogs_are_counted_with_their_revenue() -> None:
    extra = [sale(B, 20, "700", "600"), sale(B, 21, "300.50", "250"), sale(999, 22, "10", "5")]
    found = missing_cogs(report_week([*MAIN, *extra]))
    assert (found.sku_count, found.nm_ids, found.revenue_gross, found.any) == (
        2,
        (B, 999),
        D("1010.50"),
        True,
    )
    assert missing_cogs(report_week(MAIN)).any is False


def test_charges_of_a_week_without_any_sku_stay_unallocated() -> None:
    result = report_week([line(None, DocType.OTHER, 20, paid_storage="7.005")])
    assert result.skus == ()
    assert result.unallocated.storage_cost == D("7.01")
    assert summarize(result).unallocated.storage_cost == D("7.01")


def test_spread_goes_equally_when_no_sku_has_revenue_and_keeps_a_refunds_sign() -> None:
    assert spread(D("1.00"), weights_by_revenue({1: D(0), 2: D(-5), 3: D(0)})) == {
        1: D("0.34"),
        2: D("0.33"),
        3: D("0.33"),
    }
    assert spread(D("-1.00"), {1: D(1), 2: D(2)}) == {1: D("-0.33"), 2: D("-0.67")}
    assert spread(D("5"), {}) == {}
    with pytest.raises(ValueError, match="weights"):
        spread(D("5"), {1: D(0)})


def test_week_labels_and_input_values_are_checked() -> None:
    assert week_days(WEEK) == [d(19 + n) for n in range(7)]
    with pytest.raises(InvalidValue, match="week"):
        weekly_unit_economics("2026-4", cogs={}, report_lines=[])
    with pytest.raises(InvalidValue, match="amount"):
        ReportLine(1, A, DocType.SALE, 1, d(20), for_pay=1.5)
    with pytest.raises(InvalidValue, match="sale_date"):
        ReportLine(1, A, DocType.SALE, 1, datetime(2026, 1, 20, tzinfo=UTC))
    assert DocType.from_wb("Продажа") is DocType.SALE
    assert DocType.from_wb("Возврат") is DocType.RETURN
    assert DocType.from_wb("") is DocType.OTHER
    assert Money.from_wb_string("1") == Money(D(1))  # amounts arrive as Decimals from Money
