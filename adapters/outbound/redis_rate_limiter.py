"""A GCRA token bucket in Redis: one key per (seller, WB method group), shared by all workers.

Redis' own clock (TIME inside the script) is the single time source, so workers on different machines
with skewed clocks still pace correctly. State per key is one number: the theoretical arrival time (TAT).
"""

from redis.asyncio import Redis

from adapters.outbound.wb.limits import Limit

# ARGV: interval, burst, cost, max_wait, mode (reserve | charge | block | settle), block_seconds
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local max_wait = tonumber(ARGV[4])
local mode = ARGV[5]
local tau = (burst - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local ttl = math.ceil(tat - now + tau + interval * cost) + 60
if mode == 'block' then
  local until_tat = now + tonumber(ARGV[6]) + tau
  if until_tat > tat then tat = until_tat end
  redis.call('SET', KEYS[1], tostring(tat), 'EX', math.ceil(tat - now) + 60)
  return '0'
end
if mode == 'settle' then
  if now + interval > tat then
    redis.call('SET', KEYS[1], tostring(now + interval), 'EX', math.ceil(interval) + 60)
  end
  return '0'
end
if mode == 'charge' then
  redis.call('SET', KEYS[1], tostring(tat + cost * interval), 'EX', ttl)
  return '0'
end
local go = tat - tau
local wait = go - now
if wait < 0 then wait = 0 end
if wait > max_wait then return tostring(-wait) end
redis.call('SET', KEYS[1], tostring(tat + cost * interval), 'EX', ttl)
return tostring(wait)
"""


class RedisRateLimiter:
    """Implements adapters.outbound.wb.limits.RateLimiter over Redis.

    `scale` multiplies every interval (1.0 = WB's documented pacing; tests against the simulator
    run with a small scale that the simulator mirrors).
    """

    def __init__(self, redis: Redis, prefix: str = "wbpulse:ratelimit:", scale: float = 1.0) -> None:
        self._redis = redis
        self._prefix = prefix
        self._scale = scale
        self._script = redis.register_script(_SCRIPT)

    async def _run(
        self, key: str, limit: Limit, cost: int, max_wait: float, mode: str, block: float
    ) -> float:
        args: list[float | str] = [limit.interval_s * self._scale, limit.burst, cost, max_wait, mode, block]
        result = await self._script(keys=[self._prefix + key], args=args)
        return float(result)

    async def reserve(self, key: str, limit: Limit, cost: int, max_wait_s: float) -> float:
        return await self._run(key, limit, cost, max_wait_s, "reserve", 0)

    async def charge(self, key: str, limit: Limit, cost: int) -> None:
        await self._run(key, limit, cost, 0, "charge", 0)

    async def settle(self, key: str, limit: Limit) -> None:
        await self._run(key, limit, 0, 0, "settle", 0)

    async def block_for(self, key: str, limit: Limit, seconds: float) -> None:
        await self._run(key, limit, 0, 0, "block", seconds)
