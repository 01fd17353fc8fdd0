"""Bot routes: validation (seed 000 §6.2): `GET` and `POST /api/v1/wb/cabinets/validation/validate-all`
re-check every cabinet's WB key now and delete the cabinets whose retention period ran out."""

from typing import Literal
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot.texts import count, esc, fit
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Handler, Method, Returns, Route
from adapters.inbound.http.schemas import Schema
from application.use_cases.validate_cabinets import CabinetCheck, Outcome, ValidationSummary
from domain.identity import CabinetStatus

PATH = "/api/v1/wb/cabinets/validation/validate-all"
TAGS = ("bot: cabinets",)


class CabinetValidation(Schema):
    """One cabinet's outcome. The key is never part of it."""

    cabinet_id: UUID
    name: str
    status_before: CabinetStatus
    status_after: Literal["active", "invalid", "removed"]
    result: Outcome = Field(
        description="valid: WB accepted the key; invalid: WB rejected it or it expired (the cabinet stops "
        "syncing and keeps its data for CABINET_RETENTION_DAYS); already_invalid: not asked again; "
        "unchecked: WB did not answer (timeout, 5xx), nothing changed; not_reached: WB rate-limited the "
        "run first, nothing changed; removed: deleted with its data after the retention period."
    )
    reason: str | None = Field(description="WB's or our reason, for every result but valid.")


class ValidationData(Schema):
    total_cabinets: int = Field(description="Every cabinet at the start of the run.")
    valid_cabinets: int = Field(description="Cabinets whose key WB accepted now.")
    invalid_cabinets: int = Field(description="Cabinets invalid after the run (found now or before).")
    removed_cabinets: int = Field(description="Cabinets this run deleted after their retention period.")
    errors: list[str] = Field(
        description="The cabinets WB could not judge this time (timeouts, 5xx, 429): they are unchanged."
    )
    details: list[CabinetValidation]


class ValidationAnswer(Schema):
    success: Literal[True] = True
    data: ValidationData
    telegram_text: str = Field(max_length=4096, description="Russian, Telegram HTML, shown as is.")


async def validate_all(request: web.Request) -> ValidationAnswer:
    """Check every active cabinet's key with WB now (as the daily run does), then delete the cabinets
    invalid or memberless for longer than CABINET_RETENTION_DAYS. A timeout, 5xx or 429 from WB never
    changes a cabinet: it is listed in `errors`. The seed calls it with GET."""
    return await _validate(request)


async def validate_all_post(request: web.Request) -> ValidationAnswer:
    """The same as the GET (the seed's list of endpoints names POST)."""
    return await _validate(request)


async def _validate(request: web.Request) -> ValidationAnswer:
    summary = await (await request.app[USE_CASES].validate_cabinets())()
    invalid = summary.count(Outcome.INVALID, Outcome.ALREADY_INVALID)
    data = ValidationData(
        total_cabinets=summary.total,
        valid_cabinets=summary.valid,
        invalid_cabinets=invalid,
        removed_cabinets=summary.removed,
        errors=[f"{c.name} ({c.cabinet_id}): {c.reason}" for c in summary.errors],
        details=[_detail(c) for c in summary.checks],
    )
    return ValidationAnswer(data=data, telegram_text=_text(summary, invalid))


def _detail(c: CabinetCheck) -> CabinetValidation:
    return CabinetValidation(
        cabinet_id=c.cabinet_id,
        name=c.name,
        status_before=c.status_before,
        status_after=c.status_after,
        result=c.outcome,
        reason=c.reason,
    )


_MARK = {
    Outcome.INVALID: "❌",
    Outcome.ALREADY_INVALID: "❌",
    Outcome.UNCHECKED: "⚠️",
    Outcome.NOT_REACHED: "⏳",
    Outcome.REMOVED: "🗑",
}


def _text(s: ValidationSummary, invalid: int) -> str:
    head = [
        "🔑 <b>Проверка API-ключей WB</b>",
        f"Всего кабинетов: {count(s.total)}",
        f"✅ Действующих: {count(s.valid)}",
        f"❌ Недействительных: {count(invalid)}",
        f"🗑 Удалено после срока хранения: {count(s.removed)}",
        f"⚠️ Не удалось проверить: {count(len(s.errors))}",
    ]
    lines = [f"{_MARK[c.outcome]} {esc(c.name)}: {esc(c.reason)}" for c in s.checks if c.outcome in _MARK]
    return fit([*head, *([""] if lines else []), *lines])


def _route(method: Method, handler: Handler) -> Route:
    return Route(
        method,
        PATH,
        handler,
        summary="Re-check every cabinet's WB key now",
        tags=TAGS,
        responses={200: Returns("What happened to each cabinet, with the text to show", ValidationAnswer)},
        guard=BOT_SECRET,
    )


ROUTES: tuple[Route, ...] = (_route("GET", validate_all), _route("POST", validate_all_post))
