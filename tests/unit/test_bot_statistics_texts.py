"""The Russian texts of the bot's order and sales answers: the seed's figures as sellers read them, every WB
value escaped for Telegram HTML, and never over Telegram's 4,096 characters."""

from datetime import UTC, date, datetime
from decimal import Decimal

from adapters.inbound.http.bot import statistics_texts as texts
from application.ports.reports import OrderCounts, OrderLine, Page, SaleLine, SalesTotals
from application.use_cases.report_scope import Days

DAYS = Days(date(2026, 10, 31), date(2026, 11, 30))
AT = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)


def an_order(product: str = "Платье", warehouse: str = "Коледино") -> OrderLine:
    return OrderLine(
        srid="s1", fbs_order_id=None, date=AT, nm_id=7, product=product, article="ART-1", size="M",
        amount=Decimal("1234.5"), warehouse=warehouse, region="Москва", status="canceled",
    )  # fmt: skip


def test_the_seeds_honest_statistics_read_as_a_seller_reads_them() -> None:
    sales = SalesTotals(4322, 166, Decimal("1234567.891"), Decimal("1000"))
    text = texts.order_statistics_text(DAYS, OrderCounts(11770, 7064, 5000), sales)
    for expected in ("11 770", "4 706 (40,0 %)", "7 064 (60,0 %)", "4 488", "4 322", "166", "96,3 %",
                     "1 234 567,89 ₽", "1 000,00 ₽", "31.10.2026 — 30.11.2026"):  # fmt: skip
        assert expected in text, (expected, text)


def test_nothing_to_share_is_zero_percent_not_a_division_error() -> None:
    assert texts.share(0, 0) == Decimal("0.0")
    assert "0,0 %" in texts.order_statistics_text(
        DAYS, OrderCounts(0, 0, 0), SalesTotals(0, 0, Decimal(0), Decimal(0))
    )


def test_wb_values_are_escaped_and_times_are_moscow() -> None:
    text = texts.recent_orders_text("Заказы", DAYS, Page([an_order("<b>Платье</b> & co", "<i>")], 1), 0)
    assert "&lt;b&gt;Платье&lt;/b&gt; &amp; co" in text and "&lt;i&gt;" in text
    assert "<b>Платье</b>" not in text
    assert "30.11.2026 14:05" in text and "1 234,50 ₽" in text and "отменён" in text


def test_a_long_page_is_cut_to_telegrams_limit() -> None:
    orders = [an_order("Очень длинное название " * 20) for _ in range(100)]
    text = texts.recent_orders_text("Заказы", DAYS, Page(orders, 100), 0)
    assert len(text) <= 4096 and text.endswith("…")
    sales = [SaleLine("S1", "s1", 7, "x" * 300, "A", "M", Decimal(1), AT, "return") for _ in range(100)]
    assert len(texts.recent_sales_text("Возвраты", DAYS, Page(sales, 100), 0)) <= 4096


def test_an_empty_page_says_so() -> None:
    assert "Заказов за период нет." in texts.recent_orders_text("Заказы", DAYS, Page([], 0), 0)
    assert "Продаж за период нет." in texts.recent_sales_text("Продажи", DAYS, Page([], 0), 0)
