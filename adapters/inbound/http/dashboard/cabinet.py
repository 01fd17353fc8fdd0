"""`GET /v1/cabinet`: the cabinet of `X-Cabinet-Id` as its member sees it on the dashboard: its status, the
caller's role, its members, its key's facts and expiry, and the health of every source it syncs.

The key is never shown: it is named only by the first characters of its keyed fingerprint, as the bot's
cabinet list names it."""

from datetime import datetime
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot.cabinets import KEY_ID_LENGTH
from adapters.inbound.http.cabinet_health import SourceHealth, StoredRows
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of, user_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import CamelSchema
from application.use_cases.cabinet_overview import CabinetView
from domain.identity import CabinetStatus, Role


class CabinetMember(CamelSchema):
    telegram_id: int
    username: str | None
    role: Role


class CabinetDetails(CamelSchema):
    id: UUID
    name: str
    status: CabinetStatus = Field(description="`invalid`: WB rejects the cabinet's key (see invalidReason).")
    invalid_reason: str | None = Field(description="Why WB rejected the key, when status is invalid.")
    role: Role = Field(description="The caller's role in the cabinet.")
    members: list[CabinetMember] = Field(description="Oldest membership first.")
    token_expires_at: datetime = Field(description="When the WB key expires.")
    token_expires_in_days: int = Field(
        description="Whole days until then, rounded down: 0 within the last day, negative once expired."
    )
    categories: list[str] = Field(description="The WB categories (scopes) the key grants, lowercase.")
    read_only: bool = Field(description="The key is read-only.")
    key_id: str = Field(description="The first characters of the key's keyed fingerprint; never the key.")
    last_sync_at: datetime | None = Field(description="The latest successful sync of any source.")
    sources: list[SourceHealth] = Field(description="Every sync source in sync order, never-synced ones too.")
    stored_rows: StoredRows = Field(description="How many rows of each kind the cabinet holds.")


def _out(view: CabinetView) -> CabinetDetails:
    cabinet, health = view.cabinet.cabinet, view.health
    synced = [s.last_success_at for s in health.sources if s.last_success_at is not None]
    return CabinetDetails(
        id=cabinet.id,
        name=cabinet.name,
        status=cabinet.status,
        invalid_reason=cabinet.invalid_reason,
        role=view.cabinet.role,
        members=[
            CabinetMember(telegram_id=m.telegram_id, username=m.username, role=m.role)
            for m in view.cabinet.members
        ],
        token_expires_at=cabinet.token_expires_at,
        token_expires_in_days=view.token_expires_in_days,
        categories=sorted(category.name.lower() for category in cabinet.categories),
        read_only=cabinet.read_only,
        key_id=cabinet.key_fingerprint[:KEY_ID_LENGTH],
        last_sync_at=max(synced, default=None),
        # The use case's attrs values carry the same field names as these schemas (as cabinet_health's).
        sources=[SourceHealth.model_validate(s, from_attributes=True) for s in health.sources],
        stored_rows=StoredRows.model_validate(health.stored, from_attributes=True),
    )


async def get_cabinet(request: web.Request) -> CabinetDetails:
    """The cabinet of `X-Cabinet-Id` as its member sees it: status, the caller's role, the members, the key's
    expiry, categories and id (never the key), and each source's sync health with the stored row counts."""
    overview = await request.app[USE_CASES].cabinet_overview()
    return _out(await overview(user_of(request), cabinet_of(request)))


ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/cabinet",
        get_cabinet,
        summary="The cabinet: members, key, sync health",
        tags=("dashboard", "cabinets"),
        responses={200: Returns("The cabinet as its member sees it", CabinetDetails)},
        guard=CABINET,
        errors=(404,),
    ),
)
