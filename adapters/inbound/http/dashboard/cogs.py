"""Dashboard routes: COGS (seed 002 §5.1–5.2, and the writes issue 11 asks for; decision 0020).

Reads are cached per cabinet data version (decision 0017); every write bumps the version in its own
transaction, so the next read, and every other cached answer of the cabinet, is recomputed at once.
"""

from collections.abc import Awaitable
from datetime import date
from decimal import Decimal

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.dashboard import cogs_schemas as m
from adapters.inbound.http.dashboard.cogs_upload import bulk_rows
from adapters.inbound.http.dashboard_guards import CABINET, cabinet_of
from adapters.inbound.http.errors import Error, ErrorDetail, ErrorInfo
from adapters.inbound.http.routing import Reply, Returns, Route
from application.cogs.bulk import BulkRejected
from application.cogs.reads import version_weeks
from application.cogs.writes import CogsWritten, WindowConflict
from domain.cogs import CogsVersion

TAGS = ("dashboard", "cogs")


def version_out(v: CogsVersion, today: date, sa_name: str | None = None) -> m.CogsVersionOut:
    return m.CogsVersionOut(
        id=v.id, nm_id=str(v.nm_id), sa_name=sa_name, unit_cost=v.unit_cost, currency=v.currency,
        valid_from=v.valid_from, valid_to=v.valid_to, is_active=v.is_live, created_at=v.created_at,
        deleted_at=v.deleted_at, affected_weeks=list(version_weeks(v, today)),
    )  # fmt: skip


async def get_cogs(request: web.Request, query: m.CogsQuery) -> m.CogsAtOut:
    """The cost of a SKU in force on `valid_at` (default: today, Moscow): `data` null and
    `missing_cogs_flag` true when none is (never a 0)."""
    use_case = await request.app[USE_CASES].get_cogs()
    at = await use_case(cabinet_of(request), query.nm_id, query.valid_at)
    data = None if at.version is None else version_out(at.version, at.today, at.sa_name)
    meta = m.CogsAtMeta(nm_id=str(at.nm_id), valid_at=at.day, missing_cogs_flag=at.version is None)
    return m.CogsAtOut(data=data, meta=meta)


async def cogs_history(request: web.Request, query: m.CogsHistoryQuery) -> m.CogsHistoryOut:
    """A SKU's versions, newest valid_from first, `limit` a page; soft-deleted ones with include_deleted."""
    use_case = await request.app[USE_CASES].cogs_history()
    offset = int(query.cursor) if query.cursor else 0
    page = await use_case(cabinet_of(request), query.nm_id, query.limit, query.include_deleted, offset)
    return m.CogsHistoryOut(
        data=[version_out(v, page.today, page.sa_name) for v in page.items],
        meta=m.CogsHistoryMeta(
            nm_id=str(page.nm_id),
            product_name=page.sa_name,
            total_versions=page.total,
            current_cogs=None if page.current is None else page.current.unit_cost,
        ),
        pagination=m.CogsPagination(
            has_more=page.next_offset is not None,
            count=len(page.items),
            next_cursor=None if page.next_offset is None else str(page.next_offset),
        ),
    )


async def missing_cogs(request: web.Request, query: m.CogsMissingQuery) -> m.CogsMissingOut:
    """SKUs sold (sales of kind `sale`) in the Moscow ISO week without a cost in force on the sale's day,
    with the units and revenue lacking one; highest revenue first."""
    use_case = await request.app[USE_CASES].missing_cogs()
    week = await use_case(cabinet_of(request), query.week)
    items = [
        m.CogsMissingItem(nm_id=str(i.nm_id), sa_name=i.sa_name, units=i.units, revenue=i.revenue)
        for i in week.items
    ]
    meta = m.CogsMissingMeta(
        skus=len(items),
        units=sum(i.units for i in week.items),
        revenue=sum((i.revenue for i in week.items), Decimal(0)),
    )
    return m.CogsMissingOut.model_validate(
        {"week": week.week, "from": week.from_day, "to": week.to_day, "data": items, "meta": meta}
    )


async def get_cogs_version(request: web.Request, path: m.CogsPath) -> m.CogsVersionAnswer:
    """One version by id, live or deleted; 404 for an unknown id or another cabinet's."""
    use_case = await request.app[USE_CASES].get_cogs_version()
    version, today = await use_case(cabinet_of(request), path.id)
    return m.CogsVersionAnswer(data=version_out(version, today))


def _write_out(w: CogsWritten) -> m.CogsWriteOut:
    return m.CogsWriteOut(
        data=version_out(w.version, w.today),
        changed=[version_out(v, w.today) for v in w.changed],
        affected_weeks=list(w.affected_weeks),
    )


async def _written(call: Awaitable[CogsWritten], status: int = 200) -> Reply:
    """The write's answer; a WindowConflict is a 409 naming the field and the reason."""
    try:
        return Reply(_write_out(await call), status=status)
    except WindowConflict as exc:
        info = ErrorInfo(
            code="window_conflict",
            message=str(exc),
            details=[ErrorDetail(field=exc.field, reason=exc.reason)],
        )
        return Reply(Error(error=info), status=409)


async def create_cogs(request: web.Request, body: m.CogsIn) -> Reply:
    """A new cost version (201). It closes the window of the version it starts in; the same valid_from
    as a live version supersedes it; an open end stops before a later version. 400 for a bad value, 409
    when an explicit valid_to reaches into a later version or leaves days of a replaced one uncosted."""
    use_case = await request.app[USE_CASES].create_cogs()
    return await _written(use_case(cabinet_of(request), body.model_dump()), status=201)


