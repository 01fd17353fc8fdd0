"""The lines of each notification type's message (see `texts`): what a seller is told, from the data's
facts, each line dropped when its facts are missing."""

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from application.notifications.text_fit import Line, Value
from application.notifications.text_values import (
    count,
    decimal_of,
    decimal_text,
    instant_of,
    int_of,
    moscow_date,
    moscow_text,
    plural,
    roubles,
    text_of,
)
from domain.errors import InvalidValue
from domain.moscow_time import parse_iso_week

Data = Mapping[str, Any]
Builder = Callable[[Data], list[Line | None]]


def field(data: Data, *keys: str) -> str | None:
    for key in keys:
        text = text_of(data.get(key))
        if text is not None:
            return text
    return None


def money(data: Data, *keys: str) -> Decimal | None:
    for key in keys:
        amount = decimal_of(data.get(key))
        if amount is not None:
            return amount
    return None


def _line(label: str, value: str | None, *, free: bool = False, tail: str = "") -> Line | None:
    return None if value is None else (label, Value(value, free), tail)


def product_lines(data: Data) -> list[Line | None]:
    """Product name, article (seller's and WB's), size."""
    name = field(data, "product_name", "subject")
    article, nm_id = field(data, "vendor_code", "supplier_article"), field(data, "nm_id")
    ids: list[str | Value] = []
    if article is not None:
        ids += ["Артикул: <code>", Value(article), "</code>"]
    if nm_id is not None:
        ids += [" · " if ids else "", "nmID <code>", Value(nm_id), "</code>"]
    size = field(data, "size", "tech_size")
    return [
        ("<b>", Value(name), "</b>") if name else ("<b>Товар</b>",),
        tuple(ids) or None,
        _line("Размер: ", None if size == "0" else size),
    ]


def place_line(data: Data) -> Line | None:
    parts = [Value(v) for v in (field(data, "warehouse_name"), field(data, "region_name")) if v]
    if not parts:
        return None
    return ("🏬 ", parts[0], " → ", parts[1]) if len(parts) == 2 else ("🏬 ", parts[0])


def order_line(data: Data) -> Line | None:
    return _line("Заказ №", field(data, "order_id"))


def when_line(data: Data) -> Line | None:
    at = instant_of(data.get("occurred_at"))
    when = None if at is None else moscow_text(at)
    return None if when is None else (f"🕒 {when}",)


def quantity_line(data: Data, label: str = "Количество: ") -> Line | None:
    n = int_of(data.get("quantity"))
    return None if n is None else (f"{label}<b>{count(n)} шт.</b>",)


def order_price_line(data: Data) -> Line | None:
    paid, full = money(data, "sale_price", "price", "amount"), money(data, "price")
    if paid is None:
        return None
    before = f" (до скидки {roubles(full)})" if full is not None and full > paid else ""
    return (f"💵 Цена: <b>{roubles(paid)}</b>{before}",)


def sale_price_lines(data: Data, *, is_return: bool) -> list[Line | None]:
    price = money(data, "finished_price", "sale_price", "price", "amount")
    for_pay = money(data, "for_pay")
    label = "Сумма возврата" if is_return else "Цена"
    return [
        None if price is None else (f"💵 {label}: <b>{roubles(abs(price))}</b>",),
        None if for_pay is None or is_return else (f"К перечислению: {roubles(for_pay)}",),
    ]


def _order(title: str) -> Builder:
    def build(data: Data) -> list[Line | None]:
        lines = [
            (title,),
            *product_lines(data),
            order_line(data),
            order_price_line(data),
            quantity_line(data),
        ]
        return [*lines, place_line(data), when_line(data)]

    return build


def _sale(title: str, *, is_return: bool) -> Builder:
    def build(data: Data) -> list[Line | None]:
        lines = [
            (title,),
            *product_lines(data),
            order_line(data),
            *sale_price_lines(data, is_return=is_return),
        ]
        return [*lines, quantity_line(data), place_line(data), when_line(data)]

    return build


def stars(rating: int | None) -> str | None:
    if rating is None:
        return None
    return "★" * rating + "☆" * (5 - rating) + f" {rating}/5" if 0 <= rating <= 5 else f"{count(rating)}/5"


def review(data: Data) -> list[Line | None]:
    rating, before = int_of(data.get("rating")), int_of(data.get("previous_rating"))
    title = "Новый отзыв" if rating is not None and rating >= 4 else "Негативный отзыв"
    shown = stars(rating)
    was = f" (было {count(before)})" if before is not None and shown else ""
    return [
        (f"⭐ <b>{title}</b>",),
        *product_lines(data),
        None if shown is None else (f"Оценка: <b>{shown}</b>{was}",),
        _line("💬 <i>", field(data, "text"), free=True, tail="</i>"),
        _line("👍 ", field(data, "pros"), free=True),
        _line("👎 ", field(data, "cons"), free=True),
        when_line(data),
    ]


