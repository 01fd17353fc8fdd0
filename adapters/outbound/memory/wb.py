"""The WB seller API as a script: the one in-memory WbSellerApi, for the use-case tests.

It answers like WB on the rows a test puts in it (paging, `next` cursors, lastChangeDate >= dateFrom, the
statistics cap, take/skip), and can fail on the n-th call of a method as WB does (401/429/5xx).
"""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import attrs

from application.ports.wb import (
    FbsOrdersPage,
    FbsStatus,
    SellerInfo,
    WbApiError,
    WbAuthError,
    WbCredentials,
)
from domain.claims import Claim
from domain.finance import FinanceReportRow, PaidStorageRow, PaidStorageTaskStatus
from domain.orders import Order
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel
from domain.wb_token import decode_wb_token


class _Dated(Protocol):
    @property
    def last_change_date(self) -> datetime: ...


R = TypeVar("R", bound=_Dated)


@attrs.define
class FakeWbSellerApi:
    """Behaves like WB on scripted data. `fail[method] = {call_number: exception}` injects failures
    (1-based, counted per method); `calls` records (method, args)."""

    rejected: dict[str, str] = attrs.Factory(dict)
    orders: list[Order] = attrs.Factory(list)
    new_orders: list[Order] = attrs.Factory(list)
    statuses: dict[int, FbsStatus] = attrs.Factory(dict)
    stat_rows: list[StatOrder] = attrs.Factory(list)
    sale_rows: list[Sale] = attrs.Factory(list)
    stock_rows: list[StockLevel] = attrs.Factory(list)
    reviews: dict[bool | None, list[Review]] = attrs.Factory(dict)
    claim_rows: dict[bool, list[Claim]] = attrs.Factory(dict)
    finance_rows: list[FinanceReportRow] = attrs.Factory(list)
    paid_storage_rows: list[PaidStorageRow] = attrs.Factory(list)
    # How many status polls answer "processing" before a paid storage task is "done".
    paid_storage_polls: int = 0
    paid_storage_tasks: dict[str, list[Any]] = attrs.Factory(dict)  # id -> [date_from, date_to, polls]
    stat_cap: int = 80_000
    chunk: int = 3
    fail: dict[str, dict[int, Exception]] = attrs.Factory(dict)
    calls: list[tuple[str, tuple[Any, ...]]] = attrs.Factory(list)

    def _call(self, method: str, *args: Any) -> None:
        self.calls.append((method, args))
        n = sum(1 for m, _ in self.calls if m == method)
        exc = self.fail.get(method, {}).pop(n, None)
        if exc is not None:
            raise exc

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.calls if m == method)

    async def check_key(self, api_key: str) -> SellerInfo:
        self._call("check_key", api_key)
        if api_key in self.rejected:
            raise WbAuthError(401, self.rejected[api_key])
        return SellerInfo(decode_wb_token(api_key).seller_id, "ООО Ромашка", "Ромашка")

    async def new_fbs_orders(self, creds: WbCredentials) -> Sequence[Order]:
        self._call("new_fbs_orders")
        return list(self.new_orders)

    async def fbs_orders(
        self, creds: WbCredentials, date_from: datetime, date_to: datetime, next_: int, limit: int = 1000
    ) -> FbsOrdersPage:
        self._call("fbs_orders", date_from, date_to, next_)
        rows = sorted((o for o in self.orders if date_from <= o.created_at <= date_to and o.order_id > next_),
                      key=lambda o: o.order_id)[:limit]  # fmt: skip
        return FbsOrdersPage(rows, rows[-1].order_id if rows else next_)

    async def fbs_statuses(self, creds: WbCredentials, order_ids: Sequence[int]) -> Sequence[FbsStatus]:
        self._call("fbs_statuses", tuple(order_ids))
        return [self.statuses[i] for i in order_ids if i in self.statuses]

    async def _stat(self, method: str, rows: Sequence[R], date_from: datetime) -> AsyncIterator[Sequence[R]]:
        """All rows with lastChangeDate >= date_from, sorted, cut at the cap, in chunks (as streamed)."""
        self._call(method, date_from)
        page = sorted((r for r in rows if r.last_change_date >= date_from), key=lambda r: r.last_change_date)
        page = page[: self.stat_cap]
        for i in range(0, len(page), self.chunk):
            yield page[i : i + self.chunk]

    def stat_orders(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[StatOrder]]:
        return self._stat("stat_orders", self.stat_rows, date_from)

    def stat_sales(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[Sale]]:
        return self._stat("stat_sales", self.sale_rows, date_from)

    async def stocks(self, creds: WbCredentials, offset: int, limit: int) -> Sequence[StockLevel]:
        self._call("stocks", offset, limit)
        return self.stock_rows[offset : offset + limit]

    async def feedbacks(
        self, creds: WbCredentials, *, is_answered: bool | None, take: int, skip: int
    ) -> Sequence[Review]:
        self._call("feedbacks", is_answered, take, skip)
        return self.reviews.get(is_answered, [])[skip : skip + take]

    async def claims(
        self, creds: WbCredentials, *, is_archive: bool, limit: int, offset: int
    ) -> Sequence[Claim]:
        self._call("claims", is_archive, limit, offset)
        return self.claim_rows.get(is_archive, [])[offset : offset + limit]

    async def finance_report(
        self, creds: WbCredentials, date_from: date, date_to: date, rrd_id: int, limit: int
    ) -> Sequence[FinanceReportRow]:
        """Rows of the reports starting within the days, after rrd_id, by rrd_id (WB's paging)."""
        self._call("finance_report", date_from, date_to, rrd_id, limit)
        rows = (r for r in self.finance_rows if date_from <= r.date_from <= date_to and r.rrd_id > rrd_id)
        return sorted(rows, key=lambda r: r.rrd_id)[:limit]

    async def create_paid_storage_task(self, creds: WbCredentials, date_from: date, date_to: date) -> str:
        self._call("create_paid_storage_task", date_from, date_to)
        if (date_to - date_from).days > 7:
            raise WbApiError(400, "the period is longer than 8 days")
        task_id = f"task-{len(self.paid_storage_tasks) + 1}"
        self.paid_storage_tasks[task_id] = [date_from, date_to, 0]
        return task_id

    async def paid_storage_task_status(self, creds: WbCredentials, task_id: str) -> PaidStorageTaskStatus:
        self._call("paid_storage_task_status", task_id)
        task = self.paid_storage_tasks[task_id]
        task[2] += 1
        done = task[2] > self.paid_storage_polls
        return PaidStorageTaskStatus.DONE if done else PaidStorageTaskStatus.PROCESSING

    async def download_paid_storage(self, creds: WbCredentials, task_id: str) -> Sequence[PaidStorageRow]:
        self._call("download_paid_storage", task_id)
        date_from, date_to, polls = self.paid_storage_tasks[task_id]
        if polls <= self.paid_storage_polls:
            raise WbApiError(400, "the task is not done yet")
        return [r for r in self.paid_storage_rows if date_from <= r.date <= date_to]
