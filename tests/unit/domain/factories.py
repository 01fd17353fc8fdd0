"""Builders for domain objects in tests: valid defaults, override what the test is about."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from domain.money import Money
from domain.orders import Order
from domain.reviews import Review
from domain.sales import Sale

CABINET = UUID("00000000-0000-0000-0000-0000000000c1")
T0 = datetime(2026, 1, 4, 10, 30, tzinfo=UTC)


def make_order(**overrides: object) -> Order:
    fields: dict[str, object] = {
        "cabinet_id": CABINET,
        "order_id": 13833711,
        "order_uid": "165918930_629fbc924b984618a44354475ca58675",
        "rid": "f884001e44e511edb8780242ac120002",
        "nm_id": 123456789,
        "chrt_id": 987654321,
        "vendor_code": "one-ring-7548",
        "price": Money.from_kopecks(150000),
        "sale_price": Money.from_kopecks(120000),
        "warehouse_id": 658434,
        "created_at": T0,
    }
    fields.update(overrides)
    return Order(**fields)  # type: ignore[arg-type]


def make_sale(sale_id: str = "S9993700024", **overrides: object) -> Sale:
    fields: dict[str, object] = {
        "cabinet_id": CABINET,
        "sale_id": sale_id,
        "srid": "11.rf9ef11fce1684117b0nhj96222982382.3.0",
        "nm_id": 1234567,
        "supplier_article": "12345",
        "barcode": "123453559000",
        "date": T0,
        "last_change_date": T0,
        "total_price": Money.from_wb_number(1887),
        "discount_percent": Decimal(18),
        "spp": Decimal(20),
        "for_pay": Money.from_wb_number(1284.01),
        "finished_price": Money.from_wb_number(1145),
        "price_with_disc": Money.from_wb_number(1547),
    }
    fields.update(overrides)
    return Sale(**fields)  # type: ignore[arg-type]


def make_review(rating: int = 2, **overrides: object) -> Review:
    fields: dict[str, object] = {
        "cabinet_id": CABINET,
        "id": "YX52RZEBhH9mrcYdEJuD",
        "nm_id": 987654321,
        "rating": rating,
        "created_at": T0,
        "text": "Спасибо, всё подошло",
    }
    fields.update(overrides)
    return Review(**fields)  # type: ignore[arg-type]
