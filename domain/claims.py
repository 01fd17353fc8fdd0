"""Buyer return claims (GET /api/v1/claims, reference §2.4), keyed by WB's claim `id` (a UUID string).

The codes are kept as WB's integers: `claim_type` 1 portal / 3 chat; `status` 0 review, 1 refused,
2 approved; `status_ex` as in the reference. Mapping them to words is presentation's job, and an
unknown code WB adds later is then stored rather than refused.
"""

from datetime import datetime
from uuid import UUID

import attrs

from domain.money import Money
from domain.moscow_time import aware, optional_aware, optional_to_utc, to_utc

CLAIM_STATUS_UNDER_REVIEW = 0
CLAIM_STATUS_REFUSED = 1
CLAIM_STATUS_APPROVED = 2


@attrs.define(eq=False)
class Claim:
    """One return application. WB's `dt`/`dt_update`/`order_dt` are Moscow time; stored here in UTC."""

    cabinet_id: UUID
    id: str
    nm_id: int
    srid: str | None
    claim_type: int
    status: int
    status_ex: int
    created_at: datetime = attrs.field(converter=to_utc, validator=aware)
    updated_at: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )
    order_date: datetime | None = attrs.field(
        default=None, converter=optional_to_utc, validator=optional_aware
    )
    user_comment: str = ""
    wb_comment: str = ""
    is_archive: bool = False
    price: Money | None = None
    product_name: str | None = None

    @property
    def is_under_review(self) -> bool:
        return self.status == CLAIM_STATUS_UNDER_REVIEW
