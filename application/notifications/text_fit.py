"""Telegram HTML messages built from markup we write and values we were given, cut to Telegram's limit.

A message is lines of parts: `str` parts are our own markup (trusted, never cut), `Value` parts are text
from WB or a user (escaped, and the only thing ever shortened). So a message is cut by shortening values,
free text (a review, a reason) first, and never in the middle of a tag or an entity.

Sizes are counted in UTF-16 code units, as Telegram counts them; that is never less than `len()`, so a
message that fits here fits both.
"""

import html
import re
from collections.abc import Iterable, Sequence

import attrs

TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024  # a message sent as a photo's caption
ELLIPSIS = "…"
_FIELD_CAP = 256  # a name, an article or a warehouse longer than this is cut even when there is room
_MIN_FREE = 40  # what free text keeps before other values are cut
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")


@attrs.frozen
class Value:
    """Text from outside, shown escaped. `free`: long prose that is cut first."""

    text: str
    free: bool = False


Part = str | Value
Line = Sequence[Part]


def size(text: str) -> int:
    """Length in UTF-16 code units (astral characters such as emoji count twice)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean(text: str) -> str:
    """Text safe to send at all: lone surrogates and control characters (but newline and tab) replaced."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", text)


def esc(text: str) -> str:
    """Escaped for Telegram HTML (&, <, > and both quotes)."""
    return html.escape(text, quote=True)


def clip(text: str, budget: int) -> str:
    """`text` escaped, shortened with an ellipsis to at most `budget` units; never cuts an entity."""
    escaped = esc(text)
    if size(escaped) <= budget:
        return escaped
    used, kept = size(ELLIPSIS), []
    for char in text:
        piece = esc(char)
        used += size(piece)
        if used > budget:
            break
        kept.append(piece)
    return "".join(kept) + ELLIPSIS if budget >= size(ELLIPSIS) else ""


def fit(lines: Iterable[Line], limit: int = TELEGRAM_LIMIT) -> str:
    """The lines joined by newlines, at most `limit` units: values are shortened (free text first, then
    the rest evenly); lines are dropped from the end only if even that is not enough."""
    rows = [[_pre_cap(part) for part in line] for line in lines]
    budget = limit - sum(size(p) for line in rows for p in line if isinstance(p, str)) - max(len(rows) - 1, 0)
    values = [p for line in rows for p in line if isinstance(p, Value)]
    caps = _caps(values, budget)
    rendered = ["".join(_render(p, caps) for p in line) for line in rows]
    while len(rendered) > 1 and size("\n".join(rendered)) > limit:
        rendered.pop()
    text = "\n".join(rendered)
    if size(text) <= limit:
        return text
    # Only our own markup is left and it is too long: send it as plain text rather than cut a tag.
    return clip(html.unescape(_TAG.sub("", text)), limit)


def _pre_cap(part: Part) -> Part:
    if isinstance(part, str):
        return part
    text = clean(part.text)
    cap = TELEGRAM_LIMIT if part.free else _FIELD_CAP
    return Value(text[:cap] + ELLIPSIS if len(text) > cap else text, part.free)


def _render(part: Part, caps: dict[int, int]) -> str:
    if isinstance(part, str):
        return part
    return clip(part.text, caps.get(id(part), TELEGRAM_LIMIT))


def _caps(values: Sequence[Value], budget: int) -> dict[int, int]:
    """A size cap per value (by identity): free values share what the others leave, keeping at least
    `_MIN_FREE` each when the others can be cut instead."""
    free = [v for v in values if v.free]
    fixed = [v for v in values if not v.free]
    free_sizes = [size(esc(v.text)) for v in free]
    fixed_sizes = [size(esc(v.text)) for v in fixed]
    if sum(free_sizes) + sum(fixed_sizes) <= budget:
        return {}
    free_floor = sum(min(s, _MIN_FREE) for s in free_sizes)
    if sum(fixed_sizes) + free_floor <= budget:
        cap = _level(free_sizes, budget - sum(fixed_sizes))
        return {id(v): cap for v in free}
    caps = {id(v): _MIN_FREE for v in free}
    cap = _level(fixed_sizes, max(budget - free_floor, 0))
    caps.update({id(v): cap for v in fixed})
    return caps


def _level(sizes: Sequence[int], budget: int) -> int:
    """The largest cap c with sum(min(s, c)) <= budget ("water-filling": short values stay whole)."""
    remaining, left = budget, len(sizes)
    for s in sorted(sizes):
        if s * left > remaining:
            return remaining // left
        remaining -= s
        left -= 1
    return budget
