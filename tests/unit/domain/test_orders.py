from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidValue
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Address, CargoType
from tests.unit.domain.factories import make_order

S, W = SupplierStatus, WbStatus
AT = datetime(2026, 1, 4, 12, tzinfo=UTC)


def test_a_listed_order_has_no_status_until_the_first_fetch() -> None:
    order = make_order()
    assert order.status == (None, None)
    assert order.status_updated_at is None


def test_first_status_fetch_records_a_history_entry_and_the_update_time() -> None:
    order = make_order()
    change = order.apply_status(S.NEW, W.WAITING, AT)
    assert change is not None
    assert (change.order_id, change.previous, change.current) == (
        order.order_id,
        (None, None),
        (S.NEW, W.WAITING),
    )
    assert change.changed_at == AT == order.status_updated_at


def test_seeing_the_same_status_again_is_not_a_change() -> None:
    order = make_order(supplier_status=S.CONFIRM, wb_status=W.WAITING, status_updated_at=AT)
    assert order.apply_status(S.CONFIRM, W.WAITING, AT + timedelta(hours=1)) is None
    assert order.status_updated_at == AT


def test_wb_side_may_move_freely_while_the_seller_side_stays() -> None:
    order = make_order(supplier_status=S.COMPLETE, wb_status=W.SOLD)
    change = order.apply_status(S.COMPLETE, W.CANCELED_BY_CLIENT, AT)
    assert change is not None and change.current == (S.COMPLETE, W.CANCELED_BY_CLIENT)


def test_a_snapshot_missing_a_side_keeps_the_known_value() -> None:
    order = make_order(supplier_status=S.NEW, wb_status=W.WAITING)
    change = order.apply_status(None, W.DECLINED_BY_CLIENT, AT)
    assert change is not None
    assert order.status == (S.NEW, W.DECLINED_BY_CLIENT)


def test_observe_status_mirrors_wb_even_when_the_move_is_illegal() -> None:
    order = make_order(supplier_status=S.CANCEL, wb_status=W.CANCELED)
    change = order.observe_status(S.CONFIRM, W.WAITING, AT)
    assert change is not None and order.status == (S.CONFIRM, W.WAITING)


def test_naive_times_are_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        make_order(created_at=datetime(2026, 1, 4, 10, 30))
    assert err.value.field == "created_at"
    order = make_order()
    with pytest.raises(InvalidValue):
        order.apply_status(S.NEW, W.WAITING, datetime(2026, 1, 4, 12))
    assert order.status == (None, None)


def test_orders_are_entities_equal_by_identity_only() -> None:
    assert make_order() != make_order()


def test_negative_prices_are_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        make_order(sale_price=Money.from_kopecks(-1))
    assert err.value.field == "sale_price"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (1, CargoType.MGT),
        (2, CargoType.SGT),
        (3, CargoType.KGT),
        ("kgtPlus", CargoType.KGT),
        ("mgt", CargoType.MGT),
    ],
)
def test_cargo_codes_map_to_dashboard_strings(code: int | str, expected: CargoType) -> None:
    assert CargoType.from_wb(code) is expected


def test_dashboard_shows_cargo_as_mgt_sgt_kgt_plus() -> None:
    assert [str(c) for c in CargoType] == ["MGT", "SGT", "KGT+"]


@pytest.mark.parametrize("code", [None, 0, 4, "xxl", True])
def test_unknown_cargo_codes_give_none_rather_than_stopping_a_sync(code: object) -> None:
    assert CargoType.from_wb(code) is None  # type: ignore[arg-type]


def test_address_is_a_value_with_nullable_parts() -> None:
    assert Address("г. Москва", 37.6176, 55.7558) == Address("г. Москва", 37.6176, 55.7558)
    assert Address().full_address is None
