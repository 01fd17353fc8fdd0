"""returns-api: buyers' return claims filed within the current 14 days (by the sim clock)."""

from aiohttp import web

from simulator import errors
from simulator.queries import claim_archived, claims_visible
from simulator.rows import Rows
from simulator.rows_feedback import claim, claim_id


async def claims(request: web.Request, seller, clock: float) -> web.Response:
    q = request.query
    flag = q.get("is_archive")
    if flag is None:
        return errors.claims_error("Failed to deserialize query string: missing field `is_archive`")
    if flag.lower() not in ("true", "false"):
        return errors.claims_error(f"Failed to deserialize query string: is_archive: invalid value {flag!r}")
    try:
        limit = int(q.get("limit", "50"))
        offset = int(q.get("offset", "0"))
        nm_id = int(q["nm_id"]) if q.get("nm_id") else None
    except ValueError as exc:
        return errors.claims_error(f"Failed to deserialize query string: {exc}")
    if not 1 <= limit <= 200 or offset < 0:
        return errors.claims_error("limit must be in 1..200 and offset >= 0")
    archive = flag.lower() == "true"
    rows = Rows(seller)
    st, cat = seller.store, seller.catalog
    idx = [c for c in claims_visible(seller, clock) if claim_archived(seller, c, clock) == archive]
    if nm_id is not None:
        idx = [c for c in idx if cat.products[cat.sizes[st.size[st.cl_order[c]]].product].nm_id == nm_id]
    if q.get("id"):
        idx = [c for c in idx if claim_id(rows, c) == q["id"]]
    return errors.ok(
        {"claims": [claim(rows, c, clock) for c in idx[offset : offset + limit]], "total": len(idx)}
    )
