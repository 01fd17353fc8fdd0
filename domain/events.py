"""Domain events the sync detects, one per thing a seller may be told about, each with a dedupe key.

Detection is per cabinet and knows nothing of members: it emits a *candidate* whenever some member's
settings could want it, and `notifications.should_notify` decides per member. So:
- every new review becomes a `negative_review` candidate carrying its rating (a member may set the
  threshold as high as 5, i.e. "every review"); each member's threshold filters it;
- a stock becomes a `critical_stock` candidate when its alert level falls (`domain.stocks.alert_level`:
  sold out, or the shortest selectable horizon its days left fit in); each member's `stock_analysis_days`
  decides whether that fall crossed *their* threshold.
Payload values are primitives only (str, int, bool, None): money travels as a rouble string such as
"1200.00", never as a float.
"""

import enum
import types
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from uuid import UUID

import attrs

from domain.errors import InvalidValue
from domain.moscow_time import aware, to_utc
from domain.order_status import ChangeKind, classify
from domain.orders import Order, StatusChange
from domain.reviews import Review
from domain.sales import Sale, SaleKind
from domain.stat_orders import StatOrder
from domain.unit_economics.summary import MissingCogsSummary

Primitive = str | int | bool | None
# A key is warned of this many days before it expires, once per threshold (the most urgent one reached).
TOKEN_WARNING_DAYS = (7, 1)
MISSING_COGS_EXAMPLES = 5  # articles a missing_cogs event names as examples


class EventType(enum.StrEnum):
    NEW_ORDER = "new_order"
    ORDER_BUYOUT = "order_buyout"
    ORDER_CANCELLATION = "order_cancellation"
    ORDER_RETURN = "order_return"
    NEGATIVE_REVIEW = "negative_review"
    CRITICAL_STOCK = "critical_stocks"
    CABINET_INVALID = "cabinet_invalid"
    TOKEN_EXPIRING = "token_expiring"  # noqa: S105 - an event name, not a secret
    SYNC_COMPLETED = "sync_completed"
    MISSING_COGS = "missing_cogs"

    @property
    def groupable(self) -> bool:
        """Whether a burst of this type may be told as one summary (news about sales and stock; never a
        key going bad or data being ready)."""
        return self not in _UNGROUPED


_UNGROUPED = frozenset(
    {EventType.CABINET_INVALID, EventType.TOKEN_EXPIRING, EventType.SYNC_COMPLETED, EventType.MISSING_COGS}
)


def _freeze_payload(value: Mapping[str, object]) -> Mapping[str, Primitive]:
    if not isinstance(value, Mapping):
        raise InvalidValue("payload", f"must be a mapping, got {type(value).__name__}")
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidValue("payload", f"keys must be strings, got {key!r}")
        if item is not None and not isinstance(item, str | int | bool):
            raise InvalidValue("payload", f"{key} must be str, int, bool or None, got {type(item).__name__}")
    # A plain dict copy: later changes to the caller's dict cannot reach a stored event.
    return types.MappingProxyType({k: _plain(v) for k, v in value.items()})  # type: ignore[arg-type]


def _plain(item: Primitive) -> Primitive:
    # StrEnum members are strs; store the bare value so payloads serialise the same everywhere.
    if isinstance(item, enum.Enum):
        return item.value
    return item


@attrs.frozen
class DomainEvent:
    """Something happened in a cabinet. `subject` is the thing's WB key (order id, sale id, review id,
    nm_id); `payload` carries what a message needs, as primitives."""

    type: EventType
    cabinet_id: UUID
    subject: str
    occurred_at: datetime = attrs.field(converter=to_utc, validator=aware)
    payload: Mapping[str, Primitive] = attrs.field(factory=dict, converter=_freeze_payload, hash=False)

    @property
    def dedupe_key(self) -> str:
        """Deterministic, so a re-run sync writes the same key and the outbox's unique index drops it:
        `type:cabinet:subject`. What may recur (a stock falling again, a key invalidated again) carries
        what makes each occurrence unique in its subject."""
        return f"{self.type.value}:{self.cabinet_id}:{self.subject}"


def days_left_text(days_left: Decimal) -> str:
    """Days of stock as a payload string, rounded UP to 0.01 so that `<= n days` reads the same as the
    exact value for any whole n (rounding down could alert on 3.004 days against a 3-day threshold)."""
    return str(days_left.quantize(Decimal("0.01"), rounding=ROUND_CEILING))


@attrs.frozen
class StockFall:
    """An nm_id's alert level fell with a snapshot (`domain.stocks.level_fell`): from `previous_level`
    (None: not critical) to `level`, with `quantity` left lasting `days_left` days (None: no orders)."""

    nm_id: int
    quantity: int
    days_left: Decimal | None
    level: int
    previous_level: int | None
    product_name: str | None = None
    vendor_code: str | None = None


