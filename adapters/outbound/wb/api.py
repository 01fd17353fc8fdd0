"""`application.ports.wb.WbSellerApi` over HTTP: one method per WB call, mapped to domain objects.

Every call goes through `WbTransport` with the rate-limit group of its WB bucket, keyed by the seller (WB
counts per seller account, so two keys of one seller share their buckets; `check_key` reads the seller from
the key itself, and only a key that names none falls back to a hash of the key). Statistics pages are
streamed.
"""

import hashlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote
from uuid import UUID

import attrs

from adapters.outbound.wb import mapping, mapping_finance, mapping_stats
from adapters.outbound.wb.errors import WbBadPayload
from adapters.outbound.wb.fields import Row
from adapters.outbound.wb.hosts import WbHosts
from adapters.outbound.wb.limits import LimitGroup
from adapters.outbound.wb.transport import WbTransport
from application.ports.wb import FbsOrdersPage, FbsStatus, SellerInfo, WbCredentials
from domain.claims import Claim
from domain.errors import InvalidValue
from domain.finance import FinanceReportRow, PaidStorageRow, PaidStorageTaskStatus
from domain.moscow_time import ensure_utc, format_wb_moscow
from domain.orders import Order
from domain.reviews import Review
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.stocks import StockLevel
from domain.wb_token import decode_wb_token

T = TypeVar("T")
STREAM_CHUNK = 5000  # rows per yielded list: bounds memory whatever the page size (WB: up to ~80,000)
MAX_STATUS_IDS = 1000


def _bucket(creds: WbCredentials) -> str:
    return f"seller:{creds.seller_id}"


def _key_bucket(api_key: str) -> str:
    try:
        return f"seller:{decode_wb_token(api_key).seller_id}"
    except InvalidValue:  # WB will reject it; it still must not pace anyone else's calls
        return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:24]


def _unix(value: datetime, field: str) -> int:
    return int(ensure_utc(value, field).timestamp())


