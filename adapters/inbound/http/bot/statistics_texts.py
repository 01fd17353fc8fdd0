"""The Russian texts of the order and sales answers (seed 000 §3–§4), in Telegram HTML."""

from decimal import ROUND_HALF_UP, Decimal

from adapters.inbound.http.bot.texts import count, day, esc, fit, moscow_time, percent, roubles
from application.ports.reports import OrderCounts, OrderLine, Page, SaleLine, SalesTotals
from application.use_cases.report_scope import Days

_ORDER_STATUS = {"active": "✅ активен", "canceled": "❌ отменён"}
_SALE_TYPE = {"buyout": "🛍 выкуп", "return": "🔄 возврат"}


def share(part: int, whole: int) -> Decimal:
    """part / whole in percent, one decimal; 0 when there is nothing to share."""
    if whole == 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def period_line(days: Days) -> str:
    return f"Период: {day(days.first)} — {day(days.last)}"


def order_block(o: OrderCounts) -> list[str]:
    active = o.total - o.canceled
    return [
        f"📦 Заказы: <b>{count(o.total)}</b>",
        f"✅ Активные: {count(active)} ({percent(share(active, o.total))})",
        f"❌ Отменённые: {count(o.canceled)} ({percent(share(o.canceled, o.total))})",
    ]


def sales_block(s: SalesTotals) -> list[str]:
    total = s.buyouts + s.returns
    return [
        f"💰 Продажи: <b>{count(total)}</b>",
        f"🛍 Выкупы: {count(s.buyouts)} на {roubles(s.buyouts_amount)}",
        f"🔄 Возвраты: {count(s.returns)} на {roubles(s.returns_amount)}",
        f"📈 Процент выкупа: <b>{percent(share(s.buyouts, total))}</b>",
        f"💵 Итого: <b>{roubles(s.buyouts_amount - s.returns_amount)}</b>",
    ]


def order_statistics_text(days: Days, orders: OrderCounts, sales: SalesTotals) -> str:
    head = ["📊 <b>Статистика заказов</b>", period_line(days), ""]
    return fit([*head, *order_block(orders), "", *sales_block(sales)])


def sales_statistics_text(days: Days, sales: SalesTotals) -> str:
    return fit(["📊 <b>Статистика продаж</b>", period_line(days), "", *sales_block(sales)])


def _product(product: str, article: str, size: str) -> str:
    details = [f"арт. {esc(article)}"] if article else []
    details += [f"размер {esc(size)}"] if size and size != "0" else []
    name = esc(product) if product else "Товар"
    return f"{name} ({', '.join(details)})" if details else name


def order_line(n: int, o: OrderLine) -> list[str]:
    where = " → ".join(esc(p) for p in (o.warehouse, o.region) if p)
    tail = f" · {where}" if where else ""
    return [
        f"<b>{n}.</b> {moscow_time(o.date)} · {_product(o.product, o.article, o.size)}",
        f"    {roubles(o.amount)}{tail} · {_ORDER_STATUS[o.status]}",
    ]


def sale_line(n: int, s: SaleLine) -> list[str]:
    return [
        f"<b>{n}.</b> {moscow_time(s.date)} · {_product(s.product, s.article, s.size)}",
        f"    {roubles(s.amount)} · {_SALE_TYPE[s.type]}",
    ]


def recent_orders_text(title: str, days: Days, page: Page[OrderLine], offset: int) -> str:
    head = [f"🆕 <b>{title}</b> ({count(len(page.items))} из {count(page.total)})", period_line(days)]
    if not page.items:
        return fit([*head, "", "Заказов за период нет."])
    lines = [line for i, o in enumerate(page.items) for line in order_line(offset + i + 1, o)]
    return fit([*head, "", *lines])


def recent_sales_text(title: str, days: Days, page: Page[SaleLine], offset: int) -> str:
    head = [f"💰 <b>{title}</b> ({count(len(page.items))} из {count(page.total)})", period_line(days)]
    if not page.items:
        return fit([*head, "", "Продаж за период нет."])
    lines = [line for i, s in enumerate(page.items) for line in sale_line(offset + i + 1, s)]
    return fit([*head, "", *lines])
