"""Valid domain rows for the sync tests; override what a test is about."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.ports.wb import FbsStatus
from domain.claims import Claim
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Order
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel
from tests.unit.use_cases.support import T0

M = Money(Decimal("500.00"))


def order(cab: UUID, order_id: int, created_at: datetime, **kw: object) -> Order:
    fields: dict = {
        "cabinet_id": cab, "order_id": order_id, "order_uid": f"uid{order_id}", "rid": f"rid{order_id}",
        "nm_id": 100 + order_id, "chrt_id": 7, "vendor_code": "VC", "price": M, "sale_price": M,
        "warehouse_id": 5, "created_at": created_at,
    }  # fmt: skip
    return Order(**{**fields, **kw})


def stat_order(cab: UUID, srid: str, lcd: datetime, **kw: object) -> StatOrder:
    fields: dict = {
        "cabinet_id": cab, "srid": srid, "nm_id": 1, "date": lcd, "last_change_date": lcd, "total_price": M,
        "discount_percent": Decimal("10"), "spp": Decimal("5"), "finished_price": M, "price_with_disc": M,
    }  # fmt: skip
    return StatOrder(**{**fields, **kw})


def sale(cab: UUID, sale_id: str, lcd: datetime, **kw: object) -> Sale:
    fields: dict = {
        "cabinet_id": cab, "sale_id": sale_id, "srid": "srid-" + sale_id[1:], "nm_id": 1,
        "supplier_article": "A", "barcode": "B", "date": lcd, "last_change_date": lcd, "total_price": M,
        "discount_percent": Decimal(0), "spp": Decimal(0), "for_pay": M, "finished_price": M,
        "price_with_disc": M,
    }  # fmt: skip
    return Sale(**{**fields, **kw})


def stock(cab: UUID, nm_id: int, quantity: int = 3) -> StockLevel:
    return StockLevel(cab, nm_id, None, 1, "W", quantity)


def review(cab: UUID, review_id: str, created_at: datetime = T0, rating: int = 2) -> Review:
    return Review(cab, review_id, 42, rating, created_at, text="meh")


def claim(cab: UUID, claim_id: str, created_at: datetime = T0) -> Claim:
    return Claim(cab, claim_id, 42, "srid-1", 1, 0, 0, created_at)


def status(order_id: int, supplier: SupplierStatus | None, wb: WbStatus | None) -> FbsStatus:
    return FbsStatus(order_id, supplier, wb)
