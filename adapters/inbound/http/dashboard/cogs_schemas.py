"""The COGS API's wire shapes (seed 002 §5; the writes and `missing`: docs/decisions/0020-cogs-api.md).
Field names are the contract's snake_case; `nm_id` leaves as a string, as in the contract's example."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import Field

from adapters.inbound.http.dashboard.schemas import Instant
from adapters.inbound.http.schemas import BIGINT, FIRST_DAY, LAST_DAY, Roubles, Schema
from application.cogs.reads import MAX_HISTORY

NM_ID = Field(gt=0, le=BIGINT, description="The WB article (nmID).")


class CogsQuery(Schema):
    nm_id: int = NM_ID
    valid_at: date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="A Moscow day; default today.")


class CogsHistoryQuery(Schema):
    nm_id: int = NM_ID
    limit: int = Field(50, ge=1, le=MAX_HISTORY)
    include_deleted: bool = Field(False, description="Also list soft-deleted versions (is_active: false).")
    cursor: str | None = Field(None, pattern=r"^\d{1,9}$", description="`next_cursor` of the previous page.")


class CogsMissingQuery(Schema):
    week: str = Field(pattern=r"^\d{4}-W\d{2}$", description="An ISO week of Moscow days, `YYYY-Www`.")


class CogsBulkQuery(Schema):
    dry_run: bool = Field(False, description="true: check every row as for real, store nothing (a preview).")


class CogsPath(Schema):
    id: UUID = Field(description="A COGS version's id.")


class CogsIn(Schema):
    """POST /v1/cogs. Values are checked by the API (400 naming the field): unit_cost 0..999999999999.99
    with at most 2 decimals, currency RUB only, valid_to (inclusive; omit or null: open-ended) not before
    valid_from."""

    nm_id: int = Field(description="The WB article (nmID); a numeric string is accepted.")
    unit_cost: Decimal = Field(description="Roubles per unit.")
    currency: str | None = Field(None, description="RUB (the default).")
    valid_from: date = Field(description="The first Moscow day the cost applies.")
    valid_to: date | None = Field(None, description="The last day it applies, inclusive; null: open-ended.")


class CogsUpdateIn(Schema):
    """PUT /v1/cogs/{id}: the version's new values, all of them (a full replacement); nm_id, if sent, must
    be the version's."""

    nm_id: int | None = None
    unit_cost: Decimal
    currency: str | None = None
    valid_from: date
    valid_to: date | None = None


class CogsVersionOut(Schema):
    id: UUID
    nm_id: str
    sa_name: str | None = Field(
        description="The seller's article (WB saName) from the latest sale; null in writes."
    )
    unit_cost: Roubles
    currency: str
    valid_from: date
    valid_to: date | None = Field(description="Inclusive; null: open-ended.")
    is_active: bool = Field(description="False once soft-deleted.")
    created_at: Instant
    deleted_at: Instant | None
    affected_weeks: list[str] = Field(
        description="ISO weeks the window touches (an open end: through today)."
    )


class CogsAtMeta(Schema):
    nm_id: str
    valid_at: date
    missing_cogs_flag: bool = Field(description="True when no cost is in force that day (data is null).")


class CogsAtOut(Schema):
    data: CogsVersionOut | None
    meta: CogsAtMeta


class CogsHistoryMeta(Schema):
    nm_id: str
    product_name: str | None
    current_cogs: Roubles | None = Field(description="The cost in force today (Moscow), or null.")
    total_versions: int


class CogsPagination(Schema):
    has_more: bool
    next_cursor: str | None
    count: int


class CogsHistoryOut(Schema):
    data: list[CogsVersionOut]
    meta: CogsHistoryMeta
    pagination: CogsPagination


class CogsVersionAnswer(Schema):
    data: CogsVersionOut


class CogsWriteOut(Schema):
    data: CogsVersionOut = Field(description="The version created, corrected or deleted.")
    changed: list[CogsVersionOut] = Field(
        description="Other versions the change closed, superseded or reopened."
    )
    affected_weeks: list[str] = Field(description="ISO weeks whose figures the change may alter.")


class CogsBulkItem(Schema):
    row: int = Field(description="The data row it came from (from 1).")
    id: UUID
    nm_id: str
    unit_cost: Roubles
    currency: str
    valid_from: date
    valid_to: date | None = Field(
        description="Inclusive; null: open-ended (an open end stops before a later version)."
    )


class CogsBulkOut(Schema):
    applied: int = Field(description="Versions stored; 0 in a dry run.")
    dry_run: bool = Field(description="true: a preview, nothing was stored.")
    data: list[CogsBulkItem] = Field(description="The versions created, in row order.")
    affected_weeks: list[str] = Field(description="ISO weeks whose figures the upload may alter.")


class CogsMissingItem(Schema):
    nm_id: str
    sa_name: str | None
    units: int = Field(description="Sales (kind sale) on days without a cost.")
    revenue: Roubles = Field(description="Their Σ priceWithDisc, roubles.")


class CogsMissingMeta(Schema):
    skus: int
    units: int
    revenue: Roubles


class CogsMissingOut(Schema):
    week: str
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    data: list[CogsMissingItem]
    meta: CogsMissingMeta
