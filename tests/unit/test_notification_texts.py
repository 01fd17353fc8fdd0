"""The Telegram texts of notifications: what a seller reads, escaped, within Telegram's limits, never
failing on odd data."""

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.notifications.text_fit import size
from application.notifications.texts import UnformattableEvent, summary_text, telegram_text

TYPES = [
    "new_order",
    "order_buyout",
    "order_cancellation",
    "order_return",
    "negative_review",
    "critical_stocks",
    "cabinet_invalid",
    "token_expiring",
    "sync_completed",
    "missing_cogs",
]
ALLOWED_TAGS = {"b", "i", "a", "code", "pre", "s", "u", "blockquote"}
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#x27|#\d+);")
# Every key any payload has (domain/events.py), plus the test data's and the extra types'.
KEYS = [
    "source", "order_id", "srid", "nm_id", "vendor_code", "product_name", "price", "sale_price",
    "supplier_status", "wb_status", "is_b2b", "warehouse_name", "is_fbw", "region_name", "sale_id",
    "supplier_article", "for_pay", "finished_price", "previous_rating", "parent_review_id", "review_id",
    "rating", "text", "pros", "cons", "quantity", "days_left", "reason", "cabinet_id", "occurred_at",
    "amount", "size", "tech_size", "expires_at", "orders", "sales", "reviews", "stocks", "subject",
    "week", "skus", "units", "revenue", "nm_ids", "provisional", "cabinet_name",
]  # fmt: skip

FBS_ORDER = {
    "source": "statistics",
    "order_id": None,
    "srid": "7d1c-srid",
    "nm_id": 123456,
    "vendor_code": "DRESS-<01>",
    "product_name": 'Платье "Лето" & <b>ночь</b>',
    "price": "2400.00",
    "sale_price": "1200.50",
    "warehouse_name": "Коледино",
    "region_name": "Московская область",
    "is_fbw": True,
    "cabinet_id": "5b1f0c1e-0000-0000-0000-000000000001",
    "occurred_at": "2026-01-31T12:04:00+00:00",
}
SEED_TEST_DATA = {"order_id": 999, "product_name": "Тестовый товар", "amount": 1500, "quantity": 1}


class TelegramHtml(HTMLParser):
    """Parses a message as Telegram would: only its tags, properly nested, and known entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        assert tag in ALLOWED_TAGS, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def assert_telegram_html(message: str) -> str:
    """The message's visible text, after checking every '<' opens an allowed tag and every '&' an entity."""
    for match in re.finditer("<", message):
        tag = re.match(r"</?([a-z]+)>", message[match.start() :])
        assert tag is not None and tag[1] in ALLOWED_TAGS, message[match.start() : match.start() + 20]
    for match in re.finditer("&", message):
        assert _ENTITY.match(message, match.start()), message[match.start() : match.start() + 10]
    parser = TelegramHtml()
    parser.feed(message)
    parser.close()
    assert parser.stack == []
    return "".join(parser.text)


def test_new_order_shows_product_article_size_price_place_and_moscow_time() -> None:
    text = telegram_text("new_order", {**FBS_ORDER, "size": "M"})
    assert text.splitlines()[0] == "📦 <b>Новый заказ</b>"
    shown = assert_telegram_html(text)
    assert 'Платье "Лето" & <b>ночь</b>' in shown  # the name as written, its tags shown, not applied
    assert "Артикул: DRESS-<01> · nmID 123456" in shown
    assert "Размер: M" in shown
    assert "Цена: 1\u202f200,50\u00a0₽ (до скидки 2\u202f400\u00a0₽)" in shown
    assert "Коледино → Московская область" in shown
    assert "31.01.2026 15:04 МСК" in shown  # 12:04 UTC


@pytest.mark.parametrize(
    ("type", "emoji"),
    [
        ("new_order", "📦"),
        ("order_buyout", "💰"),
        ("order_cancellation", "❌"),
        ("order_return", "🔄"),
        ("negative_review", "⭐"),
        ("critical_stocks", "📉"),
        ("cabinet_invalid", "🔑"),
        ("token_expiring", "⏳"),
        ("sync_completed", "✅"),
        ("missing_cogs", "💸"),
    ],
)
def test_each_type_opens_with_its_emoji(type: str, emoji: str) -> None:
    assert telegram_text(type, FBS_ORDER).startswith(emoji + " ")


def test_the_seeds_test_notification_is_marked_and_priced_from_amount() -> None:
    for type in TYPES:
        text = telegram_text(type, SEED_TEST_DATA, is_test=True)
        assert text.splitlines()[0] == "🧪 <b>Тестовое уведомление</b>"
        assert_telegram_html(text)
    shown = assert_telegram_html(telegram_text("new_order", SEED_TEST_DATA, is_test=True))
    assert "Тестовый товар" in shown
    assert "Заказ №999" in shown
    assert "1\u202f500\u00a0₽" in shown
    assert "1 шт." in shown


