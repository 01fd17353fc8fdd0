"""`GET /v1/me`: the signed-in user and their cabinets (UUIDs and roles), for the dashboard's cabinet picker;
each cabinet's `id` is what the data routes take as `X-Cabinet-Id`."""

from typing import Literal
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard_guards import BEARER, user_of
from adapters.inbound.http.routing import Returns, Route
from adapters.inbound.http.schemas import CamelSchema
from application.use_cases.dashboard_access import Me


class MyCabinet(CamelSchema):
    id: UUID = Field(description="Send as `X-Cabinet-Id`.")
    name: str
    role: Literal["owner", "member"]
    status: Literal["active", "invalid"] = Field(description="`invalid`: WB rejects the cabinet's key.")


class MeOut(CamelSchema):
    id: int = Field(description="Our id of the user.")
    telegram_id: int
    username: str | None
    first_name: str | None
    last_name: str | None
    cabinets: list[MyCabinet] = Field(description="Oldest membership first; empty until one is connected.")


def _out(me: Me) -> MeOut:
    user = me.user
    assert user.id is not None
    cabinets = [
        MyCabinet(id=c.cabinet.id, name=c.cabinet.name, role=c.role.value, status=c.cabinet.status.value)
        for c in me.cabinets
    ]
    return MeOut(
        id=user.id,
        telegram_id=user.telegram_id,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        cabinets=cabinets,
    )


async def get_me(request: web.Request) -> MeOut:
    """The signed-in user and the cabinets they belong to, with their role in each."""
    me = await (await request.app[USE_CASES].get_me())(user_of(request))
    return _out(me)


ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        "/me",
        get_me,
        summary="The signed-in user and their cabinets",
        tags=("dashboard",),
        responses={200: Returns("The user and their cabinets", MeOut)},
        guard=BEARER,
        errors=(404,),
    ),
)
