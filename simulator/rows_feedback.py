"""Feedback and return-claim rows (feedbacks-api, returns-api), built from the compact columns."""

import uuid

from simulator.catalog import mix64
from simulator.model import ORPHAN, RETURNED
from simulator.rows import Rows, rub
from simulator.timeutil import DAY, msk_micro, msk_naive, msk_offset, utc_iso

POS = ["Отличное качество", "Удобный", "Хорошая цена", "Быстрая доставка", "Как на фото", ""]
NEG = ["Маломерит", "Брак", "Не соответствует описанию", "Запах", "Долгая доставка", ""]
TEXTS = {
    1: "Ужасно, товар пришёл с браком",
    2: "Не понравилось, вернула",
    3: "Нормально, но есть недостатки",
    4: "Хороший товар, рекомендую",
    5: "Спасибо, всё подошло",
}
NAMES = ["Николай", "Анна", "Мария", "Сергей", "Елена", "Дмитрий", "Ольга", "Покупатель"]
BABLES = ["цена", "качество", "размер", "доставка", "упаковка"]


def feedback_id(rows: Rows, r: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    x, out = (mix64(rows.seed * 7 + r) << 64) | mix64(r ^ 0xFEED ^ rows.seed), []
    for _ in range(20):
        x, d = divmod(x, 62)
        out.append(alphabet[d])
    return "".join(out)


def feedback(rows: Rows, r: int, clock: float) -> dict:
    st, cat = rows.st, rows.cat
    i = st.rv_order[r]
    size = cat.sizes[st.rv_size[r]]
    p = cat.products[size.product]
    rating, flags, created = st.rv_rating[r], st.rv_flags[r], st.rv_created[r]
    orphan = i == ORPHAN  # its order predates the history: a retired product's
    parent, child = st.rv_parent[r], st.rv_child[r]
    answered = st.rv_answer[r] and created + st.rv_answer[r] <= clock
    h = mix64(rows.seed ^ (r << 8))
    has_text = bool(flags & 1)
    return {
        "id": feedback_id(rows, r),
        "text": TEXTS[rating] if has_text else "",
        "pros": POS[h % len(POS)] if has_text and rating >= 3 else "",
        "cons": NEG[h % len(NEG)] if has_text and rating <= 3 else "",
        "productValuation": rating,
        "createdDate": msk_offset(created),
        "answer": {"text": "Спасибо за отзыв!", "state": "wbRu", "editable": False} if answered else None,
        "state": "wbRu" if answered else "none",
        "productDetails": {
            "imtId": p.imt_id,
            "nmId": p.nm_id,
            "productName": p.name,
            "supplierArticle": p.article,
            "supplierName": rows.s.spec.name,
            "brandName": p.brand,
            "size": size.tech_size,
        },
        "video": None,
        "wasViewed": bool(answered or h % 3),
        "photoLinks": [
            {
                "fullSize": f"https://feedback.wbbasket.ru/{r}/fs.webp",
                "miniSize": f"https://feedback.wbbasket.ru/{r}/ms.webp",
            }
        ]
        if flags & 2
        else [],
        "userName": NAMES[h % len(NAMES)],
        "orderStatus": "buyout" if orphan or st.fate[i] != RETURNED else "returned",
        "matchingSize": "ok" if size.tech_size != "0" else "",
        "isAbleSupplierFeedbackValuation": False,
        "supplierFeedbackValuation": 0,
        "isAbleSupplierProductValuation": False,
        "supplierProductValuation": 0,
        "isAbleReturnProductOrders": False,
        "returnProductOrdersDate": None,
        "bables": [BABLES[h % len(BABLES)]] if rating >= 4 else [],
        "lastOrderShkId": mix64(r if orphan else i) % 10**10,
        "lastOrderCreatedAt": msk_offset(created - 60 * DAY if orphan else st.created[i]),
        "color": p.color,
        "subjectId": p.subject_id,
        "subjectName": p.subject,
        "parentFeedbackId": feedback_id(rows, parent) if parent >= 0 else None,
        "childFeedbackId": feedback_id(rows, child) if child >= 0 and st.rv_created[child] <= clock else None,
    }


def review_facts(rows: Rows, visible: list[int], archive: set[int], clock: float) -> list[dict]:
    """What a test needs to compute the expected reviews and events from the truth alone."""
    st = rows.st

    def ref(k: int) -> str | None:
        return feedback_id(rows, k) if k >= 0 and st.rv_created[k] <= clock else None

    return [
        {
            "id": feedback_id(rows, r),
            "created": utc_iso(st.rv_created[r]),
            "rating": st.rv_rating[r],
            "parent": ref(st.rv_parent[r]),
            "child": ref(st.rv_child[r]),
            "archive": r in archive,
            "nm_id": rows.cat.products[rows.cat.sizes[st.rv_size[r]].product].nm_id,
        }
        for r in sorted(visible, key=st.rv_created.__getitem__)
    ]


def claim_id(rows: Rows, c: int) -> str:
    return str(uuid.UUID(int=(mix64(rows.seed * 31 + c) << 64) | mix64(c ^ 0xC1A1 ^ rows.seed), version=4))


def claim(rows: Rows, c: int, clock: float) -> dict:
    st, cat = rows.st, rows.cat
    i = st.cl_order[c]
    p = cat.products[cat.sizes[st.size[i]].product]
    dt = st.cl_dt[c] + (mix64(c) % 1_000_000) / 1_000_000
    decided = st.cl_dt[c] + st.cl_decide[c] <= clock
    approved = st.cl_kind[c] == 0
    status = (2 if approved else 1) if decided else 0
    status_ex = (8 if c % 3 else 10) if decided and approved else (1 if decided else 0)
    comment = (
        "Продавец одобрил вашу заявку." if status == 2 else "Продавец отклонил заявку." if status else ""
    )
    _t, _p, finished, _f = rows.money(i)
    return {
        "id": claim_id(rows, c),
        "claim_type": 1 if c % 5 else 3,
        "status": status,
        "status_ex": status_ex,
        "nm_id": p.nm_id,
        "user_comment": "Не соответствует описанию" if approved else "Не подошёл размер",
        "wb_comment": comment,
        "dt": msk_micro(dt),
        "imt_name": p.name,
        "order_dt": msk_naive(st.created[i]),
        "dt_update": msk_micro(dt + st.cl_decide[c] if decided else dt),
        "photos": [f"//photos.wbstatic.net/claim/{claim_id(rows, c)}/1.webp"],
        "video_paths": [],
        "actions": [] if decided else ["approve1", "reject1", "rejectcustom"],
        "price": rub(finished),
        "currency_code": "643",
        "srid": rows.rid(i),
    }