def test_a_real_notification_is_not_marked_as_a_test() -> None:
    assert "Тестовое" not in telegram_text("new_order", SEED_TEST_DATA)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1200.00", "1\u202f200\u00a0₽"),
        ("1200.5", "1\u202f200,50\u00a0₽"),
        ("999", "999\u00a0₽"),
        ("1234567.891", "1\u202f234\u202f567,89\u00a0₽"),
        (1500, "1\u202f500\u00a0₽"),
    ],
)
def test_prices_read_as_sellers_write_them(amount: object, shown: str) -> None:
    assert f"Цена: <b>{shown}</b>" in telegram_text("new_order", {"price": amount})


def test_buyout_shows_buyer_price_and_payout_and_return_shows_the_refund_unsigned() -> None:
    sale = {"for_pay": "1000.10", "finished_price": "1100.00", "supplier_article": "A-1", "nm_id": 5}
    buyout = assert_telegram_html(telegram_text("order_buyout", sale))
    assert "Цена: 1\u202f100\u00a0₽" in buyout and "К перечислению: 1\u202f000,10\u00a0₽" in buyout
    refund = {**sale, "for_pay": "-1000.10", "finished_price": "-1100.00"}
    assert "Сумма возврата: 1\u202f100\u00a0₽" in assert_telegram_html(telegram_text("order_return", refund))


def test_review_shows_stars_the_previous_rating_and_its_text_in_italics() -> None:
    data = {"rating": 2, "previous_rating": 4, "text": "Молния <сломалась>", "product_name": "Куртка"}
    text = telegram_text("negative_review", data)
    assert "Оценка: <b>★★☆☆☆ 2/5</b> (было 4)" in text
    assert "💬 <i>Молния &lt;сломалась&gt;</i>" in text


def test_critical_stock_shows_quantity_and_days_left_in_words() -> None:
    text = telegram_text("critical_stocks", {"nm_id": 5, "quantity": 3, "days_left": "2.50"})
    assert "Остаток: <b>3 шт.</b>" in text and "<b>2,5 дня</b>" in text
    assert "<b>5 дней</b>" in telegram_text("critical_stocks", {"days_left": "5.00"})
    assert "<b>2,3 дня</b>" in telegram_text("critical_stocks", {"days_left": "2.34"})
    assert "меньше чем на день" in telegram_text("critical_stocks", {"days_left": "0.04"})
    sold_out = telegram_text("critical_stocks", {"quantity": 0, "days_left": "0.00", "vendor_code": "K-1"})
    assert "Остаток: <b>0 шт.</b>" in sold_out and "Товар закончился" in sold_out and "K-1" in sold_out


def test_key_and_sync_messages() -> None:
    invalid = telegram_text("cabinet_invalid", {"reason": "token withdrawn"})
    assert "Причина: token withdrawn" in invalid
    expiring = telegram_text("token_expiring", {"expires_at": "2026-02-09T22:00:00+00:00", "days_left": 3})
    assert "<b>3 дня</b>" in expiring and "Действует до: 10.02.2026" in expiring  # Moscow date
    done = assert_telegram_html(telegram_text("sync_completed", {"orders": 11770, "reviews": 4}))
    assert "Заказы: 11\u202f770" in done and "Отзывы: 4" in done and "Продажи" not in done


MISSING_COGS = {"week": "2026-W47", "skus": 7, "units": 12, "revenue": "12500.00", "nm_ids": "11,22,33,44,55"}


def test_a_week_without_costs_tells_how_many_articles_and_how_much_revenue_lack_one() -> None:
    text = assert_telegram_html(telegram_text("missing_cogs", {**MISSING_COGS, "cabinet_name": "<Shop>"}))
    assert text.splitlines() == [
        "💸 Продажи без себестоимости",
        "Кабинет: <Shop>",
        "Неделя 2026-W47 (16.11–22.11): 7 товаров без себестоимости, 12 шт. на 12\u202f500\u00a0₽",
        "nmID: 11, 22, 33, 44, 55 и ещё 2",
        "Укажите себестоимость, чтобы видеть прибыль.",
    ]
    assert "<b>7 товаров</b>" in telegram_text("missing_cogs", MISSING_COGS)
    one = telegram_text("missing_cogs", {**MISSING_COGS, "skus": 1, "nm_ids": "11", "provisional": False})
    assert "<b>1 товар</b>" in one and "и ещё" not in one and "отчёт WB" not in one


def test_a_week_told_before_its_finance_report_says_it_comes_from_the_sales() -> None:
    text = telegram_text("missing_cogs", {**MISSING_COGS, "skus": 3, "provisional": True})
    assert "<b>3 товара</b>" in text
    assert "⏳ По данным продаж, отчёт WB за неделю ещё не пришёл." in text.splitlines()


