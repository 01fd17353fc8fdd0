"""Dashboard sign-in (issue 10, login): one-time codes, Telegram widget sign-in, rotating refresh tokens
with reuse detection, logout, and who may see which cabinet. In-memory store, JWT adapter, manual clock."""

import uuid
from collections.abc import Mapping
from datetime import timedelta

import attrs
import pytest

from adapters.outbound.jwt_tokens import JwtAccessTokens
from application.dashboard.answers import StoredCabinetFacts
from application.ports.auth import InvalidToken
from application.use_cases.access import NotMember, UserRef
from application.use_cases.auth_session import (
    InvalidLoginCode,
    InvalidRefreshToken,
    InvalidTelegramLogin,
    SessionIssuer,
    TelegramLoginNotConfigured,
    Tokens,
)
from application.use_cases.dashboard_access import Authenticate, AuthorizeCabinet, GetMe
from application.use_cases.login_codes import ExchangeLoginCode, IssueLoginCode
from application.use_cases.refresh_session import Logout, RefreshSession
from application.use_cases.register_user import RegisterUser
from application.use_cases.telegram_login import TelegramLogin, data_check_string, widget_hash
from domain.auth import secret_hash
from domain.errors import NotFound
from domain.identity import Role
from tests.unit.use_cases.support import T0, World, wb_key

BOT_TOKEN = "123456:" + "A" * 35


@attrs.define
class Auth:
    """The sign-in use cases over one World."""

    w: World = attrs.Factory(World)
    tokens: JwtAccessTokens = attrs.Factory(lambda: JwtAccessTokens("s" * 32))
    bot_token: str | None = BOT_TOKEN

    @property
    def sessions(self) -> SessionIssuer:
        return SessionIssuer(self.tokens, uuid.uuid4)

    @property
    def issue_code(self) -> IssueLoginCode:
        return IssueLoginCode(self.w.uow, self.w.clock)

    @property
    def exchange(self) -> ExchangeLoginCode:
        return ExchangeLoginCode(self.w.uow, self.w.clock, self.sessions)

    @property
    def refresh(self) -> RefreshSession:
        return RefreshSession(self.w.uow, self.w.clock, self.sessions)

    @property
    def logout(self) -> Logout:
        return Logout(self.w.uow, self.w.clock)

    @property
    def authenticate(self) -> Authenticate:
        return Authenticate(self.tokens, self.w.clock)

    @property
    def telegram(self) -> TelegramLogin:
        register = RegisterUser(self.w.uow, self.w.clock)
        return TelegramLogin(self.w.uow, self.w.clock, self.sessions, register, self.bot_token)

    async def signed_in(self, telegram_id: int = 111) -> Tokens:
        await self.w.user(telegram_id)
        issued = await self.issue_code(UserRef(telegram_id=telegram_id))
        return await self.exchange(issued.code)


async def test_a_code_signs_its_user_in_once() -> None:
    a = Auth()
    user = await a.w.user(111)
    issued = await a.issue_code(UserRef(telegram_id=111))
    assert issued.expires_at == T0 + timedelta(minutes=5)
    assert len(issued.code) >= 43  # 256 bits, url-safe base64
    tokens = await a.exchange(issued.code)
    assert await a.authenticate(tokens.access_token) == user.id
    assert tokens.access_expires_at == T0 + timedelta(minutes=15)
    assert tokens.refresh_expires_at == T0 + timedelta(days=30)
    with pytest.raises(InvalidLoginCode):
        await a.exchange(issued.code)


async def test_only_the_hash_of_a_code_is_stored() -> None:
    a = Auth()
    await a.w.user(111)
    issued = await a.issue_code(UserRef(telegram_id=111))
    assert list(a.w.uow.store.tables.login_codes) == [secret_hash(issued.code)]


async def test_an_expired_and_an_unknown_code_are_refused_alike() -> None:
    a = Auth()
    await a.w.user(111)
    issued = await a.issue_code(UserRef(telegram_id=111))
    a.w.clock.advance(minutes=5)
    with pytest.raises(InvalidLoginCode) as expired:
        await a.exchange(issued.code)
    with pytest.raises(InvalidLoginCode) as unknown:
        await a.exchange("no-such-code")
    assert str(expired.value) == str(unknown.value)


async def test_a_code_for_an_unknown_user_is_not_found() -> None:
    with pytest.raises(NotFound):
        await Auth().issue_code(UserRef(telegram_id=999))


async def test_refresh_rotates_and_the_old_token_is_used_up() -> None:
    a = Auth()
    first = await a.signed_in()
    a.w.clock.advance(minutes=20)
    with pytest.raises(InvalidToken, match="expired"):
        await a.authenticate(first.access_token)
    second = await a.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert await a.authenticate(second.access_token) > 0
    third = await a.refresh(second.refresh_token)
    assert third.refresh_expires_at == a.w.clock.now() + timedelta(days=30)  # sliding


