"""What a seller's orders went through, as visible at the sim clock, for tests that compute the events a
sync should have told independently of how the sync reads WB: one entry per order (srid) and per review.

Times are unix seconds (None: not happened or not visible yet). An event is visible through any source
that shows it: the Marketplace API shows an FBS order's cancellation or sale at once (its status), the
statistics API only once the row's batch is published; FBW orders exist only in statistics.
"""

from simulator.model import CANCEL_FATES, RETURNED, SOLD_FATES
from simulator.queries import feedback_sets, order_batch_at
from simulator.rows import Rows
from simulator.rows_feedback import feedback_id


def _published(seller, at: int, row: int, clock: float) -> bool:
    """`row`: the order index for its statistics order row, `~code` for a sale row (model.Batcher)."""
    b = seller.batcher
    return b.published(b.batch_of(at), row, clock)


def _order(seller, rows: Rows, i: int, clock: float) -> dict | None:
    st = seller.store
    created, fate, fin = st.created[i], st.fate[i], st.fin[i]
    fbw = seller.is_fbw(i)
    if fbw and order_batch_at(seller, i, clock) is None:
        return None  # an FBW order not yet in statistics is invisible
    end = created + fin
    seen_at_once = not fbw and end <= clock  # FBS: the status shows it
    cancelled = fate in CANCEL_FATES and (seen_at_once or _published(seller, end, i, clock))
    sold = fate in SOLD_FATES and (seen_at_once or _published(seller, end, ~(2 * i), clock))
    returned_at = end + st.ret[i] if fate == RETURNED else None
    returned = returned_at is not None and _published(seller, returned_at, ~(2 * i + 1), clock)
    return {
        "srid": rows.rid(i),
        "fbw": fbw,
        "order_id": None if fbw else rows.order_id(i),
        "g_number": rows.g_number(i),
        "created": created,
        "cancelled_at": end if cancelled else None,
        "sold_at": end if sold else None,
        "sale_id": rows.sale_id(i, False) if sold else None,
        "returned_at": returned_at if returned else None,
        "return_id": rows.sale_id(i, True) if returned else None,
    }


def facts(seller, clock: float) -> dict:
    rows = Rows(seller)
    orders = [o for i in range(seller.visible_orders(clock)) if (o := _order(seller, rows, i, clock))]
    answered, unanswered, archive = feedback_sets(seller, clock)
    st = seller.store
    visible = answered + unanswered + archive
    shown = set(visible)

    def version(r: int) -> str | None:
        return feedback_id(rows, r) if r >= 0 and r in shown else None

    reviews = [
        {
            "id": feedback_id(rows, r),
            "created": st.rv_created[r],
            "rating": st.rv_rating[r],
            "parent": version(st.rv_parent[r]),  # the version this one edits (parentFeedbackId)
            "child": version(st.rv_child[r]),  # the version that replaced this one (childFeedbackId)
        }
        for r in visible
    ]
    return {"orders": orders, "reviews": reviews}