def test_a_long_review_is_cut_in_its_text_keeping_the_rest_and_the_tags_whole() -> None:
    data = {"rating": 1, "text": "Ужасно & <плохо> " * 1000, "cons": "Всё", "product_name": "Куртка"}
    for has_photo, limit in ((False, 4096), (True, 1024)):
        text = telegram_text("negative_review", data, has_photo=has_photo)
        assert limit - 20 < size(text) <= limit
        assert "…</i>" in text and "👎 Всё" in text and "<b>Куртка</b>" in text
        assert_telegram_html(text)


def test_emoji_count_twice_towards_the_limit_as_telegram_counts() -> None:
    text = telegram_text("negative_review", {"text": "😡" * 5000})
    assert len(text.encode("utf-16-le")) // 2 <= 4096


def test_unknown_type_or_data_that_is_not_a_mapping_is_unformattable() -> None:
    with pytest.raises(UnformattableEvent):
        telegram_text("price_drop", {})
    with pytest.raises(UnformattableEvent):
        telegram_text("new_order", ["not", "a", "mapping"])  # type: ignore[arg-type]
    with pytest.raises(UnformattableEvent):
        summary_text("price_drop", [])
    assert issubclass(UnformattableEvent, ValueError)


def test_summary_lists_ten_then_counts_the_rest_and_sums_known_prices() -> None:
    items = [{**FBS_ORDER, "sale_price": "100.00"}] * 12 + [{"product_name": "Без цены"}]
    text = summary_text("new_order", items)
    lines = text.splitlines()
    assert lines[0] == "📦 <b>Ещё 13 новых заказов</b>"
    assert sum(line.startswith("• ") for line in lines) == 10
    assert "…и ещё 3" in lines
    assert lines[-1] == "💵 Всего: <b>1\u202f200\u00a0₽</b> (по 12 из 13)"
    assert_telegram_html(text)


def test_a_summary_stored_with_its_first_items_counts_all_of_them() -> None:
    items = [{"product_name": "Куртка", "finished_price": "100"}] * 5
    lines = summary_text("order_buyout", items, count=40).splitlines()
    assert lines[0] == "💰 <b>Ещё 40 выкупов</b>"
    assert "…и ещё 35" in lines
    assert lines[-1] == "💵 Всего: <b>500\u00a0₽</b> (по 5 из 40)"
    assert summary_text("order_buyout", items, count=2).splitlines()[0] == "💰 <b>Ещё 5 выкупов</b>"


@pytest.mark.parametrize(
    ("type", "n", "head"),
    [
        ("new_order", 1, "Ещё 1 новый заказ"),
        ("new_order", 3, "Ещё 3 новых заказа"),
        ("order_buyout", 21, "Ещё 21 выкуп"),
        ("order_cancellation", 11, "Ещё 11 отмен заказов"),
        ("negative_review", 2, "Ещё 2 отзыва с низкой оценкой"),
        ("critical_stocks", 5, "Ещё 5 товаров с критичным остатком"),
    ],
)
def test_summary_head_agrees_with_the_number(type: str, n: int, head: str) -> None:
    assert summary_text(type, [FBS_ORDER] * n).splitlines()[0].endswith(f"<b>{head}</b>")


def test_summary_counts_but_does_not_list_an_item_that_is_not_a_mapping() -> None:
    text = summary_text("order_return", [{"finished_price": "-50"}, "junk"])  # type: ignore[list-item]
    assert "Ещё 2 возврата" in text and "Всего: <b>50\u00a0₽</b> (по 1 из 2)" in text


long_text = st.text(min_size=1, max_size=20).map(lambda s: s * 400)
values = st.one_of(st.none(), st.text(), st.integers(), st.decimals().map(str), long_text)
data_dicts = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), values, max_size=len(KEYS))
full_dicts = st.fixed_dictionaries({key: st.text() | long_text for key in KEYS})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(type=st.sampled_from(TYPES), data=data_dicts | full_dicts, is_test=st.booleans(), photo=st.booleans())
def test_any_data_of_a_known_type_makes_a_valid_message_within_the_limit(
    type: str, data: dict[str, Any], is_test: bool, photo: bool
) -> None:
    text = telegram_text(type, data, is_test=is_test, has_photo=photo)
    assert 0 < size(text) <= (1024 if photo else 4096)
    assert_telegram_html(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    type=st.sampled_from(TYPES),
    items=st.lists(data_dicts | full_dicts, max_size=15),
    count=st.none() | st.integers(),
)
def test_any_items_make_a_valid_summary_within_the_limit(
    type: str, items: list[dict[str, Any]], count: int | None
) -> None:
    text = summary_text(type, items, count=count)
    assert 0 < size(text) <= 4096
    assert_telegram_html(text)


@given(type=st.sampled_from(TYPES[:4]), name=st.text(min_size=1, max_size=50).filter(str.strip))
def test_a_short_product_name_is_shown_exactly(type: str, name: str) -> None:
    shown = assert_telegram_html(telegram_text(type, {"product_name": name}))
    assert name.strip() in shown or not name.isprintable()
