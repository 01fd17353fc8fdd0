"""The seller-side status table and the classifier, checked against sets written out here by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import IllegalTransition
from domain.order_status import (
    SUPPLIER_TRANSITIONS,
    ChangeKind,
    SupplierStatus,
    WbStatus,
    classify,
)
from domain.orders import Order, StatusChange
from tests.unit.domain.factories import make_order

S, W, K = SupplierStatus, WbStatus, ChangeKind

# Written independently of the module: every move two consecutive polls may legally show.
# complete -> cancel is absent: WB's cancel endpoint only works before the order is handed over.
EXPECTED_LEGAL_MOVES = {
    ("new", "confirm"),
    ("new", "complete"),  # confirmed and delivered between two polls
    ("new", "cancel"),
    ("new", "cancel_carrier"),
    ("confirm", "complete"),
    ("confirm", "cancel"),
    ("confirm", "cancel_carrier"),
    ("complete", "cancel_carrier"),
}
EXPECTED_ONE_STEP = EXPECTED_LEGAL_MOVES - {("new", "complete")}
CANCELLED_BY_HAND = {"cancel", "cancel_carrier", "canceled", "canceled_by_client", "declined_by_client"}
CANCELLED_BY_HAND |= {"defect", "canceled_by_carrier"}


def test_transition_table_lists_exactly_the_documented_single_steps() -> None:
    table = {(a.value, b.value) for a, targets in SUPPLIER_TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ONE_STEP
    assert SUPPLIER_TRANSITIONS[S.CANCEL] == frozenset() == SUPPLIER_TRANSITIONS[S.CANCEL_CARRIER]


def test_wb_status_has_the_twelve_documented_values() -> None:
    assert len(WbStatus) == 12
    assert {"waiting", "sold", "postponed_delivery", "canceled_by_carrier"} <= {w.value for w in WbStatus}


def test_cancel_then_confirm_is_rejected_naming_both_states() -> None:
    order = make_order(supplier_status=S.CANCEL, wb_status=W.CANCELED)
    with pytest.raises(IllegalTransition) as err:
        order.apply_status(S.CONFIRM, W.WAITING, datetime(2026, 1, 5, tzinfo=UTC))
    named = (err.value.machine, err.value.from_state, err.value.to_state)
    assert named == ("supplier_status", "cancel", "confirm")
    assert "cancel -> confirm" in str(err.value)
    assert order.status == (S.CANCEL, W.CANCELED)  # untouched


def test_complete_cannot_be_cancelled_by_the_seller() -> None:
    order = make_order(supplier_status=S.COMPLETE, wb_status=W.SORTED)
    with pytest.raises(IllegalTransition):
        order.apply_status(S.CANCEL, None, datetime(2026, 1, 5, tzinfo=UTC))


def test_classifier_first_sight_is_a_new_order() -> None:
    assert classify(None, (S.NEW, W.WAITING)) == {K.NEW_ORDER}
    assert classify(None, (None, None)) == {K.NEW_ORDER}


def test_classifier_first_sight_already_cancelled_reports_both() -> None:
    assert classify(None, (S.NEW, W.DECLINED_BY_CLIENT)) == {K.NEW_ORDER, K.CANCELLATION}
    assert classify(None, (S.COMPLETE, W.SOLD)) == {K.NEW_ORDER, K.BUYOUT}


def test_cancel_followed_by_wb_canceled_is_one_cancellation() -> None:
    first = classify((S.CONFIRM, W.WAITING), (S.CANCEL, W.WAITING))
    second = classify((S.CANCEL, W.WAITING), (S.CANCEL, W.CANCELED))
    assert first == {K.CANCELLATION}
    assert second == {K.PROGRESS}


def test_buyout_is_wb_entering_sold_once() -> None:
    assert classify((S.COMPLETE, W.READY_FOR_PICKUP), (S.COMPLETE, W.SOLD)) == {K.BUYOUT}
    assert classify((S.COMPLETE, W.SOLD), (S.COMPLETE, W.SOLD)) == frozenset()


def test_ordinary_progress_and_no_change() -> None:
    assert classify((S.NEW, W.WAITING), (S.CONFIRM, W.WAITING)) == {K.PROGRESS}
    assert classify((None, None), (S.NEW, W.WAITING)) == {K.PROGRESS}
    assert classify((S.NEW, W.WAITING), (S.NEW, W.WAITING)) == frozenset()
    assert classify((S.NEW, W.WAITING), (None, None)) == frozenset()  # a snapshot without statuses


def test_illegal_move_is_flagged_as_anomaly_beside_what_it_means() -> None:
    assert classify((S.CANCEL, W.CANCELED), (S.CONFIRM, W.WAITING)) == {K.PROGRESS, K.ANOMALY}
    assert classify((S.COMPLETE, W.SORTED), (S.CANCEL, W.SORTED)) == {K.CANCELLATION, K.ANOMALY}


def test_classifier_tolerates_status_strings_it_has_never_seen() -> None:
    kinds = classify((S.NEW, W.WAITING), ("brand_new_status", "whatever"))  # type: ignore[arg-type]
    assert K.ANOMALY in kinds


supplier_or_none = st.sampled_from([None, *SupplierStatus])
wb_or_none = st.sampled_from([None, *WbStatus])
observation = st.tuples(supplier_or_none, wb_or_none)


def _expected_legal(previous: str | None, new: str | None) -> bool:
    return previous is None or new is None or previous == new or (previous, new) in EXPECTED_LEGAL_MOVES


@settings(max_examples=300, deadline=None)
@given(st.lists(observation, min_size=1, max_size=12))
def test_any_status_history_classifies_and_applies_exactly_by_the_table(
    snapshots: list[tuple[SupplierStatus | None, WbStatus | None]],
) -> None:
    order = make_order()
    at = datetime(2026, 1, 4, 11, tzinfo=UTC)
    previous = None
    for step, snapshot in enumerate(snapshots):
        kinds = classify(previous, snapshot)  # never raises
        assert kinds <= set(ChangeKind)
        before = order.status
        legal = _expected_legal(before[0], snapshot[0])
        assert (K.ANOMALY in kinds) == (previous is not None and not legal)
        if legal:
            change = order.apply_status(*snapshot, at + timedelta(minutes=step))
            _check_applied(order, before, snapshot, change, kinds if previous is not None else None)
        else:
            with pytest.raises(IllegalTransition) as err:
                order.apply_status(*snapshot, at + timedelta(minutes=step))
            assert (err.value.from_state, err.value.to_state) == (before[0], snapshot[0])
            assert order.status == before
        previous = order.status


Pair = tuple[SupplierStatus | None, WbStatus | None]


def _check_applied(
    order: Order,
    before: Pair,
    snapshot: Pair,
    change: StatusChange | None,
    kinds: frozenset[ChangeKind] | None,
) -> None:
    expected = tuple(new if new is not None else old for old, new in zip(before, snapshot, strict=True))
    assert order.status == expected
    assert (change is None) == (expected == before)
    if change is not None:
        assert (change.previous, change.current) == (before, expected)
        assert order.status_updated_at == change.changed_at
    if kinds is not None:
        was = any(s in CANCELLED_BY_HAND for s in before if s)
        now = any(s in CANCELLED_BY_HAND for s in expected if s)
        assert (K.CANCELLATION in kinds) == (now and not was)
        assert (K.BUYOUT in kinds) == (expected[1] == "sold" and before[1] != "sold")
        assert (K.PROGRESS in kinds) == (expected != before and not kinds & {K.CANCELLATION, K.BUYOUT})
