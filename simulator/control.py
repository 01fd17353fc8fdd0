"""Control API under /__sim/ (JSON, no auth). See simulator/README.md for the reference and curl examples."""

import asyncio
import json
import time

from aiohttp import web

from simulator.bot_sink import BOT
from simulator.keys import DEFAULT_CATEGORIES, positions
from simulator.pipeline import SIM, SimState
from simulator.ratelimit import LIMITS, RateLimiter
from simulator.seller import PRESETS, Seller, SellerSpec
from simulator.timeutil import DAY, parse_iso, utc_iso
from simulator.truth import truth
from simulator.truth_facts import facts
from simulator.truth_finance import finance_truth, week_truth

BIG = 200_000  # generate sellers with more orders than this off the event loop


def _json(body, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json"
    )


def _error(status: int, message: str) -> web.Response:
    return _json({"error": message}, status)


async def _body(request: web.Request) -> dict:
    raw = await request.read()
    if not raw.strip():
        return {}
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def issue_key(sim: SimState, seller: Seller, opts: dict) -> str:
    if opts.get("key_exp"):
        exp = int(parse_iso(opts["key_exp"]))
    else:
        exp = int(max(time.time(), seller.spec.start) + float(opts.get("key_ttl_days", 180)) * DAY)
    categories = opts.get("categories") or DEFAULT_CATEGORIES
    forbidden = opts.get("forbidden") or ()
    unknown = set(forbidden) - set(LIMITS)
    if unknown or isinstance(forbidden, str):
        raise ValueError(f"forbidden: a list of groups ({', '.join(LIMITS)}), got {forbidden!r}")
    return sim.keys.issue(
        seller.sid,
        exp,
        categories,
        acc=_token_type(opts.get("token_type", 3)),
        read_only=bool(opts.get("read_only", False)),
        forbidden=forbidden,
    )


def _token_type(value) -> int:
    names = {"base": 1, "test": 2, "personal": 3, "service": 4}
    return names[value] if isinstance(value, str) and value in names else int(value)


def add_seller(sim: SimState, body: dict) -> tuple[Seller, str]:
    """Create a seller synchronously (also used by `--demo-seller`)."""
    seller = Seller(SellerSpec.from_request(body), sid=body.get("sid"))
    key = issue_key(sim, seller, body)
    sim.sellers[seller.sid] = seller
    return seller, key


def _key_info(sim: SimState, key: str) -> dict:
    from simulator.keys import decode_unverified

    p = decode_unverified(key)
    return {
        "key_id": p["id"],
        "exp": utc_iso(p["exp"]),
        "categories": positions(p["s"]),
        "s": p["s"],
        "token_type": p["acc"],
        "forbidden": sorted(sim.keys.records[p["id"]].forbidden),
    }


async def create_seller(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    try:
        body = await _body(request)
        if body.get("sid") in sim.sellers:
            return _error(409, f"seller {body['sid']} exists")
        spec = SellerSpec.from_request(body)
        if spec.orders > BIG:
            seller = await asyncio.get_running_loop().run_in_executor(None, Seller, spec, body.get("sid"))
        else:
            seller = Seller(spec, sid=body.get("sid"))
        key = issue_key(sim, seller, body)
    except (ValueError, TypeError, KeyError) as exc:
        return _error(400, str(exc))
    sim.sellers[seller.sid] = seller
    return _json(
        {"seller_id": seller.sid, "api_key": key, "key": _key_info(sim, key), **seller.describe()}, 201
    )


def _seller(request: web.Request) -> Seller:
    seller = request.app[SIM].sellers.get(request.match_info["sid"])
    if seller is None:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such seller"}), content_type="application/json")
    return seller


async def list_sellers(request: web.Request) -> web.Response:
    sellers = request.app[SIM].sellers.values()
    return _json({"presets": PRESETS, "sellers": [s.describe() for s in sellers]})


async def get_seller(request: web.Request) -> web.Response:
    return _json(_seller(request).describe())


async def delete_seller(request: web.Request) -> web.Response:
    seller = _seller(request)
    sim = request.app[SIM]
    sim.keys.revoke(seller.sid)
    del sim.sellers[seller.sid]
    return _json({"deleted": seller.sid})


async def new_key(request: web.Request) -> web.Response:
    seller, sim = _seller(request), request.app[SIM]
    try:
        key = issue_key(sim, seller, await _body(request))
    except (ValueError, TypeError, KeyError) as exc:
        return _error(400, str(exc))
    return _json({"seller_id": seller.sid, "api_key": key, "key": _key_info(sim, key)}, 201)


async def advance(request: web.Request) -> web.Response:
    seller = _seller(request)
    try:
        body = await _body(request)
        if "to" in body:
            target = parse_iso(body["to"])
        else:
            minutes = (
                float(body.get("minutes", 0))
                + 60 * float(body.get("hours", 0))
                + 1440 * float(body.get("days", 0))
            )
            target = seller.clock() + minutes * 60
        before = seller.visible_orders(seller.clock())
        seller.set_clock(target)
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))
    after = seller.visible_orders(seller.clock())
    return _json({**seller.describe(), "new_orders": after - before})


