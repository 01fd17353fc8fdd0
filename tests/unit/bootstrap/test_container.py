"""The container wires real adapters by default and lets tests swap any of them."""

import base64

from dependency_injector import providers

from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from bootstrap.container import build_container, init_resources, resolve, shutdown_resources
from bootstrap.settings import load_settings

SETTINGS = load_settings(
    {
        # Nothing listens here: building and starting the container connects to nothing.
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "API_SECRET_KEY": "CnWvwoDwwGKh",
        "JWT_SECRET": "j" * 32,
        "ENCRYPTION_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
    }
)


async def test_defaults_are_the_real_adapters_and_resources_start_lazily() -> None:
    container = build_container(SETTINGS)
    await init_resources(container)
    try:
        assert isinstance(await resolve(container.unit_of_work_factory), PostgresUnitOfWorkFactory)
        assert [check.name for check in await resolve(container.health_checks)] == ["postgres", "redis"]
        box = container.secret_box()
        assert box.decrypt(box.encrypt("wb-key")) == "wb-key"
    finally:
        await shutdown_resources(container)


async def test_unit_of_work_can_be_overridden_with_the_in_memory_one() -> None:
    container = build_container(SETTINGS)
    memory = InMemoryUnitOfWorkFactory()
    with container.unit_of_work_factory.override(providers.Object(memory)):
        assert await resolve(container.unit_of_work_factory) is memory
    assert isinstance(await resolve(container.unit_of_work_factory), PostgresUnitOfWorkFactory)
    await shutdown_resources(container)