async def test_reusing_a_used_refresh_token_revokes_its_whole_family() -> None:
    a = Auth()
    other = await a.signed_in(222)  # another session must survive
    first = await a.signed_in()
    second = await a.refresh(first.refresh_token)
    with pytest.raises(InvalidRefreshToken):
        await a.refresh(first.refresh_token)  # the reuse
    with pytest.raises(InvalidRefreshToken):
        await a.refresh(second.refresh_token)  # the newer one is revoked too
    assert (await a.refresh(other.refresh_token)).refresh_token


async def test_an_expired_refresh_token_is_refused_without_revoking() -> None:
    a = Auth()
    first = await a.signed_in()
    a.w.clock.advance(days=30)
    with pytest.raises(InvalidRefreshToken):
        await a.refresh(first.refresh_token)
    assert all(t.revoked_at is None for t in a.w.uow.store.tables.refresh_tokens.values())


async def test_logout_ends_the_session_and_is_idempotent() -> None:
    a = Auth()
    first = await a.signed_in()
    second = await a.refresh(first.refresh_token)
    await a.logout(first.refresh_token)  # any token of the family ends it
    await a.logout(first.refresh_token)
    await a.logout("never-issued")
    with pytest.raises(InvalidRefreshToken):
        await a.refresh(second.refresh_token)


def widget(telegram_id: int = 777, **fields: object) -> dict[str, str]:
    given = {"id": telegram_id, "first_name": "Ann", "username": "ann", "auth_date": int(T0.timestamp())}
    given |= fields
    return {key: str(value) for key, value in given.items()}


def signed(fields: Mapping[str, str], bot_token: str = BOT_TOKEN) -> tuple[dict[str, str], str]:
    return dict(fields), widget_hash(fields, bot_token)


def test_the_data_check_string_is_sorted_key_value_lines_without_the_hash() -> None:
    assert data_check_string({"id": "1", "hash": "x", "auth_date": "5", "first_name": "A"}) == (
        "auth_date=5\nfirst_name=A\nid=1"
    )


async def test_a_signed_widget_payload_registers_a_new_user_and_signs_them_in() -> None:
    a = Auth()
    tokens = await a.telegram(*signed(widget(photo_url="https://t.me/i/a.jpg")))
    user_id = await a.authenticate(tokens.access_token)
    me = await GetMe(a.w.uow)(user_id)
    assert (me.user.telegram_id, me.user.username, me.user.first_name) == (777, "ann", "Ann")
    assert me.cabinets == []


async def test_a_known_user_signing_in_with_the_widget_keeps_their_id() -> None:
    a = Auth()
    user = await a.w.user(777)
    tokens = await a.telegram(*signed(widget()))
    assert await a.authenticate(tokens.access_token) == user.id


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        (signed(widget())[0] | {"first_name": "Eve"}, "hash"),
        (signed(widget())[0] | {"extra": "1"}, "hash"),
        (widget(auth_date=int((T0 - timedelta(days=1, seconds=1)).timestamp())), "day old"),
        (widget(auth_date=int((T0 + timedelta(minutes=5)).timestamp())), "future"),
    ],
)
async def test_a_tampered_or_stale_widget_payload_is_refused(fields: dict[str, str], why: str) -> None:
    a = Auth()
    good_hash = widget_hash(fields, BOT_TOKEN) if why != "hash" else signed(widget())[1]
    with pytest.raises(InvalidTelegramLogin, match=why):
        await a.telegram(fields, good_hash)
    assert a.w.uow.store.tables.users == {}


async def test_a_payload_signed_by_another_bot_is_refused() -> None:
    with pytest.raises(InvalidTelegramLogin, match="hash"):
        await Auth().telegram(*signed(widget(), bot_token="999:" + "B" * 35))


async def test_without_a_bot_token_telegram_login_is_not_configured() -> None:
    with pytest.raises(TelegramLoginNotConfigured):
        await Auth(bot_token=None).telegram(*signed(widget()))


async def test_a_member_sees_their_cabinets_and_only_those() -> None:
    a = Auth()
    ann, bob = await a.w.user(111), await a.w.user(222)
    assert ann.id is not None and bob.id is not None
    mine = (await a.w.connect(111, wb_key(sid="seller-a"), "A")).cabinet
    theirs = (await a.w.connect(222, wb_key(sid="seller-b"), "B")).cabinet
    authorize = AuthorizeCabinet(StoredCabinetFacts(a.w.uow))
    await authorize(ann.id, mine.id)
    with pytest.raises(NotMember) as foreign:
        await authorize(ann.id, theirs.id)
    with pytest.raises(NotMember) as missing:
        await authorize(ann.id, uuid.uuid4())
    assert type(foreign.value) is type(missing.value)  # no oracle: same error, same status
    me = await GetMe(a.w.uow)(ann.id)
    assert [(c.cabinet.id, c.role) for c in me.cabinets] == [(mine.id, Role.OWNER)]
