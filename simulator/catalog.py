"""A seller's static world: products with sizes, WB warehouses, seller warehouses, buyer regions.

Everything is derived from the seller's seed; nothing here changes with the sim clock.
"""

import random
from dataclasses import dataclass

M64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread hash used to derive ids from (seed, index)."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


# (subjectId, subject, category, base price in roubles, cargoType, commission %)
SUBJECTS = [
    (219, "Футболки-поло", "Одежда", 1490, 1, 25),
    (192, "Футболки", "Одежда", 990, 1, 25),
    (11, "Платья", "Одежда", 3290, 1, 25),
    (105, "Кроссовки", "Обувь", 4590, 1, 23),
    (1446, "Мультистайлеры", "Бытовая техника", 6990, 1, 19),
    (3979, "Кабели", "Электроника", 390, 1, 17),
    (8402, "Формы для запекания", "Посуда и инвентарь", 890, 1, 20),
    (1322, "Рюкзаки", "Аксессуары", 2790, 1, 22),
    (2806, "Пылесосы", "Бытовая техника", 12990, 2, 18),
    (7310, "Кресла компьютерные", "Мебель", 15990, 3, 17),
]
SIZE_SETS = [["0"], ["0"], ["S", "M", "L"], ["XS", "S", "M", "L", "XL"], ["40", "41", "42", "43", "44"]]
CLOTHES = {"Одежда", "Обувь"}
BRANDS = ["Flax Store", "Бест Трикотаж", "NordLine", "Домашний уют", "ТехноДом", "Urban Step"]
COLORS = ["черный", "белый", "синий", "серый", "бежевый", "красный"]
# (warehouseId, warehouseName, regionName) of WB warehouses, weight
WB_WAREHOUSES = [
    (507, "Коледино", "Центральный", 5),
    (117501, "Подольск", "Центральный", 4),
    (120762, "Электросталь", "Центральный", 3),
    (117986, "Казань", "Приволжский", 2),
    (130744, "Краснодар", "Южный", 2),
    (1733, "Екатеринбург - Испытателей 14г", "Уральский", 1),
]
# (countryName, oblastOkrugName, regionName, office name), weight
REGIONS = [
    ("Россия", "Центральный федеральный округ", "Московская", "Подольск", 9),
    ("Россия", "Центральный федеральный округ", "Москва", "Москва", 8),
    ("Россия", "Северо-Западный федеральный округ", "Санкт-Петербург", "Санкт-Петербург", 5),
    ("Россия", "Приволжский федеральный округ", "Татарстан", "Казань", 3),
    ("Россия", "Южный федеральный округ", "Краснодарский", "Краснодар", 3),
    ("Россия", "Уральский федеральный округ", "Свердловская", "Екатеринбург", 2),
    ("Россия", "Сибирский федеральный округ", "Новосибирская", "Новосибирск", 2),
    ("Беларусь", "Минская область", "Минская", "Минск", 1),
    ("Казахстан", "Алматинская область", "Алматы", "Алматы", 1),
    ("Армения", "Ереван", "Ереван", "Ереван", 0.5),
    ("Кыргызстан", "Чуйская область", "Бишкек", "Бишкек", 0.5),
    ("Узбекистан", "Ташкентская область", "Ташкент", "Ташкент", 0.5),
]
# The buyer's currency by country (ISO 4217 numeric) and roubles per unit of it (late 2026, roughly): an
# order from abroad is priced in the buyer's currency on the Marketplace API, in roubles in the statistics.
RUB = 643
CURRENCIES = {"Беларусь": (933, 28.4), "Казахстан": (398, 0.166), "Армения": (51, 0.205),
              "Кыргызстан": (417, 0.915), "Узбекистан": (860, 0.0066)}  # fmt: skip
# Products the seller no longer sells: no orders and no stock, but old buyers still review them.
RETIRED_PRODUCTS = 2


@dataclass(frozen=True, slots=True)
class Product:
    nm_id: int
    imt_id: int
    article: str
    name: str
    brand: str
    subject_id: int
    subject: str
    category: str
    color: str
    cargo_type: int
    commission: int  # percent
    discount: int  # seller discount, percent
    price_kop: int  # list price (totalPrice) in kopecks


@dataclass(frozen=True, slots=True)
class Size:
    product: int  # index into Catalog.products
    chrt_id: int
    tech_size: str
    barcode: str


