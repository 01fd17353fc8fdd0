"""Bot routes: cabinets (seed 000 §0.3, §0.4, §5, §6.1). Connect a WB key (in the query, as the seed sends
it, or in a JSON body, which keeps it out of URLs), list a user's cabinets, leave one.

A key is never echoed, logged or shown: the list names a key only by the first characters of its keyed
fingerprint (an HMAC, which reveals nothing of the key)."""

from datetime import datetime
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot import cabinet_texts as texts
from adapters.inbound.http.errors import ErrorDetail, InvalidRequest
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Reply, Returns, Route
from adapters.inbound.http.schemas import Schema
from application.use_cases.access import UserRef
from application.use_cases.connect_cabinet import ConnectStatus
from application.use_cases.list_user_cabinets import UserCabinet
from domain.identity import CabinetStatus, Role

TAGS = ("bot", "cabinets")
KEY_ID_LENGTH = 8
_USER_ID = "Our user id (from POST /users/); give it or telegram_id."
_TELEGRAM_ID = "The user's Telegram id; give it or user_id."


class UserQuery(Schema):
    user_id: int | None = Field(default=None, gt=0, description=_USER_ID)
    telegram_id: int | None = Field(default=None, gt=0, description=_TELEGRAM_ID)

    def ref(self) -> UserRef:
        return UserRef(telegram_id=self.telegram_id, user_id=self.user_id)


class ConnectFields(UserQuery):
    api_key: str | None = Field(
        default=None, min_length=1, max_length=4096, description="The WB API key; never echoed or logged."
    )
    name: str | None = Field(default=None, max_length=200, description="The cabinet's name in the bot.")


class ConnectQuery(ConnectFields):
    """The seed's form: every field in the query string."""


class ConnectBody(ConnectFields):
    """The same fields as a JSON body (preferred: a key in a URL may end up in proxies' logs)."""


class ConnectOut(Schema):
    status: ConnectStatus
    cabinet_id: UUID
    name: str
    message: str = Field(description="What happened, in Russian plain text.")
    telegram_text: str = Field(description="The same for the bot to show as is (Telegram HTML).")


class CabinetPath(Schema):
    cabinet_id: UUID


class Member(Schema):
    telegram_id: int
    username: str | None
    role: Role


class SourceSync(Schema):
    source: str
    last_success_at: datetime | None = Field(description="The source's last successful sync.")
    last_error: str | None


class CabinetOut(Schema):
    id: UUID
    name: str
    status: CabinetStatus
    invalid_reason: str | None = Field(description="Why WB rejected the key, when status is invalid.")
    role: Role = Field(description="The asking user's role in the cabinet.")
    members_count: int
    members: list[Member]
    last_sync_at: datetime | None = Field(description="The latest successful sync of any source.")
    sources: list[SourceSync]
    token_expires_at: datetime
    categories: list[str] = Field(description="The WB categories (scopes) the key grants.")
    read_only: bool
    key_id: str = Field(description="The first characters of the key's keyed fingerprint; never the key.")
    delete_after: datetime | None = Field(description="Set when no member is left: the data goes then.")
    created_at: datetime


class CabinetList(Schema):
    cabinets: list[CabinetOut]
    total: int
    telegram_text: str


class LeftOut(Schema):
    status: str = Field(description='"left".')
    cabinet_id: UUID
    members_left: int
    delete_after: datetime | None
    message: str
    telegram_text: str


async def connect_cabinet(request: web.Request, query: ConnectQuery, body: ConnectBody) -> ConnectOut | Reply:
    """Connect a WB key: a new cabinet (201), or join the seller's existing one (200, seed §5). The key is
    checked by WB first: invalid or expired → 400 with WB's reason; WB unreachable → 503, nothing stored.
    A new cabinet (or a replaced key) starts syncing at once."""
    fields = _merged(query, body)
    if not fields.api_key or not fields.api_key.strip():
        raise InvalidRequest([ErrorDetail(field="query.api_key", reason="the WB API key is required")])
    connect = await request.app[USE_CASES].connect_cabinet()
    result = await connect(fields.ref(), fields.api_key, fields.name or "")
    name = result.cabinet.name
    status = result.status
    out = ConnectOut(
        status=status,
        cabinet_id=result.cabinet.id,
        name=name,
        message=texts.CONNECT_MESSAGES[status].format(name=name),
        telegram_text=texts.connect_text(status, name),
    )
    return Reply(out, status=201) if status is ConnectStatus.CREATED else out


