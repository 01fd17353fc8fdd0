"""Odd WB bodies become typed errors, never crashes: a stub WB on loopback answers each path with a
scripted status and body (a list where an object belongs, plain text, malformed JSON, a bad row)."""

import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from aiohttp import web

from adapters.outbound.wb import HttpWbSellerApi
from adapters.outbound.wb.errors import WbBadPayload
from application.ports.wb import WbApiError, WbCredentials, WbUnavailable
from tests.integration.wb_sim import Harness, harness

CREDS = WbCredentials(cabinet_id=uuid4(), api_key="k", seller_id="seller-k")
SINCE = datetime(2026, 10, 1, tzinfo=UTC)
ROW = {"srid": "s1", "nmId": 1, "date": "2026-10-02T10:00:00", "lastChangeDate": "2026-10-02T10:30:00"}
ROW |= {"totalPrice": 100, "discountPercent": 10, "spp": 5, "finishedPrice": 80.5, "priceWithDisc": 90}


class StubWb:
    """path -> (status, body, content type); every hit counted."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes, str]] = {}
        self.hits: Counter = Counter()

    def set(self, path: str, status: int, body: object, ctype: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers[path] = (status, raw, ctype)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        status, body, ctype = self.answers[request.path]
        if body.endswith(b"<mid-stream-garbage>"):
            resp = web.StreamResponse(status=status, headers={"Content-Type": ctype})
            await resp.prepare(request)
            await resp.write(body)
            await resp.write_eof()
            return resp
        return web.Response(status=status, body=body, content_type=ctype)


@pytest.fixture
async def stub(aiohttp_server, redis_url: str) -> AsyncIterator[tuple[StubWb, HttpWbSellerApi]]:
    wb = StubWb()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", wb.handle)
    server = await aiohttp_server(app)
    async with harness(aiohttp_server, redis_url) as h:
        yield wb, _api(h, str(server.make_url("")).rstrip("/"))


def _api(h: Harness, base_url: str) -> HttpWbSellerApi:
    return h.api(0.0, base_url=base_url, stream_chunk=2)


async def drain(api: HttpWbSellerApi) -> list:
    rows: list = []
    async for chunk in api.stat_orders(CREDS, SINCE):
        rows.extend(chunk)
    return rows


async def test_list_where_an_object_belongs_is_a_bad_payload(stub) -> None:
    wb, api = stub
    wb.set("/api/v3/orders/new", 200, [1, 2])
    with pytest.raises(WbBadPayload, match="expected a JSON object, got list"):
        await api.new_fbs_orders(CREDS)
    wb.set("/api/v3/orders/new", 200, {"orders": [{"id": 1, "rid": "r", "nmId": 2, "price": 100}]})
    with pytest.raises(WbBadPayload, match=r"FBS order\.chrtId: missing"):
        await api.new_fbs_orders(CREDS)
    assert wb.hits["/api/v3/orders/new"] == 2


async def test_plain_text_and_list_error_bodies_keep_wb_detail(stub) -> None:
    wb, api = stub
    wb.set("/api/v1/claims", 400, b"bad things happened", "text/plain")
    with pytest.raises(WbApiError) as exc:
        await api.claims(CREDS, is_archive=False, limit=5, offset=0)
    assert (exc.value.status, exc.value.detail) == (400, "bad things happened")
    wb.set("/api/v1/claims", 500, [{"message": "boom"}, "again"])
    with pytest.raises(WbUnavailable) as unavailable:
        await api.claims(CREDS, is_archive=False, limit=5, offset=0)
    assert unavailable.value.detail == "boom; again" and wb.hits["/api/v1/claims"] == 4


async def test_plain_text_200_is_unreadable_and_retried(stub) -> None:
    wb, api = stub
    wb.set("/api/v1/feedbacks", 200, b"OK", "text/plain")
    with pytest.raises(WbUnavailable, match="unreadable"):
        await api.feedbacks(CREDS, is_answered=True, take=1, skip=0)
    assert wb.hits["/api/v1/feedbacks"] == 3


async def test_statistics_object_instead_of_array_is_an_api_error(stub) -> None:
    wb, api = stub
    wb.set("/api/v1/supplier/orders", 200, {"errors": ["dateFrom: field required"]})
    with pytest.raises(WbApiError, match=r"expected a JSON array.*dateFrom: field required"):
        await drain(api)
    assert wb.hits["/api/v1/supplier/orders"] == 1


async def test_statistics_bad_row_names_the_field(stub) -> None:
    wb, api = stub
    wb.set("/api/v1/supplier/orders", 200, [ROW, {**ROW, "nmId": "x"}])
    with pytest.raises(WbBadPayload, match=r"statistics order\.nmId: expected int, got str"):
        await drain(api)
    wb.set("/api/v1/supplier/orders", 200, [ROW, ROW, {**ROW, "srid": "s2"}])
    rows = await drain(api)
    assert [r.srid for r in rows] == ["s1", "s1", "s2"] and str(rows[0].finished_price) == "80.50"
    assert rows[0].date == datetime(2026, 10, 2, 7, 0, tzinfo=UTC)


async def test_stream_failing_after_the_first_chunk_is_not_retried(stub) -> None:
    wb, api = stub
    body = json.dumps([ROW] * 3000).encode()[:-1] + b", }}<mid-stream-garbage>"  # > one 64 KiB read
    wb.set("/api/v1/supplier/orders", 200, body)
    got: list = []
    with pytest.raises(WbUnavailable, match="stream broke"):
        async for chunk in api.stat_orders(CREDS, SINCE):
            got.append(len(chunk))
    assert got and wb.hits["/api/v1/supplier/orders"] == 1
    wb.set("/api/v1/supplier/orders", 200, b"[{<mid-stream-garbage>")
    with pytest.raises(WbUnavailable, match="unreadable"):
        await drain(api)
    assert wb.hits["/api/v1/supplier/orders"] == 4  # nothing yielded yet: retried
