"""Bot routes: users (seed 000 §0.2, §5.1). `POST /users/` registers or updates a Telegram user."""

from datetime import datetime
from typing import Annotated

from aiohttp import web
from pydantic import AfterValidator, Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Reply, Returns, Route
from adapters.inbound.http.schemas import BIGINT, Schema
from domain.identity import User


def _no_at(value: str) -> str:
    return value.removeprefix("@")


# What the document says is exactly what is accepted (no silent trimming that would accept more).
Name = Annotated[str, Field(max_length=64)] | None
Username = Annotated[str, Field(pattern=r"^@?[A-Za-z0-9_]{1,32}$"), AfterValidator(_no_at)] | None


class UserIn(Schema):
    telegram_id: int = Field(gt=0, le=BIGINT, description="The user's Telegram id.")
    username: Username = Field(default=None, description="Telegram username; a leading @ is dropped.")
    first_name: Name = Field(
        default=None, description="Up to 64 characters (Telegram's limit); empty is null."
    )
    last_name: Name = Field(
        default=None, description="Up to 64 characters (Telegram's limit); empty is null."
    )


class UserOut(Schema):
    id: int = Field(description="Our id of the user: the `user_id` of the other bot endpoints.")
    telegram_id: int
    username: str | None
    first_name: str | None
    last_name: str | None
    created_at: datetime
    updated_at: datetime = Field(description="When the names last changed (created_at until then).")


async def register_user(request: web.Request, body: UserIn) -> UserOut | Reply:
    """Create the user (201) or update their names (200); the answer is the stored user either way.
    A new user gets the default notification settings (everything on)."""
    register = await request.app[USE_CASES].register_user()
    done = await register(body.telegram_id, body.username, body.first_name or None, body.last_name or None)
    user = _out(done.user)
    return Reply(user, status=201) if done.created else user


def _out(user: User) -> UserOut:
    assert user.id is not None and user.created_at is not None
    return UserOut(
        id=user.id,
        telegram_id=user.telegram_id,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        created_at=user.created_at,
        updated_at=user.updated_at or user.created_at,
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/users/",
        register_user,
        summary="Register a Telegram user, or update their names",
        tags=("bot", "users"),
        body=UserIn,
        responses={
            200: Returns("The user existed; their names are as given now", UserOut),
            201: Returns("The user was created, with default notification settings", UserOut),
        },
        guard=BOT_SECRET,
    ),
)