def days_line(data: Data) -> Line | None:
    days = decimal_of(data.get("days_left"))
    if days is None:
        return None
    if days <= 0:
        return ("❗ <b>Товар закончился</b>",)
    shown = days.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if shown < 1:
        return ("⏳ Хватит <b>меньше чем на день</b>",)
    unit = plural(int(shown), "день", "дня", "дней") if shown == shown.to_integral_value() else "дня"
    return (f"⏳ Хватит примерно на <b>{decimal_text(shown, places=1)} {unit}</b>",)


def critical_stock(data: Data) -> list[Line | None]:
    lines = [("📉 <b>Критичный остаток</b>",), *product_lines(data), quantity_line(data, "📦 Остаток: ")]
    return [*lines, days_line(data), place_line(data), when_line(data)]


def cabinet_invalid(data: Data) -> list[Line | None]:
    return [
        ("🔑 <b>Ключ WB API больше не работает</b>",),
        _line("Кабинет: ", field(data, "cabinet_name")),
        _line("Причина: ", field(data, "reason"), free=True),
        ("Уведомления и статистика по кабинету остановлены. Подключите кабинет заново с новым ключом.",),
    ]


def token_expiring(data: Data) -> list[Line | None]:
    days, at = int_of(data.get("days_left")), instant_of(data.get("expires_at"))
    day = None if at is None else moscow_date(at)
    return [
        ("⏳ <b>Ключ WB API скоро истечёт</b>",),
        _line("Кабинет: ", field(data, "cabinet_name")),
        None if days is None else (f"Осталось: <b>{count(days)} {plural(days, 'день', 'дня', 'дней')}</b>",),
        None if day is None else (f"Действует до: {day}",),
        ("Замените ключ заранее, чтобы синхронизация не прервалась.",),
    ]


_SYNC_COUNTS = (
    ("orders", "📦 Заказы"),
    ("sales", "💰 Продажи"),
    ("reviews", "⭐ Отзывы"),
    ("stocks", "🏬 Остатки"),
)


def sync_completed(data: Data) -> list[Line | None]:
    counts = [(label, int_of(data.get(key))) for key, label in _SYNC_COUNTS]
    shown: list[Line | None] = [(f"{label}: <b>{count(n)}</b>",) for label, n in counts if n is not None]
    return [("✅ <b>Данные кабинета загружены</b>",), *shown, ("Уведомления о новых событиях включены.",)]


MAX_NM_IDS = 5  # example articles a missing_cogs message names


def week_line(data: Data) -> Line | None:
    """ "Неделя 2026-W47 (17.11–23.11): <b>4 товара</b> без себестоимости, 12 шт. на <b>12 500 ₽</b>"."""
    week, skus = field(data, "week"), int_of(data.get("skus"))
    units, revenue = int_of(data.get("units")), money(data, "revenue")
    if week is None or skus is None:
        return None
    line: list[str | Value] = ["Неделя ", Value(week), *_week_days(week), ": "]
    line.append(f"<b>{count(skus)} {plural(skus, 'товар', 'товара', 'товаров')}</b> без себестоимости")
    line += [] if units is None else [f", {count(units)} шт."]
    line += [] if revenue is None else [f" на <b>{roubles(revenue)}</b>"]
    return tuple(line)


def _week_days(week: str) -> list[str]:
    try:
        first, last = parse_iso_week(week)
    except InvalidValue:
        return []
    return [f" ({first:%d.%m}–{last:%d.%m})"]


def nm_ids_line(data: Data) -> Line | None:
    raw = field(data, "nm_ids")
    shown = [] if raw is None else [n for n in (x.strip() for x in raw.split(",")) if n.isdigit()]
    if not shown:
        return None
    codes: list[str | Value] = ["nmID: "]
    for i, nm_id in enumerate(shown[:MAX_NM_IDS]):
        codes += [", " if i else "", "<code>", Value(nm_id), "</code>"]
    skus = int_of(data.get("skus"))
    more = (skus or len(shown)) - min(len(shown), MAX_NM_IDS)
    return (*codes, f" и ещё {count(more)}" if more > 0 else "")


def missing_cogs(data: Data) -> list[Line | None]:
    provisional = data.get("provisional") is True
    return [
        ("💸 <b>Продажи без себестоимости</b>",),
        _line("Кабинет: ", field(data, "cabinet_name")),
        week_line(data),
        nm_ids_line(data),
        ("⏳ По данным продаж, отчёт WB за неделю ещё не пришёл.",) if provisional else None,
        ("Укажите себестоимость, чтобы видеть прибыль.",),
    ]


BUILDERS: Mapping[str, Builder] = {
    "new_order": _order("📦 <b>Новый заказ</b>"),
    "order_buyout": _sale("💰 <b>Выкуп</b>", is_return=False),
    "order_cancellation": _order("❌ <b>Отмена заказа</b>"),
    "order_return": _sale("🔄 <b>Возврат</b>", is_return=True),
    "negative_review": review,
    "critical_stocks": critical_stock,
    "cabinet_invalid": cabinet_invalid,
    "token_expiring": token_expiring,
    "sync_completed": sync_completed,
    "missing_cogs": missing_cogs,
}
