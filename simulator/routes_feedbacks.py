"""feedbacks-api: /api/v1/feedbacks (isAnswered true / false) and /api/v1/feedbacks/archive.

The three sets partition every visible review: answered (until WB archives it: at once or within 3 days),
unanswered (for 30 days), archive (the rest, reviews without text or photos at once, and the old version of
an edited review, with `childFeedbackId`)."""

from aiohttp import web

from simulator import errors
from simulator.queries import feedback_sets
from simulator.rows import Rows
from simulator.rows_feedback import feedback

MAX_TAKE, MAX_SKIP = 5000, 199_990


def _paging(request: web.Request) -> tuple[int, int, int | None, str] | web.Response:
    q = request.query
    try:
        take, skip = int(q["take"]), int(q["skip"])
    except KeyError as exc:
        return errors.feedbacks_error(400, f"Плохой формат {exc.args[0]}")
    except ValueError:
        return errors.feedbacks_error(400, "Плохой формат take/skip")
    if not 1 <= take <= MAX_TAKE or not 0 <= skip <= MAX_SKIP:
        return errors.feedbacks_error(400, "Некорректные значения take/skip: take <= 5000, skip <= 199990")
    order = q.get("order", "dateDesc")
    if order not in ("dateAsc", "dateDesc"):
        return errors.feedbacks_error(400, "Плохой формат order")
    try:
        nm_id = int(q["nmId"]) if q.get("nmId") else None
    except ValueError:
        return errors.feedbacks_error(400, "Плохой формат nmId")
    return take, skip, nm_id, order


def _filter(seller, idx: list[int], nm_id, order: str, date_from=None, date_to=None) -> list[int]:
    st, cat = seller.store, seller.catalog
    if nm_id is not None:
        idx = [r for r in idx if cat.products[cat.sizes[st.rv_size[r]].product].nm_id == nm_id]
    if date_from is not None:
        idx = [r for r in idx if st.rv_created[r] >= date_from]
    if date_to is not None:
        idx = [r for r in idx if st.rv_created[r] <= date_to]
    return idx[::-1] if order == "dateAsc" else idx


def _envelope(data: dict) -> web.Response:
    return errors.ok({"data": data, "error": False, "errorText": "", "additionalErrors": None})


async def feedbacks(request: web.Request, seller, clock: float) -> web.Response:
    answered_raw = request.query.get("isAnswered", "").lower()
    if answered_raw not in ("true", "false"):
        return errors.feedbacks_error(400, "Плохой формат isAnswered")
    p = _paging(request)
    if isinstance(p, web.Response):
        return p
    take, skip, nm_id, order = p
    try:
        date_from = int(request.query["dateFrom"]) if request.query.get("dateFrom") else None
        date_to = int(request.query["dateTo"]) if request.query.get("dateTo") else None
    except ValueError:
        return errors.feedbacks_error(400, "Плохой формат dateFrom")
    answered, unanswered, archive = feedback_sets(seller, clock)
    idx = _filter(
        seller, answered if answered_raw == "true" else unanswered, nm_id, order, date_from, date_to
    )
    rows = Rows(seller)
    return _envelope(
        {
            "countUnanswered": len(unanswered),
            "countArchive": len(archive),
            "feedbacks": [feedback(rows, r, clock) for r in idx[skip : skip + take]],
        }
    )


async def feedbacks_archive(request: web.Request, seller, clock: float) -> web.Response:
    p = _paging(request)
    if isinstance(p, web.Response):
        return p
    take, skip, nm_id, order = p
    idx = _filter(seller, feedback_sets(seller, clock)[2], nm_id, order)
    rows = Rows(seller)
    return _envelope({"feedbacks": [feedback(rows, r, clock) for r in idx[skip : skip + take]]})