async def update_cogs(request: web.Request, path: m.CogsPath, body: m.CogsUpdateIn) -> Reply:
    """Correct a live version (full replacement; it keeps its id): as if deleted, then added again by
    the creation rules. 404 for an unknown, deleted or another cabinet's id; 400; 409 as for POST."""
    use_case = await request.app[USE_CASES].update_cogs()
    raw = body.model_dump(exclude_none=False)
    if raw["nm_id"] is None:
        del raw["nm_id"]
    return await _written(use_case(cabinet_of(request), path.id, raw))


async def delete_cogs(request: web.Request, path: m.CogsPath) -> Reply:
    """Soft-delete a live version (it stays in the history with include_deleted); the version it had
    closed takes its window back. 404 for an unknown, already deleted or another cabinet's id."""
    use_case = await request.app[USE_CASES].delete_cogs()
    return await _written(use_case(cabinet_of(request), path.id))


async def bulk_set_cogs(request: web.Request, query: m.CogsBulkQuery) -> m.CogsBulkOut | Reply:
    """Many costs at once, all or nothing. Body: `text/csv` (a header row naming nm_id, unit_cost,
    valid_from and optionally currency, valid_to; `,`, `;` or tab separated; with `;` a decimal comma is
    read), `application/json` (an array of objects with those keys), or `multipart/form-data` with the
    file in part `file`. Rows are applied in order, each as a POST /v1/cogs. Any row refused: 400
    `rows_refused`, nothing applied, `details` names every refused cell as `rows.<n>.<column>` (n counts
    data rows from 1; a CSV's header is not a row) with the reason. `dry_run=true`: the same checks and the
    same answer (`applied` 0, `data` what would be created), nothing stored: the page's preview."""
    rows, decimal_comma = await bulk_rows(request)
    use_case = await request.app[USE_CASES].bulk_set_cogs()
    try:
        applied = await use_case(cabinet_of(request), rows, decimal_comma, query.dry_run)
    except BulkRejected as exc:
        details = [ErrorDetail(field=f"rows.{e.row}.{e.field}", reason=e.reason) for e in exc.errors]
        return Reply(
            Error(error=ErrorInfo(code="rows_refused", message=str(exc), details=details)), status=400
        )
    data = [
        m.CogsBulkItem(
            row=n, id=v.id, nm_id=str(v.nm_id), unit_cost=v.unit_cost, currency=v.currency,
            valid_from=v.valid_from, valid_to=v.valid_to,
        )
        for n, v in enumerate(applied.created, start=1)
    ]  # fmt: skip
    return m.CogsBulkOut(
        applied=0 if query.dry_run else len(data),
        dry_run=query.dry_run,
        data=data,
        affected_weeks=list(applied.affected_weeks),
    )


_WRITE = Returns("The version written, the others changed with it, the weeks affected", m.CogsWriteOut)
_CONFLICT = Returns("The window collides with the SKU's stored versions (field and reason)", Error)
_REFUSED = Returns("Refused rows (`rows.<n>.<column>`, n from 1; nothing applied), or a bad body", Error)
# `{id}` never matches the sibling routes' names: otherwise aiohttp would answer OPTIONS /v1/cogs/history
# with the version's DELETE and PUT in `Allow`, methods the document does not give that path.
VERSION_PATH = "/cogs/{id:(?!(?:history|missing|bulk)$)[^/]+}"

ROUTES: tuple[Route, ...] = (
    Route(
        "GET", "/cogs", get_cogs, summary="A SKU's cost in force on a day", tags=TAGS, query=m.CogsQuery,
        responses={200: Returns("The version in force, or null", m.CogsAtOut)}, guard=CABINET,
        cache_ttl_s=300,
    ),
    Route(
        "POST", "/cogs", create_cogs, summary="Add a cost version", tags=TAGS, body=m.CogsIn, guard=CABINET,
        responses={201: _WRITE, 409: _CONFLICT},
    ),
    Route(
        "GET", "/cogs/history", cogs_history, summary="A SKU's cost versions", tags=TAGS,
        query=m.CogsHistoryQuery, guard=CABINET, cache_ttl_s=300,
        responses={200: Returns("A page of versions, newest first", m.CogsHistoryOut)},
    ),
    Route(
        "GET", "/cogs/missing", missing_cogs, summary="SKUs sold in a week without a cost", tags=TAGS,
        query=m.CogsMissingQuery, guard=CABINET, cache_ttl_s=300,
        responses={200: Returns("SKUs with the units and revenue lacking a cost", m.CogsMissingOut)},
    ),
    Route(
        "POST", "/cogs/bulk", bulk_set_cogs, summary="Add many cost versions (CSV or JSON), all or nothing",
        tags=TAGS, guard=CABINET, query=m.CogsBulkQuery,
        responses={200: Returns("Every row applied (or would be: dry_run)", m.CogsBulkOut), 400: _REFUSED},
    ),
    Route(
        "GET", VERSION_PATH, get_cogs_version, summary="One cost version", tags=TAGS, path_params=m.CogsPath,
        responses={200: Returns("The version", m.CogsVersionAnswer)}, guard=CABINET, errors=(404,),
    ),
    Route(
        "PUT", VERSION_PATH, update_cogs, summary="Correct a cost version", tags=TAGS, path_params=m.CogsPath,
        body=m.CogsUpdateIn, guard=CABINET, errors=(404,), responses={200: _WRITE, 409: _CONFLICT},
    ),
    Route(
        "DELETE", VERSION_PATH, delete_cogs, summary="Delete a cost version (soft)", tags=TAGS,
        path_params=m.CogsPath, guard=CABINET, errors=(404,), responses={200: _WRITE},
    ),
)  # fmt: skip
