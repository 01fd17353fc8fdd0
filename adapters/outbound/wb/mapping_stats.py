"""Statistics rows (`supplier/orders`, `supplier/sales`) → domain objects. Dates are Moscow wall time
without a zone (→ UTC), `0001-01-01T00:00:00` means none; money is roubles as JSON numbers (the stream
parser hands fractions over as Decimal). Sales keep WB's signs: a return (`R…`) usually has negative
amounts, and the kind comes from the saleID prefix, never from the sign."""

from typing import Any
from uuid import UUID

from adapters.outbound.wb.fields import Row, build
from domain.sales import Sale
from domain.stat_orders import StatOrder


def _common(r: Row) -> dict[str, Any]:
    return {
        "nm_id": r.integer("nmId"),
        "date": r.moscow_required("date"),
        "last_change_date": r.moscow_required("lastChangeDate"),
        "total_price": r.roubles("totalPrice"),
        "discount_percent": r.decimal("discountPercent"),
        "spp": r.decimal("spp"),
        "finished_price": r.roubles("finishedPrice"),
        "price_with_disc": r.roubles("priceWithDisc"),
        "cancel_date": r.moscow("cancelDate"),
    }


def stat_order(cabinet_id: UUID, data: Any) -> StatOrder:
    r = Row(data, "statistics order")
    return build(
        r.what,
        StatOrder,
        cabinet_id=cabinet_id,
        srid=r.text("srid"),
        **_common(r),
        is_cancel=r.flag("isCancel", False),
        supplier_article=r.text("supplierArticle", ""),
        barcode=r.text("barcode", ""),
        tech_size=r.text("techSize", ""),
        brand=r.text("brand", ""),
        category=r.text("category", ""),
        subject=r.text("subject", ""),
        warehouse_name=r.text("warehouseName", ""),
        warehouse_type=r.text("warehouseType", ""),
        country_name=r.text("countryName", ""),
        oblast_okrug_name=r.text("oblastOkrugName", ""),
        region_name=r.text("regionName", ""),
        income_id=r.integer("incomeID", None),
        is_supply=r.flag("isSupply", None),
        is_realization=r.flag("isRealization", None),
        sticker=r.text("sticker", ""),
        g_number=r.text("gNumber", ""),
    )


def sale(cabinet_id: UUID, data: Any) -> Sale:
    r = Row(data, "statistics sale")
    return build(
        r.what,
        Sale,
        cabinet_id=cabinet_id,
        sale_id=r.text("saleID"),
        srid=r.text("srid"),
        supplier_article=r.text("supplierArticle", ""),
        barcode=r.text("barcode", ""),
        **_common(r),
        for_pay=r.roubles("forPay"),
        warehouse_name=r.text("warehouseName", None),
        region_name=r.text("regionName", None),
        is_cancel=r.flag("isCancel", None),
    )
