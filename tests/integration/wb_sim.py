"""A harness for the WB adapter tests: the simulator on a real loopback port, a real Redis limiter, and
an HttpWbSellerApi per simulated seller whose limiter scale matches the seller's rate_scale."""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import aiohttp
import attrs
from redis.asyncio import Redis

from adapters.outbound.redis_rate_limiter import RedisRateLimiter
from adapters.outbound.wb import HttpWbSellerApi, RetryPolicy, WbHosts, WbTransport
from application.ports.wb import WbCredentials
from simulator.app import create_app

FAST_RETRY = RetryPolicy(attempts=3, backoff_base_s=0.01, backoff_cap_s=0.05)


@attrs.define
class SimSeller:
    control: aiohttp.ClientSession
    sid: str
    key: str
    api: HttpWbSellerApi
    creds: WbCredentials

    async def _json(self, method: str, path: str, body: Any = None) -> Any:
        async with self.control.request(method, f"/__sim/sellers/{self.sid}{path}", json=body) as resp:
            assert resp.status < 300, await resp.text()
            return await resp.json()

    async def truth(self, detail: bool = False) -> dict:
        return await self._json("GET", "/truth" + ("?detail=ids" if detail else ""))

    async def stats(self) -> dict:
        return await self._json("GET", "/stats")

    async def faults(self, **config: Any) -> dict:
        return await self._json("POST", "/faults", config)

    async def new_key(self, **options: Any) -> str:
        return (await self._json("POST", "/keys", options))["api_key"]


@attrs.define
class Harness:
    base_url: str
    control: aiohttp.ClientSession
    session: aiohttp.ClientSession
    redis: Redis

    def api(self, scale: float, policy: RetryPolicy = FAST_RETRY, base_url: str | None = None, **kw: Any):
        limiter = RedisRateLimiter(self.redis, prefix=f"test:wbapi:{uuid4().hex}:", scale=scale)
        transport = WbTransport(self.session, limiter, policy=policy)
        return HttpWbSellerApi(transport, WbHosts.single(base_url or self.base_url), **kw)

    async def seller(self, rate_scale: float = 0.001, stream_chunk: int = 5000, **body: Any) -> SimSeller:
        body = {"preset": "small", "rate_scale": rate_scale, "page_cap": 500, **body}
        async with self.control.post("/__sim/sellers", json=body) as resp:
            assert resp.status == 201, await resp.text()
            data = await resp.json()
        api = self.api(rate_scale, stream_chunk=stream_chunk)
        creds = WbCredentials(cabinet_id=uuid4(), api_key=data["api_key"], seller_id=data["seller_id"])
        return SimSeller(self.control, data["seller_id"], data["api_key"], api, creds)


@asynccontextmanager
async def harness(aiohttp_server: Any, redis_url: str) -> AsyncIterator[Harness]:
    server = await aiohttp_server(create_app(secret=secrets.token_hex(16)))
    base_url = str(server.make_url("")).rstrip("/")
    redis = Redis.from_url(redis_url)
    async with aiohttp.ClientSession(base_url=base_url) as control, aiohttp.ClientSession() as session:
        yield Harness(base_url, control, session, redis)
    await redis.aclose()
