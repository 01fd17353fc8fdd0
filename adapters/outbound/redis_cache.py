"""The Cache port over Redis: byte values under one key prefix, with expiry."""

from redis.asyncio import Redis


class RedisCache:
    """Implements application.ports.Cache. Keys are namespaced by `prefix` so deployments can share Redis."""

    def __init__(self, client: Redis, prefix: str = "wbpulse:cache:") -> None:
        self._client = client
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        value = await self._client.get(self._prefix + key)
        if value is None or isinstance(value, bytes):
            return value
        return str(value).encode()

    async def set(self, key: str, value: bytes, ttl_s: int) -> None:
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        await self._client.set(self._prefix + key, value, ex=ttl_s)

    async def incr(self, key: str) -> int:
        return int(await self._client.incr(self._prefix + key))

    async def delete(self, key: str) -> None:
        await self._client.delete(self._prefix + key)
