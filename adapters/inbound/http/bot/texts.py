"""What every Russian text the bot shows as is shares (Telegram HTML, at most 4096 characters): escaping,
numbers as sellers read them ("11 770", "96,3 %", "1 234,50 ₽"), Moscow dates, and cutting to the limit.
The texts themselves live beside their routes (`statistics_texts.py`, `cabinet_texts.py`)."""

import html
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from domain.moscow_time import MSK

TELEGRAM_LIMIT = 4096
_CUT = "\n…"


def esc(value: object) -> str:
    """A WB- or user-provided value, safe inside Telegram HTML."""
    return html.escape(str(value), quote=False)


def count(n: int) -> str:
    """11770 -> "11 770"."""
    return f"{n:,}".replace(",", " ")


def percent(value: Decimal | float, places: int = 1) -> str:
    """96.3 -> "96,3 %"."""
    return f"{value:.{places}f}".replace(".", ",") + " %"


def roubles(amount: Decimal) -> str:
    """Decimal("1234.5") -> "1 234,50 ₽"."""
    whole, _, cents = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', ' ')},{cents} ₽"


def day(value: date | datetime | None) -> str:
    """A Moscow calendar day ("31.01.2026"); a moment is taken at Moscow time; None is "—"."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(MSK).date()
    return value.strftime("%d.%m.%Y")


def moscow_time(at: datetime) -> str:
    """A moment at Moscow time ("31.01.2026 15:04")."""
    return at.astimezone(MSK).strftime("%d.%m.%Y %H:%M")


def fit(lines: Iterable[str]) -> str:
    """Lines joined by newlines, cut at a line boundary to Telegram's limit."""
    text = ""
    for line in lines:
        candidate = f"{text}\n{line}" if text else line
        if len(candidate) > TELEGRAM_LIMIT - len(_CUT):
            return text + _CUT
        text = candidate
    return text
