"""ConnectCabinet: a user hands over a WB API key; the key's seller becomes a cabinet, or they join it."""

import enum
from collections.abc import Callable
from uuid import UUID

import attrs

from application.ports.system import Clock, SecretBox, SyncScheduler
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.ports.wb import SellerInfo, WbAuthError, WbSellerApi
from application.sync.sources import CORE_CATEGORIES
from application.use_cases.access import UserRef, find_user
from application.use_cases.errors import KeyExpired, KeyLacksCategories, KeyRejected, KeyTypeRefused
from domain.errors import Conflict
from domain.identity import Cabinet, Membership, Role
from domain.wb_token import WbTokenInfo, WbTokenType, decode_wb_token

# Base: WB's own limits for it (statistics orders once per 3 h, reviews 5 per hour...) cannot keep a
# cabinet within minutes of WB; Test: sandbox only. See docs/decisions/0008-cabinet-is-a-seller.md.
REFUSED_TOKEN_TYPES = frozenset({WbTokenType.BASE, WbTokenType.TEST})


class ConnectStatus(enum.StrEnum):
    CREATED = "created"  # a new cabinet, the user its owner
    CONNECTED = "connected"  # the user joined the seller's existing cabinet
    ALREADY_CONNECTED = "already_connected"  # the user was in it and the key changed nothing
    KEY_REPLACED = "key_replaced"  # the key replaced the seller's stored one (the user joined if new)


@attrs.frozen
class ConnectResult:
    cabinet: Cabinet
    joined_existing: bool
    role: Role
    key_replaced: bool = False
    """True when this key replaced the seller's stored key (a newer key of a known seller)."""
    already_member: bool = False
    """True when the user was a member of the cabinet before this call."""

    @property
    def status(self) -> ConnectStatus:
        if not self.joined_existing:
            return ConnectStatus.CREATED
        if self.key_replaced:
            return ConnectStatus.KEY_REPLACED
        return ConnectStatus.ALREADY_CONNECTED if self.already_member else ConnectStatus.CONNECTED


@attrs.frozen
class ConnectCabinet:
    """Connect a WB key for a user (a Telegram id, or a `UserRef` naming the user by either id).

    The key is decoded locally first: a malformed key raises InvalidValue('api_key'), a Base or Test token
    KeyTypeRefused, an expired one KeyExpired, one with neither Marketplace nor Statistics
    KeyLacksCategories, all without a WB call. Other missing categories are accepted; the sync skips the
    sources they gate. Then WB checks the key once: WbAuthError (or WB naming another seller) becomes
    KeyRejected(WB's reason). Nothing is stored on any failure; WbRateLimited and WbUnavailable propagate.
    NotFound('user') if the user is unknown (never created here), checked before WB is asked.

    A cabinet is a seller (the key's `sid`): any key of a connected seller lands in its cabinet, and a
    second user joins it as a member. The newest key wins: it replaces the stored one when the cabinet is
    invalid or when it expires later than the stored key (WB keys live 180 days, so the later expiry is
    the newer key), with its own categories; history, members and COGS stay. Idempotent: repeating the
    call for the same user and key changes nothing (ALREADY_CONNECTED).

    Joining a cabinet clears its deletion mark (its last member had left, or its key had died and this one
    revived it). A new cabinet, or a replaced key, asks `sync_scheduler` for a sync at once, after the
    commit (the cron would otherwise wait for its next tick).
    """

    uow_factory: UnitOfWorkFactory
    wb_api: WbSellerApi
    secret_box: SecretBox
    clock: Clock
    id_factory: Callable[[], UUID]
    sync_scheduler: SyncScheduler

    async def __call__(self, user: int | UserRef, api_key: str, name: str) -> ConnectResult:
        ref = user if isinstance(user, UserRef) else UserRef(telegram_id=user)
        api_key = api_key.strip()
        token = decode_wb_token(api_key)
        if token.token_type is not None and token.token_type in REFUSED_TOKEN_TYPES:
            raise KeyTypeRefused(token.token_type)
        if token.is_expired(self.clock.now()):
            raise KeyExpired(token.expires_at)
        if not token.categories & CORE_CATEGORIES:
            raise KeyLacksCategories(CORE_CATEGORIES)
        async with self.uow_factory() as uow:
            await find_user(uow, ref)  # an unknown user costs no WB call
        try:
            seller = await self.wb_api.check_key(api_key)
        except WbAuthError as exc:
            raise KeyRejected(exc.detail) from exc
        if seller.seller_id != token.seller_id:
            raise KeyRejected("WB reports another seller for this key than the key itself names")
        try:
            result = await self._store(ref, api_key, name, token, seller)
        except Conflict:
            # Another call stored the same seller between our read and our commit: join that cabinet.
            result = await self._store(ref, api_key, name, token, seller)
        if result.status in (ConnectStatus.CREATED, ConnectStatus.KEY_REPLACED):
            await self.sync_scheduler.sync_now(result.cabinet.id)
        return result

    async def _store(
        self, ref: UserRef, api_key: str, name: str, token: WbTokenInfo, seller: SellerInfo
    ) -> ConnectResult:
        fingerprint = self.secret_box.fingerprint(api_key)
        async with self.uow_factory() as uow:
            user = await find_user(uow, ref)
            assert user.id is not None  # find_user returns stored users only
            cabinet = await uow.cabinets.get_by_seller_id(token.seller_id)
            joined, replaced = cabinet is not None, False
            if cabinet is None:
                cabinet = self._new_cabinet(name, token, seller, fingerprint)
                await uow.cabinets.add(cabinet, self.secret_box.encrypt(api_key))
            elif _supersedes(cabinet, token, fingerprint):
                cabinet.take_key(fingerprint, token)
                await uow.cabinets.update(cabinet)
                await uow.cabinets.replace_key(cabinet.id, self.secret_box.encrypt(api_key))
                replaced = True
            existing = await uow.memberships.get(user.id, cabinet.id)
            role = existing.role if existing else await self._join(uow, user.id, cabinet.id, joined)
            if joined:
                await uow.cabinets.cancel_deletion(cabinet.id)
            await uow.commit()
        return ConnectResult(cabinet, joined, role, replaced, already_member=existing is not None)

    def _new_cabinet(self, name: str, token: WbTokenInfo, seller: SellerInfo, fingerprint: str) -> Cabinet:
        return Cabinet(
            id=self.id_factory(),
            name=name.strip() or seller.name or seller.trade_mark or token.seller_id,
            key_fingerprint=fingerprint,
            seller_id=token.seller_id,
            token_expires_at=token.expires_at,
            categories=token.categories,
            read_only=token.read_only,
            created_at=self.clock.now(),
        )

    async def _join(self, uow: UnitOfWork, user_id: int, cabinet_id: UUID, joined: bool) -> Role:
        # The first user of a new cabinet owns it; so does one rejoining a cabinet its last member left.
        orphaned = joined and not await uow.memberships.list_for_cabinet(cabinet_id)
        role = Role.MEMBER if joined and not orphaned else Role.OWNER
        await uow.memberships.add(Membership(user_id, cabinet_id, role, self.clock.now()))
        return role


def _supersedes(cabinet: Cabinet, token: WbTokenInfo, fingerprint: str) -> bool:
    """Whether the key just checked by WB should replace the cabinet's stored key."""
    if fingerprint == cabinet.key_fingerprint:
        return not cabinet.is_active  # the same key, accepted by WB again
    return not cabinet.is_active or token.expires_at > cabinet.token_expires_at
