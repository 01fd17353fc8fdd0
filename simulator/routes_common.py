"""common-api and every host's /ping."""

from aiohttp import web

from simulator import errors
from simulator.timeutil import msk_offset


async def ping(request: web.Request, seller, clock: float) -> web.Response:
    return errors.ok({"TS": msk_offset(clock), "Status": "OK"})


async def seller_info(request: web.Request, seller, clock: float) -> web.Response:
    s = seller.spec
    return errors.ok({"name": s.name, "sid": seller.sid, "tin": seller.tin, "tradeMark": s.trade_mark})