def critical_stock_event(cabinet_id: UUID, fall: StockFall, at: datetime) -> DomainEvent:
    """The critical_stock candidate for one fall of an nm_id's alert level. The subject holds the nm_id,
    the new level and the moment (`nm_id:level:unix seconds`): each fall is its own event, a re-run of the
    same snapshot finds the level already saved and emits none."""
    payload = {
        "nm_id": fall.nm_id,
        "quantity": fall.quantity,
        "days_left": None if fall.days_left is None else days_left_text(fall.days_left),
        "level": fall.level,
        "previous_level": fall.previous_level,
        "product_name": fall.product_name,
        "vendor_code": fall.vendor_code,
    }
    subject = f"{fall.nm_id}:{fall.level}:{int(at.timestamp())}"
    return DomainEvent(EventType.CRITICAL_STOCK, cabinet_id, subject, at, payload)


def token_expiring_event(
    cabinet_id: UUID, key_fingerprint: str, expires_at: datetime, at: datetime
) -> DomainEvent | None:
    """The warning that the cabinet's key expires soon, or None: not within the longest of
    TOKEN_WARNING_DAYS, or already expired (that is cabinet_invalid's news).

    The threshold is the most urgent one reached (a key connected 3 days before expiry is warned at 7
    days only; at 1 day left it is warned again). The subject is `threshold d:fingerprint prefix`, so each
    key is warned once per threshold and a new key starts over. `days_left` is whole days, rounded down."""
    left = expires_at - at
    if left <= timedelta(0):
        return None
    reached = [days for days in TOKEN_WARNING_DAYS if left <= timedelta(days=days)]
    if not reached:
        return None
    subject = f"{min(reached)}d:{key_fingerprint[:16]}"
    payload = {"expires_at": to_utc(expires_at).isoformat(), "days_left": left.days}
    return DomainEvent(EventType.TOKEN_EXPIRING, cabinet_id, subject, at, payload)


def sync_completed_event(cabinet_id: UUID, counts: Mapping[str, int], at: datetime) -> DomainEvent:
    """The "your data is ready" news: a cabinet's first sync has ended, with how many rows of each kind
    it stored (`counts`: orders, sales, reviews, stocks...). Subject `first_sync`: once per cabinet."""
    return DomainEvent(EventType.SYNC_COMPLETED, cabinet_id, "first_sync", at, dict(counts))


def missing_cogs_event(
    cabinet_id: UUID,
    summary: MissingCogsSummary,
    provisional: bool,
    at: datetime,
    cabinet_name: str | None = None,
) -> DomainEvent | None:
    """The news that a closed week sold SKUs without a cost (`summary`, domain.unit_economics), or None when
    every SKU sold had one. Subject: the week's label, so a cabinet is told once per week however often the
    weekly job runs. `provisional`: the week was computed from statistics sales, its finance report not
    in yet. Payload: week, skus, units, revenue (roubles, "12500.00"), `nm_ids` (the first
    MISSING_COGS_EXAMPLES of them, ascending, comma-separated: a payload holds no lists), provisional and
    cabinet_name (members may share several cabinets)."""
    if not summary.any:
        return None
    payload = {
        "week": summary.week,
        "skus": summary.sku_count,
        "units": summary.units,
        "revenue": str(summary.revenue_gross.quantize(Decimal("0.01"))),
        "nm_ids": ",".join(str(nm) for nm in sorted(summary.nm_ids)[:MISSING_COGS_EXAMPLES]),
        "provisional": provisional,
        "cabinet_name": cabinet_name,
    }
    return DomainEvent(EventType.MISSING_COGS, cabinet_id, summary.week, at, payload)


def cabinet_invalid_event(cabinet_id: UUID, reason: str, at: datetime, invalidation: int) -> DomainEvent:
    """WB rejected the cabinet's key: every member hears of it, whatever their toggles (see notifications).

    `invalidation` is the cabinet's count of invalidations (1 for the first): the subject carries it, so
    two units racing to invalidate the same key write one event, and a later one (after a reconnect) is a
    new event."""
    return DomainEvent(
        EventType.CABINET_INVALID, cabinet_id, f"api_key:{invalidation}", at, {"reason": reason}
    )


# Order of this table is the order events come out in: a first sight that is already cancelled reads
# "new order" before "cancelled".
_ORDER_EVENTS = {
    ChangeKind.NEW_ORDER: EventType.NEW_ORDER,
    ChangeKind.CANCELLATION: EventType.ORDER_CANCELLATION,
    ChangeKind.BUYOUT: EventType.ORDER_BUYOUT,
}


def _order_payload(order: Order) -> dict[str, Primitive]:
    return {
        "source": "fbs",
        "order_id": order.order_id,
        "srid": order.rid,
        "nm_id": order.nm_id,
        "vendor_code": order.vendor_code,
        "product_name": order.product_name,
        "price": str(order.price.rounded()),
        "sale_price": str((order.sale_price or order.price).rounded()),
        "supplier_status": order.supplier_status,
        "wb_status": order.wb_status,
        "is_b2b": order.is_b2b,
    }


