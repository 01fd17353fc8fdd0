"""RegisterUser: the bot tells us who a Telegram user is; we keep one user per Telegram id."""

import attrs

from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWorkFactory
from domain.errors import Conflict
from domain.identity import User
from domain.notifications import NotificationSettings


@attrs.frozen
class Registration:
    user: User
    created: bool


@attrs.frozen
class RegisterUser:
    """Create the user for `telegram_id`, or update the names of the one that exists (and `updated_at`).
    A new user gets the default notification settings in the same transaction (a user registered before
    settings existed gets them at the next call).

    Idempotent: the same call twice leaves one user with the same names (`created` is False the second
    time). Two racing first calls both end with the one stored user. InvalidValue for a bad id or name
    (raised by the domain before anything is stored).
    """

    uow_factory: UnitOfWorkFactory
    clock: Clock

    async def __call__(
        self,
        telegram_id: int,
        username: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Registration:
        wanted = User(telegram_id=telegram_id, username=username, first_name=first_name, last_name=last_name)
        try:
            return await self._store(wanted)
        except Conflict:  # a racing call created the user between our read and our commit
            return await self._store(wanted)

    async def _store(self, wanted: User) -> Registration:
        async with self.uow_factory() as uow:
            user = await uow.users.get_by_telegram_id(wanted.telegram_id)
            created = user is None
            if user is None:
                now = self.clock.now()
                user = await uow.users.add(attrs.evolve(wanted, created_at=now, updated_at=now))
            elif (user.username, user.first_name, user.last_name) != _names(wanted):
                user = attrs.evolve(
                    user,
                    username=wanted.username,
                    first_name=wanted.first_name,
                    last_name=wanted.last_name,
                    updated_at=self.clock.now(),
                )
                await uow.users.update(user)
            assert user.id is not None  # the repository assigned it
            await uow.notification_settings.add_if_missing(user.id, NotificationSettings())
            await uow.commit()
            return Registration(user, created=created)


def _names(user: User) -> tuple[str | None, str | None, str | None]:
    return user.username, user.first_name, user.last_name