@attrs.frozen
class HttpWbSellerApi:
    transport: WbTransport
    hosts: WbHosts
    stream_chunk: int = STREAM_CHUNK

    async def _get(self, group: LimitGroup, creds: WbCredentials, url: str, **kw: Any) -> Any:
        return await self.transport.call(group, _bucket(creds), creds.api_key, "GET", url, **kw)

    async def _post(self, group: LimitGroup, creds: WbCredentials, url: str, body: Any) -> Any:
        return await self.transport.call(group, _bucket(creds), creds.api_key, "POST", url, json=body)

    async def check_key(self, api_key: str) -> SellerInfo:
        url = f"{self.hosts.common}/api/v1/seller-info"
        body = await self.transport.call(LimitGroup.SELLER_INFO, _key_bucket(api_key), api_key, "GET", url)
        return mapping.seller_info(body)

    async def new_fbs_orders(self, creds: WbCredentials) -> Sequence[Order]:
        body = await self._get(LimitGroup.MARKETPLACE, creds, f"{self.hosts.marketplace}/api/v3/orders/new")
        return [mapping.fbs_order(creds.cabinet_id, o) for o in mapping.items(body, "orders/new", "orders")]

    async def fbs_orders(
        self, creds: WbCredentials, date_from: datetime, date_to: datetime, next_: int, limit: int = 1000
    ) -> FbsOrdersPage:
        params = {
            "limit": limit,
            "next": next_,
            "dateFrom": _unix(date_from, "date_from"),
            "dateTo": _unix(date_to, "date_to"),
        }
        url = f"{self.hosts.marketplace}/api/v3/orders"
        body = await self._get(LimitGroup.MARKETPLACE, creds, url, params=params)
        orders = [mapping.fbs_order(creds.cabinet_id, o) for o in mapping.items(body, "orders", "orders")]
        cursor = Row(body, "orders").integer("next", next_)
        return FbsOrdersPage(orders=orders, next=cursor)

    async def fbs_statuses(self, creds: WbCredentials, order_ids: Sequence[int]) -> Sequence[FbsStatus]:
        if not order_ids:
            return []
        if len(order_ids) > MAX_STATUS_IDS:
            raise ValueError(f"at most {MAX_STATUS_IDS} order ids per status call, got {len(order_ids)}")
        url = f"{self.hosts.marketplace}/api/v3/orders/status"
        body = await self.transport.call(
            LimitGroup.MARKETPLACE,
            _bucket(creds),
            creds.api_key,
            "POST",
            url,
            json={"orders": list(order_ids)},
        )
        return [mapping.fbs_status(s) for s in mapping.items(body, "orders/status", "orders")]

    def stat_orders(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[StatOrder]]:
        url = f"{self.hosts.statistics}/api/v1/supplier/orders"
        return self._stream(LimitGroup.STATISTICS_ORDERS, creds, url, date_from, mapping_stats.stat_order)

    def stat_sales(self, creds: WbCredentials, date_from: datetime) -> AsyncIterator[Sequence[Sale]]:
        url = f"{self.hosts.statistics}/api/v1/supplier/sales"
        return self._stream(LimitGroup.STATISTICS_SALES, creds, url, date_from, mapping_stats.sale)

    async def _stream(
        self,
        group: LimitGroup,
        creds: WbCredentials,
        url: str,
        date_from: datetime,
        row: Callable[[UUID, Any], T],
    ) -> AsyncIterator[Sequence[T]]:
        params = {"dateFrom": format_wb_moscow(date_from), "flag": 0}
        chunks = self.transport.stream(
            group, _bucket(creds), creds.api_key, "GET", url, self.stream_chunk, params=params
        )
        async for chunk in chunks:
            yield [row(creds.cabinet_id, item) for item in chunk]

    async def stocks(self, creds: WbCredentials, offset: int, limit: int) -> Sequence[StockLevel]:
        url = f"{self.hosts.analytics}/api/analytics/v1/stocks-report/wb-warehouses"
        body = await self._post(LimitGroup.STOCKS_REPORT, creds, url, {"limit": limit, "offset": offset})
        rows = mapping.items(body, "stocks-report", "data", "items")
        return [mapping.stock(creds.cabinet_id, s) for s in rows]

    async def feedbacks(
        self, creds: WbCredentials, *, is_answered: bool | None, take: int, skip: int
    ) -> Sequence[Review]:
        # Newest first: the archive is read down to a date cursor (application/sync/snapshots.py).
        params: dict[str, Any] = {"take": take, "skip": skip, "order": "dateDesc"}
        path = "/api/v1/feedbacks/archive"
        if is_answered is not None:
            params["isAnswered"] = "true" if is_answered else "false"
            path = "/api/v1/feedbacks"
        body = await self._get(LimitGroup.FEEDBACKS, creds, self.hosts.feedbacks + path, params=params)
        rows = mapping.items(body, "feedbacks", "data", "feedbacks")
        return [mapping.review(creds.cabinet_id, f) for f in rows]

    async def claims(
        self, creds: WbCredentials, *, is_archive: bool, limit: int, offset: int
    ) -> Sequence[Claim]:
        params = {"is_archive": "true" if is_archive else "false", "limit": limit, "offset": offset}
        body = await self._get(LimitGroup.CLAIMS, creds, f"{self.hosts.returns}/api/v1/claims", params=params)
        rows = mapping.items(body, "claims", "claims")
        return [mapping.claim(creds.cabinet_id, c, is_archive) for c in rows]

    async def finance_report(
        self, creds: WbCredentials, date_from: date, date_to: date, rrd_id: int, limit: int
    ) -> Sequence[FinanceReportRow]:
        url = f"{self.hosts.finance}/api/finance/v1/sales-reports/detailed"
        body = {
            "dateFrom": date_from.isoformat(),
            "dateTo": date_to.isoformat(),
            "limit": limit,
            "rrdId": rrd_id,
            "period": "weekly",
        }
        answer = await self._post(LimitGroup.FINANCE, creds, url, body)
        if answer is None:  # 204: nothing after rrd_id
            return []
        if not isinstance(answer, list):
            raise WbBadPayload("finance report", f"expected a JSON array, got {type(answer).__name__}")
        return [mapping_finance.report_row(creds.cabinet_id, row) for row in answer]

    async def create_paid_storage_task(self, creds: WbCredentials, date_from: date, date_to: date) -> str:
        params = {"dateFrom": date_from.isoformat(), "dateTo": date_to.isoformat()}
        url = f"{self.hosts.analytics}/api/v1/paid_storage"
        body = await self._get(LimitGroup.PAID_STORAGE_CREATE, creds, url, params=params)
        return mapping_finance.task_id(body)

    async def paid_storage_task_status(self, creds: WbCredentials, task_id: str) -> PaidStorageTaskStatus:
        url = f"{self.hosts.analytics}/api/v1/paid_storage/tasks/{quote(task_id, safe='')}/status"
        return mapping_finance.task_status(await self._get(LimitGroup.PAID_STORAGE_STATUS, creds, url))

    async def download_paid_storage(self, creds: WbCredentials, task_id: str) -> Sequence[PaidStorageRow]:
        url = f"{self.hosts.analytics}/api/v1/paid_storage/tasks/{quote(task_id, safe='')}/download"
        answer = await self._get(LimitGroup.PAID_STORAGE_DOWNLOAD, creds, url)
        if answer is None:  # 204: no storage in the period
            return []
        if not isinstance(answer, list):
            raise WbBadPayload("paid storage", f"expected a JSON array, got {type(answer).__name__}")
        return [mapping_finance.paid_storage_row(creds.cabinet_id, row) for row in answer]
