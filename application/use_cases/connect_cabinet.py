"""ConnectCabinet: a user hands over a WB API key; the key becomes a cabinet, or joins them to one."""

from collections.abc import Callable
from uuid import UUID

import attrs

from application.ports.system import Clock, SecretBox
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.ports.wb import SellerInfo, WbAuthError, WbSellerApi
from application.sync.sources import CORE_CATEGORIES
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected
from domain.errors import Conflict, NotFound
from domain.identity import Cabinet, Membership, Role
from domain.wb_token import WbTokenInfo, decode_wb_token


@attrs.frozen
class ConnectResult:
    cabinet: Cabinet
    joined_existing: bool
    role: Role


@attrs.frozen
class ConnectCabinet:
    """Connect a WB key for the user with this Telegram id.

    The key is decoded locally first: a malformed key raises InvalidValue('api_key'), an expired one
    KeyExpired, one with neither Marketplace nor Statistics KeyLacksCategories, all without a WB call.
    Other missing categories are accepted; the sync skips the sources they gate. Then WB checks the key
    once: WbAuthError becomes KeyRejected(WB's reason). Nothing is stored on any failure; WbRateLimited
    and WbUnavailable propagate. NotFound('user') if the Telegram id has no user.

    The same key always lands in the same cabinet (by keyed fingerprint): a second user joins as a member,
    an invalid cabinet whose key WB accepts again is reactivated. Idempotent: repeating the call for the
    same user and key changes nothing.
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    id_factory: Callable[[], UUID]

    async def __call__(self, telegram_id: int, api_key: str, name: str) -> ConnectResult:
        api_key = api_key.strip()
        token = decode_wb_token(api_key)
        now = self.clock.now()
        if token.is_expired(now):
            raise KeyExpired(token.expires_at)
        if not token.categories & CORE_CATEGORIES:
            raise KeyLacksCategories(CORE_CATEGORIES)
        try:
            seller = await self.wb_api.check_key(api_key)
        except WbAuthError as exc:
            raise KeyRejected(exc.detail) from exc
        fingerprint = self.secret_box.fingerprint(api_key)
        try:
            return await self._store(telegram_id, api_key, name, token, seller, fingerprint)
        except Conflict:
            # Another call stored the same key between our read and our commit: join that cabinet.
            return await self._store(telegram_id, api_key, name, token, seller, fingerprint)

    async def _store(
        self, telegram_id: int, api_key: str, name: str, token: WbTokenInfo, seller: SellerInfo, fp: str
    ) -> ConnectResult:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            user = await uow.users.get_by_telegram_id(telegram_id)
            if user is None or user.id is None:
                raise NotFound("user", telegram_id)
            cabinet = await uow.cabinets.get_by_fingerprint(fp)
            joined = cabinet is not None
            if cabinet is None:
                cabinet = Cabinet(
                    id=self.id_factory(),
                    name=name.strip() or seller.name or seller.trade_mark or token.seller_id,
                    key_fingerprint=fp,
                    seller_id=token.seller_id,
                    token_expires_at=token.expires_at,
                    categories=token.categories,
                    read_only=token.read_only,
                    created_at=now,
                )
                await uow.cabinets.add(cabinet, self.secret_box.encrypt(api_key))
            elif not cabinet.is_active:
                await self._reactivate(uow, cabinet, api_key, token)
            role = await self._ensure_membership(uow, user.id, cabinet.id, joined)
            await uow.commit()
        return ConnectResult(cabinet, joined, role)

    async def _reactivate(self, uow: UnitOfWork, cabinet: Cabinet, api_key: str, token: WbTokenInfo) -> None:
        cabinet.mark_active()
        cabinet.token_expires_at = token.expires_at
        cabinet.categories = token.categories
        cabinet.read_only = token.read_only
        await uow.cabinets.update(cabinet)
        await uow.cabinets.replace_key(cabinet.id, self.secret_box.encrypt(api_key))

    async def _ensure_membership(self, uow: UnitOfWork, user_id: int, cabinet_id: UUID, joined: bool) -> Role:
        existing = await uow.memberships.get(user_id, cabinet_id)
        if existing is not None:
            return existing.role
        role = Role.MEMBER if joined else Role.OWNER
        await uow.memberships.add(Membership(user_id, cabinet_id, role, self.clock.now()))
        return role
