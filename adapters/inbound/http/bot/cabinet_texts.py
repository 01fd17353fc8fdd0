"""The Russian texts of the user and cabinet answers (seed 000 §0, §5, §6), in Telegram HTML."""

from collections.abc import Sequence
from datetime import datetime

from adapters.inbound.http.bot.texts import count, day, esc, fit

CONNECT_MESSAGES = {
    "created": "Кабинет «{name}» подключён. Первая синхронизация уже началась.",
    "connected": "Вы присоединились к кабинету «{name}».",
    "already_connected": "Кабинет «{name}» уже подключён к вашему аккаунту.",
    "key_replaced": "Ключ кабинета «{name}» обновлён, синхронизация уже началась.",
}


def connect_text(status: str, name: str) -> str:
    return CONNECT_MESSAGES[status].format(name=f"<b>{esc(name)}</b>")


def cabinet_line(name: str, active: bool, members: int, key_expires: datetime) -> str:
    state = "✅ активен" if active else "⚠️ ключ недействителен"
    return f"• <b>{esc(name)}</b> — {state}, участников: {count(members)}, ключ до {day(key_expires)}"


def cabinets_text(lines: Sequence[str]) -> str:
    if not lines:
        return "У вас нет подключённых кабинетов. Чтобы подключить кабинет, отправьте API-ключ WB."
    return fit([f"<b>Ваши кабинеты ({count(len(lines))}):</b>", *lines])


def left_text(name: str, delete_after: datetime | None) -> str:
    text = f"Вы вышли из кабинета «<b>{esc(name)}</b>»."
    if delete_after is not None:
        text += f" В нём не осталось участников: его данные будут удалены {day(delete_after)}."
    return text
