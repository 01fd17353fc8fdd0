"""Paging the statistics reports (`supplier/orders`, `supplier/sales`) by `lastChangeDate`.

WB returns every row with lastChangeDate >= dateFrom, sorted, truncated at a cap (~80,000); the next
request starts at the last row's lastChangeDate. So rows at the boundary timestamp come back on the
next page (the upsert dedupes them by key), and a page that brings nothing past its own dateFrom is the
last one. That rule always terminates: every page that does not end the loop moves the cursor strictly
forward. It loses nothing as long as WB's cap exceeds the number of rows sharing one timestamp (a
page made only of boundary rows then holds every such row). A page shorter than `short_below` rows (half
WB's cap) was not cut by the cap, so it is the last one too: a steady-state run makes one call.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

import attrs


class HasLastChangeDate(Protocol):
    @property
    def last_change_date(self) -> datetime: ...


@attrs.frozen
class PageOutcome:
    """Where the next page starts, and whether there is one."""

    next_date_from: datetime
    done: bool
    rows: int
    beyond_boundary: int


@attrs.define
class StatPageTracker:
    """Fed the chunks of one WB response in order; tells where the next request starts."""

    date_from: datetime
    rows: int = 0
    beyond_boundary: int = 0
    max_seen: datetime | None = None

    def observe(self, chunk: Iterable[HasLastChangeDate]) -> None:
        for row in chunk:
            self.rows += 1
            if row.last_change_date > self.date_from:
                self.beyond_boundary += 1
            if self.max_seen is None or row.last_change_date > self.max_seen:
                self.max_seen = row.last_change_date

    def outcome(self, short_below: int = 0) -> PageOutcome:
        # max_seen, not "the last row's" date: equal for a sorted response, and safe if it is not.
        nxt = self.date_from if self.max_seen is None else max(self.max_seen, self.date_from)
        done = self.beyond_boundary == 0 or self.rows < short_below
        return PageOutcome(nxt, done, self.rows, self.beyond_boundary)
