from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.claims import Claim
from domain.errors import InvalidValue
from domain.money import Money
from domain.sales import SaleKind
from tests.unit.domain.factories import CABINET, make_sale


@pytest.mark.parametrize(
    ("sale_id", "kind"),
    [
        ("S9993700024", SaleKind.SALE),
        ("R1234", SaleKind.RETURN),
        ("B777", SaleKind.OTHER),
        ("s1", SaleKind.OTHER),
    ],
)
def test_sale_kind_comes_from_the_sale_id_prefix(sale_id: str, kind: SaleKind) -> None:
    assert make_sale(sale_id).kind is kind
    assert make_sale(sale_id).is_return == (kind is SaleKind.RETURN)


def test_a_return_is_a_return_by_its_id_whatever_the_sign_of_its_amounts() -> None:
    positive = make_sale("R1", for_pay=Money.from_wb_number(100))
    negative = make_sale("S1", for_pay=Money.from_wb_number(-100))
    assert positive.is_return and not negative.is_return
    assert negative.for_pay.amount == Decimal(-100)  # stored signed, as received


def test_a_sale_needs_its_key() -> None:
    with pytest.raises(InvalidValue) as err:
        make_sale("  ")
    assert err.value.field == "sale_id"


def test_sale_dates_must_be_aware() -> None:
    with pytest.raises(InvalidValue) as err:
        make_sale(last_change_date=datetime(2022, 3, 6, 10, 11, 7))
    assert err.value.field == "last_change_date"


def test_claim_keeps_wb_codes_and_utc_times() -> None:
    claim = Claim(
        cabinet_id=CABINET,
        id="fe3e9337-e9f9-423c-8930-946a8ebef80",
        nm_id=196320101,
        srid="v5o_7143225816503318733.0.0",
        claim_type=1,
        status=0,
        status_ex=0,
        created_at=datetime(2025, 3, 26, 14, 6, 12, tzinfo=UTC),
        price=Money.from_wb_number(157),
    )
    assert claim.is_under_review
    assert claim.price == Money(Decimal(157))
    with pytest.raises(InvalidValue) as err:
        Claim(CABINET, "x", 1, None, 1, 2, 5, created_at=datetime(2025, 3, 26, 17, 6))
    assert err.value.field == "created_at"
