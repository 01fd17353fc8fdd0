"""`GET /api/v1/wb/cabinets/{cabinet_id}/health`: per-source data health of one cabinet, for the bot."""

from datetime import datetime
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.schemas import CamelSchema, Schema
from domain.identity import CabinetStatus


class CabinetPath(Schema):
    cabinet_id: UUID = Field(description="The cabinet's id.")


class SourceHealth(CamelSchema):
    source: str = Field(description="A WB source (fbs_orders, stat_orders, stocks...), in sync order.")
    last_success_at: datetime | None
    rows_taken: int = Field(description="Rows taken from WB by the last successful run.")
    last_error: str | None
    last_error_at: datetime | None
    backoff_until: datetime | None = Field(description="Set after a 429: the source waits until then.")
    continues_at: datetime | None = Field(
        description="Not an error: the last run paused for WB's pace with more to read, and the source "
        "continues from where it stopped at the next sync after this moment."
    )
    blocked_reason: str | None = Field(
        description="Why the source is not synced with the cabinet's key: a category the key lacks, or WB's "
        "reason for refusing this method to the key (the cabinet stays active; the other sources sync)."
    )
    blocked_until: datetime | None = Field(
        description="When a method WB refused is asked again (at once if a new key of the seller is "
        "connected)."
    )


class StoredRows(CamelSchema):
    orders: int
    stat_orders: int
    sales: int
    stocks: int
    reviews: int
    claims: int


class CabinetHealth(CamelSchema):
    cabinet_id: UUID
    status: CabinetStatus
    invalid_reason: str | None = Field(description="Why WB rejected the key, when status is invalid.")
    sources: list[SourceHealth]
    stored_rows: StoredRows


async def cabinet_health(request: web.Request, path: CabinetPath) -> CabinetHealth:
    """The cabinet's status, one row per sync source (including sources never synced yet) and how many
    rows of each kind it holds. 404 for an unknown cabinet."""
    health = await (await request.app[USE_CASES].cabinet_data_health())(path.cabinet_id)
    return CabinetHealth(
        cabinet_id=path.cabinet_id,
        status=CabinetStatus(health.status),
        invalid_reason=health.invalid_reason,
        # The use case's attrs values carry the same field names as these schemas.
        sources=[SourceHealth.model_validate(s, from_attributes=True) for s in health.sources],
        stored_rows=StoredRows.model_validate(health.stored, from_attributes=True),
    )