@dataclass(slots=True)
class Catalog:
    products: list[Product]
    sizes: list[Size]
    size_weights: list[float]  # order popularity per size (sums to 1)
    seller_warehouses: list[tuple[int, str, int]]  # (warehouseId, name, officeId)
    wb_warehouses: list[tuple[int, str, str]]
    wh_weights: list[float]
    regions: list[tuple[str, str, str, str]]
    region_weights: list[float]
    retired: int = 0  # the last `retired` products (and their sizes) never get an order


def _retired(seed: int, products: list[Product], sizes: list[Size], weights: list[float]) -> None:
    """Append RETIRED_PRODUCTS products with weight 0 (own RNG stream: the others do not change)."""
    rng = random.Random(f"retired:{seed}")
    base = products[-1].nm_id + 1_000 if products else 900_000_000
    for k in range(RETIRED_PRODUCTS):
        subject_id, subject, category, base_price, cargo, commission = SUBJECTS[rng.randrange(len(SUBJECTS))]
        color = COLORS[rng.randrange(len(COLORS))]
        nm_id = base + k * 7
        products.append(
            Product(nm_id=nm_id, imt_id=nm_id // 3 + 1_000_000, article=f"OLD-{k + 1:04d}/{color}",
                    name=f"{subject} (снят с продажи) {color}", brand=BRANDS[0], subject_id=subject_id,
                    subject=subject, category=category, color=color, cargo_type=cargo, commission=commission,
                    discount=0, price_kop=base_price * 100)
        )  # fmt: skip
        chrt = nm_id * 3 + 10_000_000_000
        sizes.append(
            Size(product=len(products) - 1, chrt_id=chrt, tech_size="0", barcode=f"20{chrt % 10**11:011d}")
        )
        weights.append(0.0)


def build_catalog(seed: int, n_products: int) -> Catalog:
    rng = random.Random(f"catalog:{seed}")
    products: list[Product] = []
    sizes: list[Size] = []
    weights: list[float] = []
    nm_base = 100_000_000 + (mix64(seed) % 300_000_000)
    for p in range(n_products):
        subj = SUBJECTS[rng.randrange(len(SUBJECTS))]
        subject_id, subject, category, base_price, cargo, commission = subj
        brand = BRANDS[rng.randrange(len(BRANDS))]
        color = COLORS[rng.randrange(len(COLORS))]
        nm_id = nm_base + p * 7 + rng.randrange(7)
        price = int(base_price * (0.6 + rng.random() * 0.9)) * 100
        products.append(
            Product(
                nm_id=nm_id,
                imt_id=nm_id // 3 + 1_000_000,
                article=f"{subject[:3].upper()}-{p + 1:04d}/{color}",
                name=f"{subject[:-1] if subject.endswith('ы') else subject} {brand} {color}",
                brand=brand,
                subject_id=subject_id,
                subject=subject,
                category=category,
                color=color,
                cargo_type=cargo,
                commission=commission,
                discount=rng.choice([0, 5, 10, 15, 20, 25, 30, 40, 50]),
                price_kop=price,
            )
        )
        size_set = SIZE_SETS[rng.randrange(2, 5)] if category in CLOTHES else ["0"]
        popularity = 1.0 / (p + 1) ** 0.9  # Zipf-like: a few products sell most
        for s_i, tech in enumerate(size_set):
            chrt = nm_id * 3 + 10_000_000_000 + s_i
            sizes.append(Size(product=p, chrt_id=chrt, tech_size=tech, barcode=f"20{chrt % 10**11:011d}"))
            weights.append(popularity * (1.6 if 0 < s_i < len(size_set) - 1 else 1.0))
    total = sum(weights)
    _retired(seed, products, sizes, weights)
    wh_seller = [(600_000 + seed % 90_000, "Склад продавца Москва", 123)]
    if rng.random() < 0.5:
        wh_seller.append((700_000 + seed % 90_000, "Склад продавца Казань", 305))
    wbw = [(w[0], w[1], w[2]) for w in WB_WAREHOUSES]
    wbw_w = [float(w[3]) for w in WB_WAREHOUSES]
    return Catalog(
        products=products,
        sizes=sizes,
        size_weights=[w / total for w in weights],
        seller_warehouses=wh_seller,
        wb_warehouses=wbw,
        wh_weights=[w / sum(wbw_w) for w in wbw_w],
        regions=[r[:4] for r in REGIONS],
        region_weights=[float(r[4]) for r in REGIONS],
        retired=RETIRED_PRODUCTS,
    )
