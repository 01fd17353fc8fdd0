"""WB JSON → domain objects for Marketplace (FBS), seller info, stocks, feedbacks and claims.

Statistics rows are in `mapping_stats`. FBS money is kopecks of the buyer's currency; we store roubles
(`convertedPrice`) with the buyer's amount and currency beside them (docs/metrics.md). `createdAt` is UTC
RFC3339. `sale_price`: `/api/v3/orders/new` sends `salePrice`, `/api/v3/orders` does not (reference §2.1),
so there it is None and the stored value is kept (decision 0003).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.outbound.wb.errors import WbBadPayload
from adapters.outbound.wb.fields import Row, build
from application.ports.wb import FbsStatus, SellerInfo
from domain.claims import Claim
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import RUB, Address, BuyerAmount, CargoType, Order, at_order_rate
from domain.reviews import Review
from domain.stocks import StockLevel


def items(body: Any, what: str, *path: str) -> Sequence[Any]:
    """The list at `path` inside an answer (`items(b, "x", "data", "items")`); WbBadPayload if absent."""
    node = body
    for key in path:
        node = Row(node, what).data.get(key)
    if not isinstance(node, list):
        raise WbBadPayload(f"{what}.{'.'.join(path)}", f"expected a list, got {type(node).__name__}")
    return node


def seller_info(body: Any) -> SellerInfo:
    r = Row(body, "seller-info")
    return SellerInfo(seller_id=r.text("sid"), name=r.text("name", ""), trade_mark=r.text("tradeMark", ""))


def _utc(r: Row, key: str) -> datetime:
    value = r.convert(key, datetime.fromisoformat, r.text(key))
    if value.tzinfo is None:
        raise r.fail(key, "expected a time with a zone (UTC)")
    return value


def _address(r: Row | None) -> Address | None:
    if r is None:
        return None
    lon, lat = r.raw("longitude"), r.raw("latitude")
    num = (int, float)
    return Address(
        full_address=r.text("fullAddress", None),
        longitude=float(lon) if isinstance(lon, num) else None,
        latitude=float(lat) if isinstance(lat, num) else None,
    )


def _money(r: Row) -> tuple[Money, BuyerAmount, BuyerAmount | None, Money | None]:
    """(price in roubles, buyer's price, buyer's salePrice, salePrice in roubles); see docs/metrics.md.

    `price`/`salePrice`/`finalPrice` are in the buyer's currency (`currencyCode`), `convertedPrice` in the
    seller's (`convertedCurrencyCode`, 643). Without `convertedPrice` only a rouble order can be stored:
    a foreign one would be kopecks of another currency read as roubles, so it is refused."""
    code = r.integer("currencyCode", RUB)
    buyer = BuyerAmount(r.kopecks("price").amount, code)
    if r.raw("convertedPrice") is not None:
        price = r.kopecks("convertedPrice")
    elif code == RUB:
        price = Money(buyer.amount)
    else:
        raise r.fail("convertedPrice", f"missing for an order in currency {code}")
    sale = BuyerAmount(r.kopecks("salePrice").amount, code) if r.raw("salePrice") is not None else None
    return price, buyer, sale, None if sale is None else at_order_rate(sale, buyer, price)


def fbs_order(cabinet_id: UUID, data: Any) -> Order:
    r = Row(data, "FBS order")
    price, buyer_price, buyer_sale_price, sale_price = r.convert("price", _money, r)
    options = r.obj("options")
    return build(
        r.what,
        Order,
        cabinet_id=cabinet_id,
        order_id=r.integer("id"),
        order_uid=r.text("orderUid", ""),
        rid=r.text("rid"),
        nm_id=r.integer("nmId"),
        chrt_id=r.integer("chrtId"),
        vendor_code=r.text("article", ""),
        price=price,
        sale_price=sale_price,
        buyer_price=buyer_price,
        buyer_sale_price=buyer_sale_price,
        warehouse_id=r.integer("warehouseId", None),
        created_at=_utc(r, "createdAt"),
        delivery_type=r.text("deliveryType", None) or "fbs",
        is_b2b=bool(options and options.flag("isB2B", False)),
        cargo_type=CargoType.from_wb(r.raw("cargoType")),
        address=_address(r.obj("address")),
    )


def _enum(enum_cls: type[SupplierStatus] | type[WbStatus], value: str | None) -> Any:
    try:
        return None if value is None else enum_cls(value)
    except ValueError:
        return None


def fbs_status(data: Any) -> FbsStatus:
    """Unknown status strings give None with the raw value kept (raw_* is set only then)."""
    r = Row(data, "FBS status")
    sup, wb = r.text("supplierStatus", None), r.text("wbStatus", None)
    supplier, wb_status = _enum(SupplierStatus, sup), _enum(WbStatus, wb)
    return FbsStatus(
        order_id=r.integer("id"),
        supplier=supplier,
        wb=wb_status,
        raw_supplier=sup if supplier is None else None,
        raw_wb=wb if wb_status is None else None,
    )


def stock(cabinet_id: UUID, data: Any) -> StockLevel:
    r = Row(data, "stocks item")
    return build(
        r.what,
        StockLevel,
        cabinet_id=cabinet_id,
        nm_id=r.integer("nmId"),
        chrt_id=r.integer("chrtId", None),
        warehouse_id=r.integer("warehouseId", None),
        warehouse_name=r.text("warehouseName", ""),
        quantity=r.integer("quantity", 0),
        in_way_to_client=r.integer("inWayToClient", 0),
        in_way_from_client=r.integer("inWayFromClient", 0),
    )


def _answered(r: Row) -> bool:
    answer = r.obj("answer")
    return bool(answer and answer.text("text", "").strip()) or r.raw("state") == "wbRu"


def review(cabinet_id: UUID, data: Any) -> Review:
    r = Row(data, "feedback")
    product = r.obj("productDetails") or Row({}, f"{r.what}.productDetails")
    return build(
        r.what,
        Review,
        cabinet_id=cabinet_id,
        id=r.text("id"),
        nm_id=product.integer("nmId"),
        rating=r.integer("productValuation"),
        created_at=r.moscow_required("createdDate"),
        text=r.text("text", ""),
        pros=r.text("pros", ""),
        cons=r.text("cons", ""),
        is_answered=_answered(r),
        product_name=product.text("productName", None),
        supplier_article=product.text("supplierArticle", None),
        parent_id=r.text("parentFeedbackId", None) or None,
        child_id=r.text("childFeedbackId", None) or None,
    )


def claim(cabinet_id: UUID, data: Any, is_archive: bool) -> Claim:
    """`dt`, `dt_update`, `order_dt` are Moscow time without a zone (reference §2.4); price is roubles."""
    r = Row(data, "claim")
    return build(
        r.what,
        Claim,
        cabinet_id=cabinet_id,
        id=r.text("id"),
        nm_id=r.integer("nm_id"),
        srid=r.text("srid", None),
        claim_type=r.integer("claim_type"),
        status=r.integer("status"),
        status_ex=r.integer("status_ex", 0),
        created_at=r.moscow_required("dt"),
        updated_at=r.moscow("dt_update"),
        order_date=r.moscow("order_dt"),
        user_comment=r.text("user_comment", ""),
        wb_comment=r.text("wb_comment", ""),
        is_archive=is_archive,
        price=r.roubles("price", None),
        product_name=r.text("imt_name", None),
    )
