"""The WB seller API as the application needs it: one method per WB call, returning domain objects,
and the errors every method may raise.

Implemented over HTTP by `adapters.outbound.wb.HttpWbSellerApi` (against WB or the simulator) and, for the
use-case tests, by `FakeWbSellerApi`. Every method is read-only and idempotent; every method may raise:
- WbAuthError: 401/403: the key is rejected (invalid, expired, withdrawn) or this one method is refused to it
  (a missing category, a token type or a paid subscription the method needs); never retried. Only
  `check_key` tells the two apart: a WbAuthError from it means the key itself is dead;
- WbRateLimited: 429 or our own limiter; carries the wait, the caller must not call before it
  (WbPacingWait, a subclass: our limiter alone said wait, nothing was sent);
- WbUnavailable: 5xx, timeouts or connection errors that outlasted the adapter's retries;
- WbApiError: any other WB error (other 4xx), with WB's own detail.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

import attrs

from application.errors import ApplicationError
from domain.claims import Claim
from domain.finance import FinanceReportRow, PaidStorageRow, PaidStorageTaskStatus
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Order
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel


class WbApiError(ApplicationError):
    """WB answered with an error; keeps WB's own `detail`/`message`."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"WB API error {status}: {detail}" if status else f"WB API error: {detail}")
        self.status = status
        self.detail = detail


class WbAuthError(WbApiError):
    """401/403: the key is invalid, expired, lacks a category, or is blocked. Never retried."""


class WbRateLimited(WbApiError):
    """429 or our own limiter: try again after `retry_after_s` seconds, never earlier."""

    def __init__(self, retry_after_s: float, detail: str = "too many requests") -> None:
        super().__init__(429, detail)
        self.retry_after_s = retry_after_s


class WbPacingWait(WbRateLimited):
    """Not an answer from WB: our own pacing of the seller's limit would have to wait `retry_after_s`, longer
    than a caller should sleep inline. Nothing was sent; a sync ends that source for now and continues
    after the wait (never recorded as a WB error)."""


class WbUnavailable(WbApiError):
    """5xx, timeouts or connection errors that outlasted the retries."""


@attrs.frozen
class WbCredentials:
    """Whose key, and whose rate-limit buckets the calls draw on: WB counts per seller account, so the
    buckets are the seller's (`seller_id`, the token's `sid`), shared by every key of that seller."""

    cabinet_id: UUID
    api_key: str = attrs.field(repr=False)
    seller_id: str


@attrs.frozen
class SellerInfo:
    """`common-api /api/v1/seller-info`: who the key belongs to."""

    seller_id: str
    name: str
    trade_mark: str


@attrs.frozen
class FbsOrdersPage:
    """One page of `GET /api/v3/orders`; `next` is the cursor for the following page."""

    orders: Sequence[Order]
    next: int


@attrs.frozen
class FbsStatus:
    """`POST /api/v3/orders/status` for one order. Unknown WB values come back as None with `raw_*` set."""

    order_id: int
    supplier: SupplierStatus | None
    wb: WbStatus | None
    raw_supplier: str | None = None
    raw_wb: str | None = None


class WbSellerApi(Protocol):
    """The WB calls the sync and the key checks make (see the module docstring for the errors)."""

    async def check_key(self, api_key: str) -> SellerInfo:
        """One cheap live check (`common-api /api/v1/seller-info`, open to a key of any category); a
        WbAuthError here is WB rejecting the key itself. Paced on the bucket of the key's seller."""
        ...

    async def new_fbs_orders(self, creds: WbCredentials) -> Sequence[Order]:
        """`GET /api/v3/orders/new`: every new assembly order now (no paging)."""
        ...

    async def fbs_orders(
        self, creds: WbCredentials, date_from: datetime, date_to: datetime, next_: int, limit: int = 1000
    ) -> FbsOrdersPage:
        """`GET /api/v3/orders` for a window of at most 30 days; orders come without status."""
        ...

    async def fbs_statuses(self, creds: WbCredentials, order_ids: Sequence[int]) -> Sequence[FbsStatus]:
        """`POST /api/v3/orders/status` for at most 1000 ids."""
        ...

    def stat_orders(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[StatOrder]]:
        """`GET /api/v1/supplier/orders?dateFrom=` (one WB response, up to ~80,000 rows) streamed in
        chunks so a full page never sits in memory at once. Rows with lastChangeDate >= date_from."""
        ...

    def stat_sales(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[Sale]]:
        """`GET /api/v1/supplier/sales?dateFrom=`, streamed like `stat_orders`."""
        ...

    async def stocks(self, creds: WbCredentials, offset: int, limit: int) -> Sequence[StockLevel]:
        """`POST /api/analytics/v1/stocks-report/wb-warehouses` page."""
        ...

    async def feedbacks(
        self, creds: WbCredentials, *, is_answered: bool | None, take: int, skip: int
    ) -> Sequence[Review]:
        """`GET /api/v1/feedbacks` (is_answered True/False), or `/feedbacks/archive` when None; newest
        first (`order=dateDesc`). Rows may carry `parent_id`/`child_id` (the versions of an edited review)."""
        ...

    async def claims(
        self, creds: WbCredentials, *, is_archive: bool, limit: int, offset: int
    ) -> Sequence[Claim]:
        """`GET /api/v1/claims` page (WB keeps only the last 14 days)."""
        ...

    async def finance_report(
        self, creds: WbCredentials, date_from: date, date_to: date, rrd_id: int, limit: int
    ) -> Sequence[FinanceReportRow]:
        """`POST finance-api /api/finance/v1/sales-reports/detailed` (weekly period) for the reports of
        Moscow days [date_from, date_to]: at most `limit` rows after `rrd_id` (0 first, then the last
        row's rrd_id); an empty answer (WB's 204) means nothing is left."""
        ...

    async def create_paid_storage_task(self, creds: WbCredentials, date_from: date, date_to: date) -> str:
        """`GET seller-analytics-api /api/v1/paid_storage` for at most 8 days: the new task's id."""
        ...

    async def paid_storage_task_status(self, creds: WbCredentials, task_id: str) -> PaidStorageTaskStatus:
        """`GET /api/v1/paid_storage/tasks/{task_id}/status`."""
        ...

    async def download_paid_storage(self, creds: WbCredentials, task_id: str) -> Sequence[PaidStorageRow]:
        """`GET /api/v1/paid_storage/tasks/{task_id}/download` of a done task (WbApiError before that);
        empty when WB answers 204."""
        ...
