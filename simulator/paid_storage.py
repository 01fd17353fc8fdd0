"""Paid storage per day, size and WB warehouse, from the same stock the stocks report serves.

A day's rows are the stock rows in stock at the end of that Moscow day (`queries.stocks`), each charged
`quantity x TARIFF[cargoType]` kopecks; days before the seller's history have none. So the storage lines of
the finance report (their `paidStorage`) add up to this report over the same days.
"""

from simulator.queries import stocks
from simulator.rows import rub
from simulator.timeutil import DAY, MSK_OFFSET, msk_date

TARIFF = {1: 13, 2: 95, 3: 240}  # kopecks per unit per day by cargoType
VOLUME = {1: 2, 2: 40, 3: 160}  # litres per unit


def history_first_day(seller) -> int:
    return (seller.spec.start - seller.spec.days * DAY + MSK_OFFSET) // DAY


def day_rows(seller, day: int) -> list[tuple[int, int, int, int]]:
    """(size index, warehouse index, quantity, kopecks) of a Moscow day number, in stock only."""
    if day < history_first_day(seller):
        return []
    key = ("paid_storage", day)
    cached = seller.cache.get(key)
    if cached is not None:
        return cached
    cat = seller.catalog
    end = (day + 1) * DAY - MSK_OFFSET - 1
    out = []
    for size, wh, qty, _to, _from in stocks(seller, end):
        if qty > 0:
            cargo = cat.products[cat.sizes[size].product].cargo_type
            out.append((size, wh, qty, qty * TARIFF[cargo]))
    seller.cache[key] = out
    return out


def storage_total(seller, day: int) -> int:
    """Kopecks charged for the day."""
    return sum(r[3] for r in day_rows(seller, day))


def row_json(seller, day: int, row: tuple[int, int, int, int]) -> dict:
    cat = seller.catalog
    size_i, wh_i, qty, kop = row
    size = cat.sizes[size_i]
    p = cat.products[size.product]
    office, warehouse = cat.wb_warehouses[wh_i][0], cat.wb_warehouses[wh_i][1]
    return {
        "date": msk_date(day * DAY), "logWarehouseCoef": 1, "officeId": office, "warehouse": warehouse,
        "warehouseCoef": 1.7, "giId": 0, "chrtId": size.chrt_id, "size": size.tech_size,
        "barcode": size.barcode, "subject": p.subject, "brand": p.brand, "vendorCode": p.article,
        "nmId": p.nm_id, "volume": VOLUME[p.cargo_type] * qty, "calcType": "короба: без габаритов",
        "warehousePrice": rub(kop), "barcodesCount": qty, "palletPlaceCode": 0, "palletCount": 0,
        "originalDate": msk_date(day * DAY), "loyaltyDiscount": 0, "tariffFixDate": "",
        "tariffLowerDate": "",
    }  # fmt: skip
