"""The request pipeline every WB endpoint goes through:

auth (401) -> seller -> expiry/scope (401) -> host_down -> force_429 -> rate limit (429, counted as a
violation; a Base key on its own buckets) -> 403 for a method closed to the key -> fail_next / error_rate ->
latency -> handler -> malformed / truncated body -> headers.
"""

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from simulator import errors
from simulator.faults import error_response, malformed
from simulator.keys import AuthError, KeyRegistry, check_expiry, check_scope, refusal
from simulator.ratelimit import LIMITS

Handler = Callable[[web.Request, object, float], Awaitable[web.StreamResponse]]

ORIGINS = {
    "ping": "s2s-api-auth-catalog",
    "seller_info": "s2s-api-auth-catalog",
    "fbs": "s2s-api-auth-marketplace",
    "stats_orders": "s2s-api-auth-stat",
    "stats_sales": "s2s-api-auth-stat",
    "stocks": "s2s-api-auth-analytics",
    "feedbacks": "s2s-api-auth-feedbacks",
    "claims": "s2s-api-auth-returns",
    "finance": "s2s-finance",
    "paid_storage_create": "s2s-api-auth-analytics",
    "paid_storage_status": "s2s-api-auth-analytics",
    "paid_storage_download": "s2s-api-auth-analytics",
}


@dataclass(slots=True)
class SimState:
    keys: KeyRegistry = field(default_factory=KeyRegistry)
    sellers: dict = field(default_factory=dict)
    unknown_auth: Counter = field(default_factory=Counter)  # 401s for keys of no seller


SIM = web.AppKey("sim", SimState)


def _drop(request: web.Request) -> web.Response:
    """Abort the connection: the client sees a disconnect (nothing more is written)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=503)


def wb_endpoint(group: str, category: int | None, fn: Handler):
    origin = ORIGINS[group]

    async def handler(request: web.Request) -> web.StreamResponse:
        sim = request.app[SIM]
        try:
            rec = sim.keys.authenticate(request.headers.get("Authorization"))
        except AuthError as exc:
            sim.unknown_auth[exc.detail.split(";")[0]] += 1
            return errors.unauthorized(exc.detail, origin)
        seller = sim.sellers.get(rec.sid)
        if seller is None:
            return errors.unauthorized("token problem; token not found", origin)
        clock = seller.ensure()
        c = seller.counters
        try:
            check_expiry(rec, clock)
            check_scope(rec, category)
        except AuthError as exc:
            c.auth_failures[exc.detail.split(";")[0]] += 1
            return errors.unauthorized(exc.detail, origin)
        c.requests[group] += 1
        f = seller.faults
        if f.is_down(group, request.path):
            c.faults["host_down"] += 1
            if f.host_down_mode == "close":
                return _drop(request)
            c.by_status[group][503] += 1
            return error_response(f.rng, 503)
        retry = f.take_force_429(group)
        if retry is not None:
            c.fault_429[group] += 1
            c.by_status[group][429] += 1
            fmt = seller.limiter.fmt
            hdrs = {
                "X-Ratelimit-Retry": fmt(retry),
                "X-Ratelimit-Limit": str(LIMITS[group].burst),
                "X-Ratelimit-Reset": fmt(retry),
            }
            return errors.too_many(origin, hdrs)
        sub = request.host if group == "ping" else ""
        decision = seller.limiter.take(group, sub, rec.tier)
        if not decision.allowed:
            c.violations[group] += 1
            c.by_status[group][429] += 1
            return errors.too_many(origin, seller.limiter.headers_429(decision))
        refused = refusal(rec, group)
        if refused is not None:
            c.forbidden[group] += 1
            resp: web.StreamResponse = errors.forbidden(group, refused, origin)
        else:
            resp = await _serve(request, seller, clock, group, fn)
        remaining = seller.limiter.after_response(group, sub, resp.status, rec.tier)
        if not resp.prepared:
            resp.headers["X-Ratelimit-Remaining"] = str(
                decision.remaining if remaining is None else remaining
            )
        c.by_status[group][resp.status] += 1
        return resp

    handler.__name__ = getattr(fn, "__name__", group)
    return handler


async def _serve(request: web.Request, seller, clock: float, group: str, fn: Handler) -> web.StreamResponse:
    f, c = seller.faults, seller.counters
    status = f.take_fail_next(group)
    if status is not None:
        c.faults["fail_next"] += 1
        return _failure(f.rng, status)
    if f.roll("error_rate", group):
        c.faults["error"] += 1
        return error_response(f.rng)
    delay = f.latency_s(group)
    if delay:
        c.faults["latency"] += 1
        await asyncio.sleep(delay)
    resp = await fn(request, seller, clock)
    # Handlers answer with text=, which aiohttp keeps as bytes; a streamed or Payload body is left alone.
    if resp.status != 200 or not isinstance(resp, web.Response):
        return resp
    if not isinstance(resp.body, bytes | bytearray):
        return resp
    body = bytes(resp.body)
    if f.roll("malformed_rate", group):
        c.faults["malformed"] += 1
        resp.body = malformed(body, f.rng)
    elif f.roll("truncated_rate", group):
        c.faults["truncated"] += 1
        return await _truncate(request, resp, body)
    return resp


def _failure(rng, status: int) -> web.Response:
    if status >= 500:
        return error_response(rng, status)
    body = {"title": "simulated failure", "detail": f"fail_next {status}", "status": status}
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


async def _truncate(request: web.Request, resp: web.Response, body: bytes) -> web.StreamResponse:
    out = web.StreamResponse(status=200, headers={"Content-Type": resp.content_type + "; charset=utf-8"})
    out.content_length = len(body)
    await out.prepare(request)
    await out.write(body[: max(1, len(body) // 2)])
    _drop(request)
    return out