def _merged(query: ConnectQuery, body: ConnectBody) -> ConnectFields:
    """The fields from wherever they came; the same field given twice must agree."""
    merged: dict[str, object] = {}
    for field in ConnectFields.model_fields:
        a, b = getattr(query, field), getattr(body, field)
        if a is not None and b is not None and a != b:
            raise InvalidRequest([ErrorDetail(field=f"body.{field}", reason=f"differs from query.{field}")])
        merged[field] = b if b is not None else a
    return ConnectFields.model_validate(merged)


async def list_cabinets(request: web.Request, query: UserQuery) -> CabinetList:
    """The user's cabinets (seed §0.4, §5.3): role, members, last sync per source, the key's expiry and
    scope. 404 for an unknown user."""
    cabinets = await (await request.app[USE_CASES].list_user_cabinets())(query.ref())
    lines = [
        texts.cabinet_line(c.cabinet.name, c.cabinet.is_active, len(c.members), c.cabinet.token_expires_at)
        for c in cabinets
    ]
    out = [_cabinet(c) for c in cabinets]
    return CabinetList(cabinets=out, total=len(out), telegram_text=texts.cabinets_text(lines))


def _cabinet(c: UserCabinet) -> CabinetOut:
    cabinet = c.cabinet
    synced = [s.last_success_at for s in c.sources if s.last_success_at is not None]
    return CabinetOut(
        id=cabinet.id,
        name=cabinet.name,
        status=cabinet.status,
        invalid_reason=cabinet.invalid_reason,
        role=c.role,
        members_count=len(c.members),
        members=[Member(telegram_id=m.telegram_id, username=m.username, role=m.role) for m in c.members],
        last_sync_at=max(synced, default=None),
        sources=[
            SourceSync(source=s.source, last_success_at=s.last_success_at, last_error=s.last_error)
            for s in c.sources
        ],
        token_expires_at=cabinet.token_expires_at,
        categories=sorted(category.name.lower() for category in cabinet.categories),
        read_only=cabinet.read_only,
        key_id=cabinet.key_fingerprint[:KEY_ID_LENGTH],
        delete_after=c.delete_after,
        created_at=cabinet.created_at,
    )


async def leave_cabinet(request: web.Request, path: CabinetPath, query: UserQuery) -> LeftOut:
    """Leave the cabinet. The last member leaving keeps its data for the retention period
    (CABINET_RETENTION_DAYS) before it is deleted; joining again within it cancels the deletion.
    404 for an unknown user or cabinet, 403 if the user is not a member."""
    left = await (await request.app[USE_CASES].leave_cabinet())(query.ref(), path.cabinet_id)
    text = texts.left_text(left.name, left.delete_after)
    return LeftOut(
        status="left",
        cabinet_id=path.cabinet_id,
        members_left=left.members_left,
        delete_after=left.delete_after,
        message=text.replace("<b>", "").replace("</b>", ""),
        telegram_text=text,
    )


_ERRORS = (403, 404)
ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/wb/cabinets/",
        connect_cabinet,
        summary="Connect a WB API key: create the seller's cabinet, or join it",
        tags=TAGS,
        query=ConnectQuery,
        body=ConnectBody,
        body_required=False,
        responses={
            200: Returns("Joined the seller's cabinet, already in it, or its key replaced", ConnectOut),
            201: Returns("A new cabinet; its first sync has started", ConnectOut),
        },
        guard=BOT_SECRET,
        errors=(404, 429, 502, 503),
    ),
    Route(
        "GET",
        "/wb/cabinets/",
        list_cabinets,
        summary="The user's cabinets",
        tags=TAGS,
        query=UserQuery,
        responses={200: Returns("The user's cabinets, oldest membership first", CabinetList)},
        guard=BOT_SECRET,
        errors=(404,),
    ),
    Route(
        "DELETE",
        "/wb/cabinets/{cabinet_id}",
        leave_cabinet,
        summary="Leave a cabinet",
        tags=TAGS,
        path_params=CabinetPath,
        query=UserQuery,
        responses={200: Returns("The user left the cabinet", LeftOut)},
        guard=BOT_SECRET,
        errors=_ERRORS,
    ),
)
