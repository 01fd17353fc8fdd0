"""The Telegram message of each notification (`telegram_text`) and of a grouped burst (`summary_text`).

Russian, Telegram HTML, one emoji per type (the seed's, and ours for the types it lacks), every value from
WB or a user escaped, at most 4096 units (1024 for a photo's caption) with free text cut first and never a
tag cut in half (see `text_fit`). Pure: no clock, no I/O. Data is read leniently: a missing or odd value
drops its line and never fails, so a test notification's four hand-written fields make a message too. Only
an unknown type or data that is not a mapping raises `UnformattableEvent`, for the delivery loop to log
and skip.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from application.notifications.text_fit import CAPTION_LIMIT, TELEGRAM_LIMIT, Line, Value, fit
from application.notifications.text_templates import BUILDERS, Builder, Data, field, money
from application.notifications.text_values import count as count_text
from application.notifications.text_values import decimal_of, decimal_text, int_of, plural, roubles

TEST_MARK = "🧪 <b>Тестовое уведомление</b>"
MAX_LISTED = 10  # items a summary lists before "…и ещё K"
_MAX_COUNT = 10**9  # a count past this is not a count
_SNIPPET = 60  # characters of a review's text a summary quotes


class UnformattableEvent(ValueError):
    """The notification cannot be put into words: an unknown type, or data that is not a mapping."""


def _builder(type: object) -> Builder:
    builder = BUILDERS.get(type) if isinstance(type, str) else None
    if builder is None:
        raise UnformattableEvent(f"unknown notification type {type!r}")
    return builder


def telegram_text(
    type: str, data: Mapping[str, Any], *, is_test: bool = False, has_photo: bool = False
) -> str:
    """The message for one notification; `has_photo`: it is a photo's caption (1024 units, not 4096).
    Raises UnformattableEvent for an unknown type or data that is not a mapping; never for its contents."""
    builder = _builder(type)
    if not isinstance(data, Mapping):
        raise UnformattableEvent(f"{type} data must be a mapping, got {data.__class__.__name__}")
    lines = [line for line in builder(data) if line is not None]
    if is_test:
        lines.insert(0, (TEST_MARK,))
    return fit(lines, CAPTION_LIMIT if has_photo else TELEGRAM_LIMIT)


# type -> (emoji, the noun for 1 / 2 / 5 of them, where its price is read or None)
_ORDER_PRICE = ("sale_price", "price", "amount")
_SALE_PRICE = ("finished_price", "sale_price", "price", "amount")
_SUMMARIES: Mapping[str, tuple[str, tuple[str, str, str], tuple[str, ...] | None]] = {
    "new_order": ("📦", ("новый заказ", "новых заказа", "новых заказов"), _ORDER_PRICE),
    "order_buyout": ("💰", ("выкуп", "выкупа", "выкупов"), _SALE_PRICE),
    "order_cancellation": ("❌", ("отмена заказа", "отмены заказов", "отмен заказов"), _ORDER_PRICE),
    "order_return": ("🔄", ("возврат", "возврата", "возвратов"), _SALE_PRICE),
    "negative_review": (
        "⭐",
        ("отзыв с низкой оценкой", "отзыва с низкой оценкой", "отзывов с низкой оценкой"),
        None,
    ),
    "critical_stocks": (
        "📉",
        ("товар с критичным остатком", "товара с критичным остатком", "товаров с критичным остатком"),
        None,
    ),
    "cabinet_invalid": ("🔑", ("уведомление о ключе", "уведомления о ключе", "уведомлений о ключе"), None),
    "token_expiring": ("⏳", ("уведомление о ключе", "уведомления о ключе", "уведомлений о ключе"), None),
    "sync_completed": (
        "✅",
        ("уведомление о загрузке", "уведомления о загрузке", "уведомлений о загрузке"),
        None,
    ),
    "missing_cogs": (
        "💸",
        ("неделя без себестоимости", "недели без себестоимости", "недель без себестоимости"),
        None,
    ),
}


def summary_text(type: str, items: Sequence[Mapping[str, Any]], *, count: int | None = None) -> str:
    """One message for a burst of notifications of one type: "📦 Ещё 7 новых заказов", a list of at most
    MAX_LISTED of them (then "…и ещё K") and, for orders and sales, the sum of the prices known. An item
    that is not a mapping is counted but not listed. `count`: how many there were, when `items` holds only
    the first of them (a summary stored with its first items); at least len(items). Raises
    UnformattableEvent for an unknown type or `items` that is not a sequence."""
    _builder(type)
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise UnformattableEvent(f"{type} summary items must be a sequence, got {items.__class__.__name__}")
    emoji, nouns, price_keys = _SUMMARIES[type]
    told = count if isinstance(count, int) and not isinstance(count, bool) and count < _MAX_COUNT else 0
    n = max(told, len(items))
    lines: list[Line] = [(f"{emoji} <b>Ещё {count_text(n)} {plural(n, *nouns)}</b>",)]
    listed = [item if isinstance(item, Mapping) else {} for item in items[:MAX_LISTED]]
    lines += [_item_line(type, item, price_keys) for item in listed]
    if n > len(listed):
        lines.append((f"…и ещё {count_text(n - len(listed))}",))
    if price_keys is not None:
        lines += _total(items, n, price_keys, is_return=type == "order_return")
    return fit(lines, TELEGRAM_LIMIT)


def _item_line(type: str, item: Data, price_keys: tuple[str, ...] | None) -> Line:
    name = field(item, "product_name", "subject", "vendor_code", "supplier_article", "nm_id")
    line: list[str | Value] = ["• ", Value(name) if name else "Товар"]
    if type == "missing_cogs":  # never grouped (EventType.groupable); a test may still ask for a summary
        week = field(item, "week")
        return ("• ", Value(week)) if week else ("• Неделя",)
    if type == "negative_review":
        rating = int_of(item.get("rating"))
        line[1:1] = [] if rating is None else [f"★{count_text(rating)} "]
        text = field(item, "text", "cons")
        if text is not None:
            line += [
                ": <i>",
                Value(text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else ""), free=True),
                "</i>",
            ]
    elif type == "critical_stocks":
        quantity, days = int_of(item.get("quantity")), decimal_of(item.get("days_left"))
        line += [] if quantity is None else [f" · {count_text(quantity)} шт."]
        line += [] if days is None else [f" · ~{decimal_text(max(days, Decimal(0)))} дн."]
    elif price_keys is not None:
        article = field(item, "vendor_code", "supplier_article")
        if article is not None and article != name:
            line += [" · арт. ", Value(article)]
        price = money(item, *price_keys)
        line += [] if price is None else [f" · {roubles(abs(price))}"]
    return tuple(line)


def _total(items: Sequence[Any], n: int, keys: tuple[str, ...], *, is_return: bool) -> list[Line]:
    prices = [money(item, *keys) for item in items if isinstance(item, Mapping)]
    known = [abs(p) if is_return else p for p in prices if p is not None]
    if not known:
        return []
    part = "" if len(known) == n else f" (по {count_text(len(known))} из {count_text(n)})"
    return [(f"💵 Всего: <b>{roubles(sum(known, Decimal(0)))}</b>{part}",)]
