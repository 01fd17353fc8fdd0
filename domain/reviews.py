"""Buyer reviews (WB feedbacks, reference §2.3), keyed by WB's feedback `id`.

A buyer who edits a review makes WB file a new version under a new id: the new version carries
`parentFeedbackId` (the old id) and the old one `childFeedbackId` (the new id). The versions are one review
(decision 0007): only a version that lowers the rating is news again.
"""

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.moscow_time import aware, to_utc

if TYPE_CHECKING:
    from domain.validators import Field

MIN_RATING = 1
MAX_RATING = 5
MAX_THRESHOLD = 5


def _rating(instance: object, attribute: "Field", value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
        raise InvalidValue(attribute.name, f"must be an int {MIN_RATING}..{MAX_RATING}, got {value!r}")


@attrs.define(eq=False)
class Review:
    """One feedback. `rating` is WB's `productValuation`; text, pros and cons may be empty."""

    cabinet_id: UUID
    id: str
    nm_id: int
    rating: int = attrs.field(validator=_rating)
    created_at: datetime = attrs.field(converter=to_utc, validator=aware)
    text: str = ""
    pros: str = ""
    cons: str = ""
    is_answered: bool = False
    product_name: str | None = None
    supplier_article: str | None = None
    parent_id: str | None = None  # the version this one replaces (WB `parentFeedbackId`)
    child_id: str | None = None  # the version that replaced this one (WB `childFeedbackId`)

    @property
    def is_superseded(self) -> bool:
        """An old version: a newer one (child) replaced it, and that one speaks for the review."""
        return self.child_id is not None


def edit_is_news(rating: int, previous_rating: int) -> bool:
    """An edit is told again only when it lowers the rating: a member who heard nothing of a 5★ review
    may want to hear of its 2★ version; a raised or unchanged rating is not news."""
    return rating < previous_rating


def is_negative(rating: int, threshold: int) -> bool:
    """A rating is negative for a user whose threshold is `threshold` when rating <= threshold.

    Threshold 0 switches the alert off. Raises InvalidValue("review_rating_threshold") outside 0..5.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= MAX_THRESHOLD:
        raise InvalidValue("review_rating_threshold", f"must be an int 0..{MAX_THRESHOLD}, got {threshold!r}")
    return threshold > 0 and rating <= threshold
