"""lastChangeDate paging against a WB that returns rows with lastChangeDate >= dateFrom, sorted and
truncated at a cap: nothing lost, nothing duplicated, always terminates."""

from datetime import datetime, timedelta
from uuid import UUID

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.sync.run import SyncSettings
from application.sync.stat_paging import StatPageTracker
from domain.wb_token import WbCategory
from tests.unit.use_cases import builders as b
from tests.unit.use_cases.support import T0, World

START = T0 - timedelta(days=30)


async def stored_stat_orders(w: World, cabinet_id: UUID) -> int:
    async with w.uow() as uow:
        return await uow.stat_orders.count(cabinet_id)


@attrs.frozen
class Row:
    key: int
    last_change_date: datetime


def wb_page(rows: list[Row], date_from: datetime, cap: int) -> list[Row]:
    return sorted((r for r in rows if r.last_change_date >= date_from), key=lambda r: r.last_change_date)[
        :cap
    ]


# Few distinct timestamps so that many rows share one (the boundary case).
offsets = st.lists(st.integers(min_value=0, max_value=12), min_size=0, max_size=60)


def cap_for(offs: list[int], extra: int) -> int:
    most = max((offs.count(o) for o in set(offs)), default=0)
    return most + 1 + extra


@given(offs=offsets, extra=st.integers(0, 10), chunk=st.integers(1, 7))
def test_paging_loses_nothing_duplicates_nothing_and_terminates(
    offs: list[int], extra: int, chunk: int
) -> None:
    rows = [Row(i, START + timedelta(minutes=o)) for i, o in enumerate(offs)]
    cap = cap_for(offs, extra)
    stored: dict[int, Row] = {}
    inserted = 0
    date_from, pages = START, 0
    while True:
        pages += 1
        assert pages <= len(rows) + 2, "paging did not terminate"
        tracker = StatPageTracker(date_from)
        page = wb_page(rows, date_from, cap)
        for i in range(0, len(page), chunk):
            tracker.observe(page[i : i + chunk])
            for r in page[i : i + chunk]:
                inserted += r.key not in stored
                stored[r.key] = r
        outcome = tracker.outcome()
        if outcome.done:
            break
        assert outcome.next_date_from > date_from  # progress
        date_from = outcome.next_date_from
    assert sorted(stored) == [r.key for r in rows]
    assert inserted == len(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=offsets,
    later=st.lists(st.integers(0, 12), max_size=20),
    extra=st.integers(0, 5),
    chunk=st.integers(1, 5),
)
async def test_sync_cabinet_takes_every_statistics_row_exactly_once(
    first: list[int], later: list[int], extra: int, chunk: int
) -> None:
    w = World(settings=SyncSettings())
    clock, wb = w.clock, w.wb
    cabinet_id = await w.cabinet(categories={WbCategory.STATISTICS})
    wb.chunk = chunk
    rows = [b.stat_order(cabinet_id, f"a{i}", START + timedelta(minutes=o)) for i, o in enumerate(first)]
    top = max(first, default=0)
    # Rows changed after the first sync carry a lastChangeDate at or after the cursor, as at WB.
    rows2 = [
        b.stat_order(cabinet_id, f"b{i}", START + timedelta(minutes=top + o)) for i, o in enumerate(later)
    ]
    wb.stat_cap = max(cap_for(first, extra), cap_for([top + o for o in later] + first, extra))
    w.settings = SyncSettings(stats_page_rows=wb.stat_cap)  # pages under half the cap are the last ones
    sync = w.sync
    wb.stat_rows = rows
    assert (await sync(cabinet_id)).source("stat_orders").error is None
    assert await stored_stat_orders(w, cabinet_id) == len({r.srid for r in rows})
    wb.stat_rows = rows + rows2
    clock.advance(minutes=2)
    report = await sync(cabinet_id)
    assert report.source("stat_orders").error is None
    assert await stored_stat_orders(w, cabinet_id) == len({r.srid for r in rows + rows2})
    assert report.source("stat_orders").written == len(rows2)
