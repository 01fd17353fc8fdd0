import time

from simulator.seller import Seller, SellerSpec


def test_100k_orders_generate_fast_and_compact() -> None:
    """The bench_1m preset is measured by `python -m simulator.bench` (about 3-4 s, ~80 MB RSS); here a
    tenth of it keeps the default test run short."""
    t0 = time.perf_counter()
    seller = Seller(
        SellerSpec.from_request({"preset": "custom", "orders": 100_000, "days": 30, "products": 200})
    )
    elapsed = time.perf_counter() - t0
    st = seller.store
    assert len(st) == 100_000
    assert elapsed < 3.0
    per_order = sum(
        col.itemsize
        for col in (st.created, st.size, st.price, st.disc, st.spp, st.fate, st.fin, st.ret, st.wh, st.region)
    )
    assert per_order <= 32
