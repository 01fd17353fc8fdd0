"""The container wires real adapters by default, lets tests swap any gateway, and hands inbound adapters a
registry with one factory per use case."""

import base64

import attrs
from dependency_injector import providers

from adapters.outbound.clock import SystemClock
from adapters.outbound.memory import InMemoryUnitOfWorkFactory
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.registry import UseCases
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
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
        assert isinstance(await container.gateways.unit_of_work_factory(), PostgresUnitOfWorkFactory)
        assert [check.name for check in await container.gateways.health_checks()] == ["postgres", "redis"]
        box = await container.gateways.secret_box()
        assert box.decrypt(box.encrypt("wb-key")) == "wb-key"
    finally:
        await shutdown_resources(container)


async def test_every_use_case_of_the_registry_is_built_with_the_overridden_gateway() -> None:
    container = build_container(SETTINGS)
    memory = InMemoryUnitOfWorkFactory()
    await init_resources(container)
    try:
        registry = use_case_registry(container)
        with container.gateways.unit_of_work_factory.override(providers.Object(memory)):
            for field in attrs.fields(UseCases):
                use_case = await getattr(registry, field.name)()
                assert use_case is not None
                if hasattr(use_case, "uow_factory"):
                    assert use_case.uow_factory is memory, field.name
            sync = await registry.sync_cabinet()
        assert sync.uow_factory is memory
        after = await registry.register_user()
        assert isinstance(after.uow_factory, PostgresUnitOfWorkFactory)
    finally:
        await shutdown_resources(container)


async def test_the_registry_keeps_its_use_case_until_a_gateway_is_overridden_or_resources_restart() -> None:
    container = build_container(SETTINGS)
    await init_resources(container)
    try:
        registry = use_case_registry(container)
        first = await registry.authenticate()
        assert await registry.authenticate() is first  # made once: no per-request async-mode resolution
        clock = SystemClock()
        with container.gateways.clock.override(providers.Object(clock)):
            overridden = await registry.authenticate()
            assert overridden is not first and overridden.clock is clock
            assert await registry.authenticate() is overridden
        after = await registry.authenticate()
        assert after is not overridden and after.clock is not clock
    finally:
        await shutdown_resources(container)
    restarted = await registry.authenticate()
    assert restarted is not after  # resources stopped: made again
