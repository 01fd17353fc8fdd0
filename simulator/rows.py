"""JSON rows in WB's shapes, built lazily from the compact columns (only for the rows actually served)."""

from simulator.catalog import CURRENCIES, RUB, mix64
from simulator.model import CANCEL_FATES, fbs_status, stages
from simulator.timeutil import DAY, MSK_OFFSET, msk_naive, utc_iso


def rub(kop: int) -> int | float:
    """Roubles as a JSON number: 1887 or 1284.01."""
    return kop // 100 if kop % 100 == 0 else round(kop / 100, 2)


class Rows:
    def __init__(self, seller) -> None:
        self.s = seller
        self.st = seller.store
        self.cat = seller.catalog
        self.seed = seller.spec.seed

    # --- identifiers (derived, never stored) ---------------------------------------------------------
    def rid(self, i: int) -> str:
        return f"{mix64(self.seed * 1_000_003 + i):016x}{mix64((self.seed << 32) ^ i ^ 0x5A5A):016x}"

    def order_uid(self, i: int) -> str:
        """The cart's id: the same for every item of one cart (FBS `orderUid`)."""
        head = self.s.cart_head(i)
        h = mix64(self.seed ^ (head * 0x9E3779B1))
        return f"{h % 900_000_000 + 100_000_000}_{self.rid(head)[::-1]}"

    def g_number(self, i: int) -> str:
        """The buyer's order number of the cart (statistics `gNumber`), shared by the cart's items."""
        return str(mix64(self.seed ^ self.s.cart_head(i)) % 10**20)

    def currency(self, i: int) -> tuple[int, float]:
        """(ISO 4217 code, roubles per unit) of the buyer's currency: the country of the order's region,
        at a rate that drifts within ±1 % from one Moscow day to the next."""
        code, rate = CURRENCIES.get(self.cat.regions[self.st.region[i]][0], (RUB, 1.0))
        if code == RUB:
            return code, rate
        day = (self.st.created[i] + MSK_OFFSET) // DAY
        return code, rate * (1 + (mix64(self.seed ^ (day * 0x51ED27)) % 201 - 100) / 10_000)

    def in_buyer_currency(self, i: int, rub_kop: int) -> int:
        """A rouble amount (kopecks) in the buyer's currency (its minor units, x100), as WB prices FBS."""
        code, rate = self.currency(i)
        return rub_kop if code == RUB else round(rub_kop / rate)

    def order_id(self, i: int) -> int:
        return self.s.id_base + i

    def sale_id(self, i: int, is_return: bool) -> str:
        return f"{'R' if is_return else 'S'}{self.s.sale_base + i:010d}"

    def money(self, i: int) -> tuple[int, int, int, int]:
        """(totalPrice, priceWithDisc, finishedPrice, forPay) in kopecks."""
        st = self.st
        total = st.price[i]
        pwd = (total * (100 - st.disc[i]) + 50) // 100
        finished = (pwd * (100 - st.spp[i]) + 50) // 100
        commission = self.cat.products[self.cat.sizes[st.size[i]].product].commission
        for_pay = (pwd * (100 - commission) + 50) // 100
        return total, pwd, finished, for_pay

    def _common_stats(self, i: int) -> dict:
        st, cat = self.st, self.cat
        size = cat.sizes[st.size[i]]
        p = cat.products[size.product]
        country, okrug, region, _office = cat.regions[st.region[i]]
        if self.s.is_fbw(i):
            warehouse, warehouse_type = cat.wb_warehouses[st.wh[i]][1], "Склад WB"
        else:
            warehouse = cat.seller_warehouses[i % len(cat.seller_warehouses)][1]
            warehouse_type = "Склад продавца"
        return {
            "warehouseName": warehouse,
            "warehouseType": warehouse_type,
            "countryName": country,
            "oblastOkrugName": okrug,
            "regionName": region,
            "supplierArticle": p.article,
            "nmId": p.nm_id,
            "barcode": size.barcode,
            "category": p.category,
            "subject": p.subject,
            "brand": p.brand,
            "techSize": size.tech_size,
            "incomeID": 0,
            "isSupply": False,
            "isRealization": True,
        }

    # --- Marketplace (FBS) --------------------------------------------------------------------------
    def fbs_order(self, i: int, clock: float, new: bool = False) -> dict:
        st, cat = self.st, self.cat
        size = cat.sizes[st.size[i]]
        p = cat.products[size.product]
        wh_id, _wh_name, office_id = cat.seller_warehouses[i % len(cat.seller_warehouses)]
        created = st.created[i]
        _total, pwd, finished, _ = self.money(i)
        age = clock - created
        sup, wb = fbs_status(st.fate[i], st.fin[i], age)
        confirm, _c, sorted_at, _r = stages(st.fate[i], st.fin[i])
        h = mix64(self.seed ^ (i * 0x9E3779B1))
        row = {
            "address": None,
            "scanPrice": finished
            if age >= sorted_at and wb not in ("declined_by_client", "canceled")
            else None,
            "deliveryType": "fbs",
            "supplyId": f"WB-GI-{10_000_000 + (created + confirm) // DAY % 9_000_000}"
            if sup != "new"
            else "",
            "orderUid": self.order_uid(i),
            "article": p.article,
            "colorCode": "",
            "rid": self.rid(i),
            "createdAt": utc_iso(created),
            "offices": [cat.regions[st.region[i]][3]],
            "skus": [size.barcode],
            "id": self.order_id(i),
            "warehouseId": wh_id,
            "officeId": office_id,
            "nmId": p.nm_id,
            "chrtId": size.chrt_id,
            "price": self.in_buyer_currency(i, finished),
            "convertedPrice": finished,
            "currencyCode": self.currency(i)[0],
            "convertedCurrencyCode": RUB,
            "cargoType": p.cargo_type,
            "crossBorderType": 0,
            "comment": "",
            "isZeroOrder": False,
            "options": {"isB2B": h % 50 == 0},
        }
        if new:
            row.pop("supplyId")
            row.update(
                ddate=_ddmmyyyy(created + 3 * DAY),
                sellerDate=_ddmmyyyy(created + DAY),
                salePrice=self.in_buyer_currency(i, pwd),
                finalPrice=self.in_buyer_currency(i, finished),
                convertedFinalPrice=finished,
                requiredMeta=[],
                optionalMeta=[],
                isPickupPointShipmentAllowed=True,
            )
        return row

    def fbs_status(self, i: int, clock: float) -> dict:
        st = self.st
        sup, wb = fbs_status(st.fate[i], st.fin[i], clock - st.created[i])
        return {
            "id": self.order_id(i),
            "isCancellable": sup in ("new", "confirm") and wb == "waiting",
            "supplierStatus": sup,
            "wbStatus": wb,
        }

    # --- Statistics ---------------------------------------------------------------------------------
    def stats_order(self, i: int, clock: float) -> dict:
        st, b = self.st, self.s.batcher
        created = st.created[i]
        lcd = b.stamp(b.batch_of(created))
        cancelled = False
        if st.fate[i] in CANCEL_FATES:
            cancel_at = created + st.fin[i]
            b2 = b.batch_of(cancel_at)
            if b.published(b2, i, clock):  # the cancellation's version of the row, once WB published it
                lcd, cancelled = b.stamp(b2), True
        total, pwd, finished, _ = self.money(i)
        row = {"date": msk_naive(created), "lastChangeDate": msk_naive(lcd), **self._common_stats(i)}
        row.update(
            totalPrice=rub(total),
            discountPercent=st.disc[i],
            spp=st.spp[i],
            finishedPrice=rub(finished),
            priceWithDisc=rub(pwd),
            isCancel=cancelled,
            cancelDate=msk_naive(created + st.fin[i]) if cancelled else "0001-01-01T00:00:00",
            sticker=str(mix64(self.seed + i) % 10**10),
            gNumber=self.g_number(i),
            srid=self.rid(i),
        )
        return row

    def sale_row(self, code: int) -> dict:
        st, b = self.st, self.s.batcher
        i, is_return = code >> 1, bool(code & 1)
        at = st.created[i] + st.fin[i] + (st.ret[i] if is_return else 0)
        total, pwd, finished, for_pay = self.money(i)
        sign = -1 if is_return and self.s.spec.returns_negative else 1
        row = {
            "date": msk_naive(at),
            "lastChangeDate": msk_naive(b.stamp(b.batch_of(at))),
            **self._common_stats(i),
        }
        row.update(
            totalPrice=rub(total),
            discountPercent=st.disc[i],
            spp=st.spp[i],
            paymentSaleAmount=0,
            forPay=rub(sign * for_pay),
            finishedPrice=rub(sign * finished),
            priceWithDisc=rub(sign * pwd),
            saleID=self.sale_id(i, is_return),
            sticker=str(mix64(self.seed + i) % 10**10),
            gNumber=self.g_number(i),
            srid=self.rid(i),
        )
        return row


def _ddmmyyyy(ts: int) -> str:
    d = msk_naive(ts)
    return f"{d[8:10]}.{d[5:7]}.{d[0:4]}"