def order_events(order: Order, kinds: frozenset[ChangeKind], at: datetime) -> list[DomainEvent]:
    """Events for classified order changes: NEW_ORDER, CANCELLATION and BUYOUT each give one event keyed
    by the order's srid (the FBS `rid`), so the statistics source telling the same thing dedupes against
    it; PROGRESS and ANOMALY give none (they are history, not news)."""
    payload = _order_payload(order)
    return [
        DomainEvent(event_type, order.cabinet_id, order.rid, at, payload)
        for kind, event_type in _ORDER_EVENTS.items()
        if kind in kinds
    ]


def _stat_order_payload(row: StatOrder) -> dict[str, Primitive]:
    return {
        "source": "statistics",
        "order_id": None,
        "srid": row.srid,
        "nm_id": row.nm_id,
        "vendor_code": row.supplier_article,
        "product_name": row.subject or None,
        "price": str(row.total_price.rounded()),
        "sale_price": str(row.price_with_disc.rounded()),
        "warehouse_name": row.warehouse_name,
        "is_fbw": row.is_fbw,
        "region_name": row.region_name,
    }


def stat_order_events(row: StatOrder, was_cancelled: bool | None, events_from: datetime) -> list[DomainEvent]:
    """What a statistics order row tells (FBS and FBW alike), keyed by srid like `order_events`.

    `was_cancelled` is the stored row's flag (None: the srid is new to us). A new srid ordered at or after
    `events_from` is a NEW_ORDER; a row that is cancelled now and was not before (or is new) is a
    CANCELLATION when the cancellation happened at or after `events_from`. Older facts are backfill.
    """
    events: list[DomainEvent] = []
    payload = _stat_order_payload(row)
    if was_cancelled is None and row.date >= events_from:
        events.append(DomainEvent(EventType.NEW_ORDER, row.cabinet_id, row.srid, row.date, payload))
    if row.is_cancel and not was_cancelled:
        cancelled_at = row.cancel_date or row.last_change_date
        if cancelled_at >= events_from:
            event = DomainEvent(EventType.ORDER_CANCELLATION, row.cabinet_id, row.srid, cancelled_at, payload)
            events.append(event)
    return events


def buyout_event(sale: Sale) -> DomainEvent | None:
    """An order_buyout for a sale row (saleID `S…`), keyed by srid like the FBS buyout; None otherwise."""
    if sale.kind is not SaleKind.SALE:
        return None
    payload: dict[str, Primitive] = {
        "source": "statistics",
        "order_id": None,
        "srid": sale.srid,
        "sale_id": sale.sale_id,
        "nm_id": sale.nm_id,
        "vendor_code": sale.supplier_article,
        "for_pay": str(sale.for_pay.rounded()),
        "finished_price": str(sale.finished_price.rounded()),
        "warehouse_name": sale.warehouse_name,
    }
    return DomainEvent(EventType.ORDER_BUYOUT, sale.cabinet_id, sale.srid, sale.date, payload)


def status_change_events(order: Order, change: StatusChange) -> list[DomainEvent]:
    """Events for a recorded status change of an order already known (not its first sight)."""
    return order_events(order, classify(change.previous, change.current), change.changed_at)


def return_event(sale: Sale) -> DomainEvent | None:
    """An order_return for a return row (saleID `R…`), keyed by saleID; None for any other row."""
    if not sale.is_return:
        return None
    payload = {
        "sale_id": sale.sale_id,
        "srid": sale.srid,
        "nm_id": sale.nm_id,
        "supplier_article": sale.supplier_article,
        "for_pay": str(sale.for_pay.rounded()),
        "finished_price": str(sale.finished_price.rounded()),
        "warehouse_name": sale.warehouse_name,
    }
    return DomainEvent(EventType.ORDER_RETURN, sale.cabinet_id, sale.sale_id, sale.date, payload)


def review_event(review: Review, previous_rating: int | None = None) -> DomainEvent:
    """The negative_review candidate for a newly seen review, whatever its rating (see module doc).

    For a new version of a review already told (an edit that lowered the rating, decision 0007),
    `previous_rating` is the rating told before, so a member's rule can tell "it got worse" apart."""
    payload = {
        "previous_rating": previous_rating,
        "parent_review_id": review.parent_id,
        "review_id": review.id,
        "nm_id": review.nm_id,
        "rating": review.rating,
        "text": review.text,
        "pros": review.pros,
        "cons": review.cons,
        "product_name": review.product_name,
        "supplier_article": review.supplier_article,
    }
    return DomainEvent(EventType.NEGATIVE_REVIEW, review.cabinet_id, review.id, review.created_at, payload)