async def configure(request: web.Request) -> web.Response:
    """Change rate_scale / page_cap / clock_rate / returns_negative / paid_storage_delay_s of a live
    seller."""
    seller = _seller(request)
    try:
        body = await _body(request)
        if "rate_scale" in body:
            scale = body["rate_scale"]
            if scale is not None and float(scale) <= 0:
                raise ValueError("rate_scale must be > 0 or null")
            seller.spec.rate_scale = None if scale is None else float(scale)
            seller.limiter = RateLimiter(seller.spec.rate_scale)
        if "page_cap" in body:
            if int(body["page_cap"]) < 1:
                raise ValueError("page_cap must be >= 1")
            seller.spec.page_cap = int(body["page_cap"])
        if "clock_rate" in body:
            seller.set_clock(seller.clock())
            seller.spec.clock_rate = float(body["clock_rate"])
        if "paid_storage_delay_s" in body:
            if float(body["paid_storage_delay_s"]) < 0:
                raise ValueError("paid_storage_delay_s must be >= 0")
            seller.spec.paid_storage_delay_s = float(body["paid_storage_delay_s"])
        if "returns_negative" in body:
            seller.spec.returns_negative = bool(body["returns_negative"])
            seller.cache.clear()
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))
    return _json(seller.describe())


async def set_faults(request: web.Request) -> web.Response:
    seller = _seller(request)
    try:
        seller.faults.update(await _body(request))
    except (ValueError, TypeError, AttributeError) as exc:
        return _error(400, str(exc))
    return _json(seller.faults.describe())


async def get_faults(request: web.Request) -> web.Response:
    return _json(_seller(request).faults.describe())


async def clear_faults(request: web.Request) -> web.Response:
    from simulator.faults import Faults

    seller = _seller(request)
    seller.faults = Faults(seed=seller.spec.seed)
    return _json(seller.faults.describe())


async def revoke(request: web.Request) -> web.Response:
    seller, sim = _seller(request), request.app[SIM]
    try:
        body = await _body(request)
        n = sim.keys.revoke(seller.sid, body.get("api_key"))
    except Exception as exc:  # a malformed api_key
        return _error(400, str(exc))
    return _json({"revoked": n})


async def get_truth(request: web.Request) -> web.Response:
    seller = _seller(request)
    clock = seller.ensure()
    if request.query.get("detail") == "facts":  # per order and review, for event-level checks
        return _json(facts(seller, clock))
    if request.query.get("detail") == "finance":  # weekly realization reports and paid storage
        return _json(finance_truth(seller, clock))
    if request.query.get("detail") == "week":  # one week's report and paid storage per nmId
        try:
            return _json(week_truth(seller, clock, request.query.get("monday", "")))
        except ValueError as exc:
            return _error(400, f"monday must be YYYY-MM-DD: {exc}")
    return _json(truth(seller, clock, detail=request.query.get("detail") == "ids"))


async def get_stats(request: web.Request) -> web.Response:
    seller = _seller(request)
    return _json({"seller_id": seller.sid, **seller.counters.as_dict()})


async def reset(request: web.Request) -> web.Response:
    sim = request.app[SIM]
    n = len(sim.sellers)
    sim.sellers.clear()
    sim.keys.records.clear()
    sim.unknown_auth.clear()
    if BOT in request.app:  # the bot sink's messages go too (its config stays)
        request.app[BOT].clear()
    return _json({"reset": True, "sellers_removed": n})


def add_routes(app: web.Application) -> None:
    p = "/__sim/sellers/{sid}"
    app.router.add_post("/__sim/sellers", create_seller)
    app.router.add_get("/__sim/sellers", list_sellers)
    app.router.add_get(p, get_seller)
    app.router.add_delete(p, delete_seller)
    app.router.add_post(p + "/keys", new_key)
    app.router.add_post(p + "/advance", advance)
    app.router.add_post(p + "/config", configure)
    app.router.add_post(p + "/faults", set_faults)
    app.router.add_get(p + "/faults", get_faults)
    app.router.add_delete(p + "/faults", clear_faults)
    app.router.add_post(p + "/revoke", revoke)
    app.router.add_get(p + "/truth", get_truth)
    app.router.add_get(p + "/stats", get_stats)
    app.router.add_post("/__sim/reset", reset)
