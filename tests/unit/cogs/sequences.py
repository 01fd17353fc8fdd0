"""Random sequences of COGS writes through the use cases, checked against a per-day model after every step.

The model (`DayModel`, the domain property test's) knows nothing of windows: it maps each day to the version
costing it. A correction is a delete then an add of the same version; a bulk upload is its rows' adds, all
or nothing. After every step no two live windows of a SKU overlap, and (`full=True`) every day's valid_at
answer is the model's.
"""

import copy
import itertools
import uuid
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from application.cogs.bulk import BulkRejected
from application.cogs.writes import WindowConflict
from domain.errors import NotFound
from tests.unit.cogs.support import Cogs
from tests.unit.domain.test_cogs_properties import BASE, HORIZON, DayModel

NMS = (1, 2)
_window = (st.integers(0, 35), st.one_of(st.none(), st.integers(0, 12)))
creates = st.tuples(st.just("create"), st.sampled_from(NMS), *_window)
updates = st.tuples(st.just("update"), st.integers(0, 30), *_window)
deletes = st.tuples(st.just("delete"), st.integers(0, 30))
bulks = st.tuples(
    st.just("bulk"), st.lists(st.tuples(st.sampled_from(NMS), *_window), min_size=1, max_size=4)
)
operations = st.lists(st.one_of(creates, creates, updates, deletes, bulks), min_size=1, max_size=14)


def raw(nm: int, first: int, length: int | None, cost: int) -> dict[str, object]:
    start = BASE + timedelta(days=first)
    end = None if length is None else start + timedelta(days=length)
    return {"nm_id": nm, "unit_cost": cost, "valid_from": start, "valid_to": end}


class Run:
    """The system under test and the model, stepped together."""

    def __init__(self, c: Cogs) -> None:
        self.c = c
        self.models = {nm: DayModel() for nm in NMS}
        self.known: list[tuple[int, uuid.UUID, int]] = []  # (nm, id, model id) of every version created
        self.vid_of: dict[uuid.UUID, int] = {}
        self.vids = itertools.count(1)

    def _created(self, nm: int, version_id: uuid.UUID, vid: int) -> None:
        self.known.append((nm, version_id, vid))
        self.vid_of[version_id] = vid

    async def step(self, op: tuple[Any, ...], cost: int) -> None:
        await getattr(self, op[0])(*op[1:], cost=cost)

    async def create(self, nm: int, first: int, length: int | None, cost: int) -> None:
        vid = next(self.vids)
        allowed = self.models[nm].add(vid, first, _last(first, length))
        try:
            done = await self.c.create(self.c.cabinet, raw(nm, first, length, cost))
        except WindowConflict:
            assert not allowed
            return
        assert allowed
        self._created(nm, done.version.id, vid)

    async def update(self, pick: int, first: int, length: int | None, cost: int) -> None:
        if not self.known:
            return
        nm, version_id, vid = self.known[pick % len(self.known)]
        trial = copy.deepcopy(self.models[nm])
        live = trial.delete(vid)
        allowed = live and trial.add(vid, first, _last(first, length))
        try:
            await self.c.update(self.c.cabinet, version_id, raw(nm, first, length, cost))
        except NotFound:
            assert not live
            return
        except WindowConflict:
            assert live and not allowed
            return
        assert allowed
        self.models[nm] = trial

    async def delete(self, pick: int, cost: int) -> None:
        if not self.known:
            return
        nm, version_id, vid = self.known[pick % len(self.known)]
        allowed = self.models[nm].delete(vid)
        try:
            await self.c.delete(self.c.cabinet, version_id)
        except NotFound:
            assert not allowed
            return
        assert allowed

    async def bulk(self, rows: list[tuple[int, int, int | None]], cost: int) -> None:
        trial = copy.deepcopy(self.models)
        vids = [next(self.vids) for _ in rows]
        allowed = len({(nm, first) for nm, first, _ in rows}) == len(rows)
        for vid, (nm, first, length) in zip(vids, rows, strict=True):
            allowed = trial[nm].add(vid, first, _last(first, length)) and allowed
        try:
            done = await self.c.bulk(self.c.cabinet, [raw(nm, f, n, cost) for nm, f, n in rows])
        except BulkRejected:
            assert not allowed
            return
        assert allowed
        self.models = trial
        for vid, version in zip(vids, done.created, strict=True):
            self._created(version.nm_id, version.id, vid)

    async def check(self, full: bool) -> None:
        async with self.c.uow() as uow:
            live = await uow.cogs.versions_for(self.c.cabinet, NMS, BASE, BASE + timedelta(days=10 * HORIZON))
        for earlier, later in itertools.pairwise(live):
            if earlier.nm_id == later.nm_id:
                assert earlier.valid_to is not None and earlier.valid_to < later.valid_from, (earlier, later)
        if full:
            for nm in NMS:
                for day in range(HORIZON):
                    found = (await self.c.get(self.c.cabinet, nm, BASE + timedelta(days=day))).version
                    got = None if found is None else self.vid_of[found.id]
                    assert got == self.models[nm].owner.get(day), (nm, day)


def _last(first: int, length: int | None) -> int | None:
    return None if length is None else first + length


async def run(c: Cogs, ops: list[tuple[Any, ...]], check_every_day_each_step: bool) -> None:
    r = Run(c)
    for n, op in enumerate(ops, start=1):
        await r.step(op, cost=n)
        await r.check(full=check_every_day_each_step)
    await r.check(full=True)
