"""Simulator tests: real HTTP over loopback (pytest-aiohttp's aiohttp_client)."""

from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from simulator.app import create_app

Client = TestClient


@pytest.fixture
async def client(aiohttp_client) -> Client:
    return await aiohttp_client(create_app())


@pytest.fixture
def make_seller(client: Client) -> Callable[..., Awaitable[tuple[str, str]]]:
    """Create a seller through the control API; limits are off unless rate_scale is given."""

    async def make(**body) -> tuple[str, str]:
        body.setdefault("preset", "small")
        body.setdefault("rate_scale", None)
        resp = await client.post("/__sim/sellers", json=body)
        assert resp.status == 201, await resp.text()
        data = await resp.json()
        return data["seller_id"], data["api_key"]

    return make
