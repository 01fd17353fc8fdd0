"""Values of a notification's data read leniently and written as a Russian seller reads them.

Every reader takes whatever the data holds (a WB value, a test's hand-written `test_data`, garbage) and
answers None for what it cannot use, so a message is built without the missing line instead of failing.
"""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.moscow_time import MSK

THIN = "\u202f"  # narrow no-break space: the thousands separator
NBSP = "\u00a0"  # between a number and its unit
_KOPECK = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** 12
_MAX_INT = 10**18


def text_of(value: object) -> str | None:
    """A value to show as text: strings (non-blank) and numbers; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value) if abs(value) < _MAX_INT else None
    if isinstance(value, float | Decimal):
        amount = decimal_of(value)
        return None if amount is None else str(amount)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def decimal_of(value: object) -> Decimal | None:
    """A finite number of sane size from an int, a float or a numeric string ("1200.00", "1 500,5")."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    if isinstance(value, int) and abs(value) >= _MAX_INT:
        return None
    raw = value.replace(" ", "").replace(THIN, "").replace(",", ".") if isinstance(value, str) else value
    try:
        number = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not number.is_finite() or abs(number) >= _MAX_AMOUNT:
        return None
    return number


def int_of(value: object) -> int | None:
    """A whole number from an int or a numeric string; None otherwise (or if it has a fraction)."""
    number = decimal_of(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def count(n: int) -> str:
    """11770 -> "11 770" (narrow no-break space)."""
    return f"{n:,}".replace(",", THIN)


def decimal_text(number: Decimal, places: int = 2) -> str:
    """Decimal("2.50") -> "2,5"; Decimal("1234.5") -> "1 234,5": grouped, decimal comma, no trailing zeros."""
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:,.{places}f}".partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", THIN) + ("," + fraction if fraction else "")
    return "0" if text in {"-0", ""} else text


def roubles(amount: Decimal) -> str:
    """Decimal("1200.00") -> "1 200 ₽"; Decimal("1200.5") -> "1 200,50 ₽"."""
    rounded = amount.quantize(_KOPECK, rounding=ROUND_HALF_UP)
    whole, _, kopecks = f"{rounded:,.2f}".partition(".")
    text = whole.replace(",", THIN) + ("" if kopecks == "00" else f",{kopecks}")
    return f"{text}{NBSP}₽"


def instant_of(value: object) -> datetime | None:
    """An aware UTC instant from an ISO string or a datetime; a naive one is taken as UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    try:
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def moscow_text(at: datetime) -> str | None:
    """A moment at Moscow time: "31.01.2026 15:04 МСК"; None if it cannot be placed there."""
    try:
        return at.astimezone(MSK).strftime("%d.%m.%Y %H:%M") + " МСК"
    except (OverflowError, ValueError):
        return None


def moscow_date(at: datetime) -> str | None:
    try:
        return at.astimezone(MSK).strftime("%d.%m.%Y")
    except (OverflowError, ValueError):
        return None


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form for n: 1 заказ, 2 заказа, 5 заказов, 21 заказ, 11 заказов."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
