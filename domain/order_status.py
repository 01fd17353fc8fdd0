"""FBS order statuses: the seller-side machine (a transition table) and the change classifier.

WB reports two statuses per assembly order (reference/wb-api.md §2.1): `supplierStatus`, moved by the
seller's own actions, and `wbStatus`, WB's side, for which WB documents no machine. We learn both by
polling, so what we see is a sequence of snapshots, not of moves.
"""

import enum

from domain.errors import IllegalTransition


class SupplierStatus(enum.StrEnum):
    NEW = "new"
    CONFIRM = "confirm"
    COMPLETE = "complete"
    CANCEL = "cancel"
    CANCEL_CARRIER = "cancel_carrier"


class WbStatus(enum.StrEnum):
    WAITING = "waiting"
    SORTED = "sorted"
    SOLD = "sold"
    CANCELED = "canceled"
    CANCELED_BY_CLIENT = "canceled_by_client"
    DECLINED_BY_CLIENT = "declined_by_client"
    DEFECT = "defect"
    READY_FOR_PICKUP = "ready_for_pickup"
    POSTPONED_DELIVERY = "postponed_delivery"
    ACCEPTED_BY_CARRIER = "accepted_by_carrier"
    SENT_TO_CARRIER = "sent_to_carrier"
    CANCELED_BY_CARRIER = "canceled_by_carrier"


_S = SupplierStatus

# One seller-side step at a time, as WB documents the moves (03-orders-fbs.yaml, POST /api/v3/orders/status):
# - new → confirm (added to a supply), confirm → complete (supply handed over for delivery);
# - new/confirm → cancel: PATCH /api/v3/orders/{orderId}/cancel says an order "can be cancelled until it is
#   handed over to Wildberries", and `complete` means handed over, so complete → cancel is NOT allowed;
# - cancel_carrier ("cancelled by the carrier, cross-border only") can strike any non-final state;
# - cancel and cancel_carrier are final.
SUPPLIER_TRANSITIONS: dict[SupplierStatus, frozenset[SupplierStatus]] = {
    _S.NEW: frozenset({_S.CONFIRM, _S.CANCEL, _S.CANCEL_CARRIER}),
    _S.CONFIRM: frozenset({_S.COMPLETE, _S.CANCEL, _S.CANCEL_CARRIER}),
    _S.COMPLETE: frozenset({_S.CANCEL_CARRIER}),
    _S.CANCEL: frozenset(),
    _S.CANCEL_CARRIER: frozenset(),
}


def _reachable(start: SupplierStatus) -> frozenset[SupplierStatus]:
    seen: set[SupplierStatus] = set()
    frontier = list(SUPPLIER_TRANSITIONS[start])
    while frontier:
        state = frontier.pop()
        if state not in seen:
            seen.add(state)
            frontier.extend(SUPPLIER_TRANSITIONS[state])
    return frozenset(seen)


# What two consecutive polls may show: any state reachable by steps of the table. A seller can add an order
# to a supply and deliver it between two polls (or while our worker is down), so new → complete is a real
# observation, not an error; cancel → confirm or complete → new still are.
OBSERVABLE_SUPPLIER_MOVES: dict[SupplierStatus, frozenset[SupplierStatus]] = {
    state: _reachable(state) for state in SupplierStatus
}

CANCELLED_SUPPLIER = frozenset({_S.CANCEL, _S.CANCEL_CARRIER})
CANCELLED_WB = frozenset(
    {
        WbStatus.CANCELED,
        WbStatus.CANCELED_BY_CLIENT,
        WbStatus.DECLINED_BY_CLIENT,
        WbStatus.DEFECT,
        WbStatus.CANCELED_BY_CARRIER,
    }
)

StatusPair = tuple[SupplierStatus | None, WbStatus | None]


def is_legal_supplier_move(previous: SupplierStatus | None, new: SupplierStatus | None) -> bool:
    """True unless both states are known, differ, and the table cannot lead from one to the other.

    An unknown side (None) is not a move: the first status we learn is legal whatever it is, and a
    snapshot without a status keeps the one we had.
    """
    if previous is None or new is None or previous == new:
        return True
    # .get: a status string WB invents tomorrow is an anomaly to report, not a crash.
    return new in OBSERVABLE_SUPPLIER_MOVES.get(previous, frozenset())


def check_supplier_move(previous: SupplierStatus | None, new: SupplierStatus | None) -> None:
    """Raise IllegalTransition("supplier_status", previous, new) if the move is not legal."""
    if not is_legal_supplier_move(previous, new):
        raise IllegalTransition("supplier_status", str(previous), str(new))


def is_cancelled(status: StatusPair) -> bool:
    supplier, wb = status
    return supplier in CANCELLED_SUPPLIER or wb in CANCELLED_WB


class ChangeKind(enum.StrEnum):
    NEW_ORDER = "new_order"
    CANCELLATION = "cancellation"
    BUYOUT = "buyout"
    PROGRESS = "progress"
    ANOMALY = "anomaly"


def merge_observation(previous: StatusPair, new: StatusPair) -> StatusPair:
    """The state after a snapshot: a side the snapshot does not report (None) keeps its last value."""
    return (
        new[0] if new[0] is not None else previous[0],
        new[1] if new[1] is not None else previous[1],
    )


def classify(previous: StatusPair | None, new: StatusPair) -> frozenset[ChangeKind]:
    """What a snapshot means for notifications. Total: never raises, whatever the pair.

    - previous None (never seen the order): NEW_ORDER, plus CANCELLATION/BUYOUT when the order is first
      seen already cancelled/sold, because the seller never heard of the steps in between.
    - CANCELLATION only on ENTERING the cancelled family (either side), so `cancel` followed by wb
      `canceled` is one cancellation; BUYOUT when wb enters `sold`.
    - PROGRESS: any other change of either side; nothing changed gives the empty set.
    - ANOMALY is added (never alone when something changed) when the seller-side move is not possible by
      the table, e.g. cancel → confirm; the caller still records what WB says and may log the oddity.
    """
    base: StatusPair = (None, None) if previous is None else previous
    current = merge_observation(base, new)
    kinds: set[ChangeKind] = set()
    if previous is None:
        kinds.add(ChangeKind.NEW_ORDER)
    if is_cancelled(current) and (previous is None or not is_cancelled(base)):
        kinds.add(ChangeKind.CANCELLATION)
    if current[1] == WbStatus.SOLD and (previous is None or base[1] != WbStatus.SOLD):
        kinds.add(ChangeKind.BUYOUT)
    if not kinds and current != base:
        kinds.add(ChangeKind.PROGRESS)
    if not is_legal_supplier_move(base[0], current[0]):
        kinds.add(ChangeKind.ANOMALY)
    return frozenset(kinds)
