"""The demo's clocks as serve_all wires them: data and syncs on the demo's clock (accelerated, or stopped for
the browser tests), sign-in on real time, so a 5-minute login code lasts 5 real minutes at any rate."""

from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers

from adapters.outbound.clock import AcceleratedClock, StoppedClock, SystemClock
from adapters.outbound.memory.clock import ManualClock
from application.ports.system import Clock
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.runtime import _container
from tests.unit.bootstrap.test_container import SETTINGS

ANCHOR = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("demo_clock", [AcceleratedClock(ANCHOR, 120), StoppedClock(ANCHOR)])
async def test_the_demo_clock_drives_data_but_sign_in_stays_on_real_time(demo_clock: Clock) -> None:
    container = _container(SETTINGS, demo_clock)
    await init_resources(container)
    try:
        registry = use_case_registry(container)
        assert (await registry.order_statistics()).clock is demo_clock
        for name in ("issue_login_code", "exchange_login_code", "refresh_session", "logout", "authenticate"):
            assert isinstance((await getattr(registry, name)()).clock, SystemClock), name
    finally:
        await shutdown_resources(container)


async def test_outside_the_demo_sign_in_follows_the_clock_a_test_sets() -> None:
    container = build_container(SETTINGS)
    manual = ManualClock(ANCHOR)
    container.gateways.clock.override(providers.Object(manual))
    await init_resources(container)
    try:
        assert (await use_case_registry(container).issue_login_code()).clock is manual
    finally:
        await shutdown_resources(container)


def test_a_stopped_clock_stands_at_its_anchor() -> None:
    clock = StoppedClock(ANCHOR + timedelta(hours=3))
    assert clock.now() == clock.now() == ANCHOR + timedelta(hours=3)
    with pytest.raises(ValueError, match="timezone-aware"):
        StoppedClock(ANCHOR.replace(tzinfo=None))
