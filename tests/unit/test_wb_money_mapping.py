"""FBS money as WB sends it: kopecks of the buyer's currency, with `convertedPrice` in the seller's."""

import uuid
from decimal import Decimal

import pytest

from adapters.outbound.wb import mapping
from adapters.outbound.wb.errors import WbBadPayload
from domain.money import Money
from domain.orders import BuyerAmount

CAB = uuid.uuid4()


def fbs(**money: object) -> dict:
    base = {"id": 1, "rid": "r1", "nmId": 5, "chrtId": 6, "createdAt": "2026-03-01T09:00:00Z"}
    return {**base, **money}


def test_an_order_from_belarus_is_stored_in_roubles_with_the_byn_amount_beside() -> None:
    # 10.14 BYN paid, WB converted it to 283.22 RUB; the seller's price 12.54 BYN at the same rate.
    order = mapping.fbs_order(
        CAB,
        fbs(price=1014, convertedPrice=28322, salePrice=1254, currencyCode=933, convertedCurrencyCode=643),
    )
    assert order.price == Money(Decimal("283.22"))
    assert order.buyer_price == BuyerAmount(Decimal("10.14"), 933)
    assert order.buyer_sale_price == BuyerAmount(Decimal("12.54"), 933)
    assert order.sale_price == Money(Decimal("350.25"))  # 12.54 * 283.22 / 10.14 = 350.254…
    assert order.currency_code == 933


def test_a_rouble_order_needs_no_conversion() -> None:
    order = mapping.fbs_order(
        CAB, fbs(price=150000, convertedPrice=150000, salePrice=180000, currencyCode=643)
    )
    assert (order.price, order.sale_price) == (Money(Decimal(1500)), Money(Decimal(1800)))
    assert order.buyer_price == BuyerAmount(Decimal(1500), 643)


def test_an_order_without_any_currency_is_read_as_roubles() -> None:
    order = mapping.fbs_order(CAB, fbs(price=990))
    assert (order.price, order.sale_price, order.currency_code) == (Money(Decimal("9.90")), None, 643)


def test_a_foreign_order_without_converted_price_is_refused_not_read_as_roubles() -> None:
    with pytest.raises(WbBadPayload, match="convertedPrice"):
        mapping.fbs_order(CAB, fbs(price=1014, currencyCode=933))
